import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { OpenStackHttp } from '../client/http';
import { Redactor } from '../client/redaction';
import { OpenStackSession } from '../client/session';
import { ExternalSources, ScanSessions } from '../checks/context';
import { scanSite } from '../checks/scan';
import { ComplianceCatalogue } from '../checks/complianceCatalogue';
import {
  CaCertificatesError,
  readCaCertificates,
} from '../credentials/caCertificates';
import { OidcTokenSources } from '../credentials/credentialConfig';
import {
  formatNagios,
  formatReport,
  nagiosUnknown,
  REPORT_FORMATS,
  ReportFormat,
} from './reportFormats';
import { OPENSTACK_OPTIONS } from './openstackConfig';
import {
  AccountRole,
  configFromEnvironment,
  parseScanConfig,
  ScanConfigError,
  toCredential,
} from './scanConfig';

export const EXIT_READY = 0;
export const EXIT_NOT_READY = 1;
export const EXIT_COULD_NOT_SCAN = 2;

/** Nagios return codes (`--format nagios`). */
export const EXIT_NAGIOS_UNKNOWN = 3;

interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A real stream's: its errors (EPIPE when the reader went away) are listened to. */
  on?(
    event: 'error',
    listener: (error: NodeJS.ErrnoException) => void,
  ): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Where clouds.yaml is looked for first (default the process's). */
  cwd?: string;
}

/**
 * Writes that stop quietly once the reader is gone (`fedstack scan | head -1`): a closed pipe
 * is an EPIPE error event on the stream, which would otherwise end the process with a trace.
 */
function guardedWriter(stream: OutputStream): (text: string) => void {
  let closed = false;
  stream.on?.('error', error => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    closed = true;
  });
  return text => {
    if (closed) return;
    try {
      stream.write(text);
    } catch (error) {
      // A synchronous EPIPE (some platforms' pipes): the same.
      closed = true;
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    }
  };
}

// The help is a man page (fedstack --help; the CLI package's README has a section per flag,
// checked against it by a test). No line may end with ':': Backstage's CLI report
// (`yarn build:api-reports`) reads such a line as a section heading and fails on unknown ones.
const WIDTH = 80;

/**
 * Words filled into lines of at most WIDTH columns, indented. A word ending with ':' stays with
 * the next one, so that no line ends with ':'.
 */
function fill(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .reduce<string[]>(
      (joined, word) =>
        joined.length && joined[joined.length - 1].endsWith(':')
          ? [...joined.slice(0, -1), `${joined[joined.length - 1]} ${word}`]
          : [...joined, word],
      [],
    );
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(pad + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(pad + line);
  return lines.join('\n');
}

/** One OPTIONS entry: the flag at 7 columns, its text at 14, ending with its variable and default. */
const flagEntry = (
  synopsis: string,
  text: string,
  env: string,
  byDefault: string,
) =>
  `       ${synopsis}\n${fill(
    `${text} Env: ${env}. Default: ${byDefault}.`,
    14,
  )}`;

/** The value each --os-* flag takes, by its setting's key. */
const metavar = (key: string) =>
  ({
    auth_type: 'TYPE',
    auth_url: 'URL',
    access_token_endpoint: 'URL',
    cacert: 'PATH',
    region_name: 'REGION',
    interface: 'INTERFACE',
    protocol: 'PROTOCOL',
    openid_scope: 'SCOPES',
    default_domain: 'ID',
  }[key] ?? (key.endsWith('_id') ? 'ID' : 'NAME'));

/** What a setting is when nothing sets it (openstackConfig.ts, credentialConfig.ts). */
const OS_DEFAULTS: Record<string, string> = {
  auth_type:
    'password, or v3applicationcredential when an application credential id or name is set',
  user_domain_name:
    'Default, when neither --os-user-domain-id nor --os-default-domain is given',
  project_domain_name:
    'Default, when neither --os-project-domain-id nor --os-default-domain is given',
  region_name: 'any region of the catalog',
  interface: 'public',
  cacert: "Node's own CA store",
};

/** Where the option list's own words do not start a sentence well. */
const OS_TEXT: Record<string, string> = {
  auth_type:
    'The kind of account (Authentication, above): password, v3applicationcredential, v3oidcaccesstoken, v3oidcclientcredentials or v3oidcrefreshtoken',
};

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
const cloudsKey = (o: { auth: boolean; key: string }) =>
  `${o.auth ? 'auth.' : ''}${o.key}`;

const OS_FLAG_ENTRIES = OPENSTACK_OPTIONS.filter(o => o.flag).map(o =>
  flagEntry(
    `--${o.flag} ${metavar(o.key)}`,
    `${sentence(OS_TEXT[o.key] ?? o.help)}; in clouds.yaml ${cloudsKey(o)}.`,
    o.env.length > 1
      ? `${o.env[0]} (or ${o.env.slice(1).join(', ')})`
      : o.env[0],
    OS_DEFAULTS[o.key] ?? 'none',
  ),
);

const SECRET_ENTRIES = OPENSTACK_OPTIONS.filter(o => !o.flag).map(
  o =>
    `       ${o.env.join(', ')}\n${fill(
      `The ${o.help}; in secure.yaml (or clouds.yaml) ${cloudsKey(
        o,
      )}. It has no flag.`,
      14,
    )}`,
);

const section = (title: string, ...blocks: string[]) =>
  `${title}\n${blocks.join('\n\n')}`;
const para = (text: string) => fill(text, 7);
/** A tagged paragraph: the tag at 7 columns, its text at 14 (on the tag's line when it fits). */
const tagged = (tag: string, text: string) =>
  tag.length < 6
    ? `       ${tag.padEnd(7)}${fill(text, 14).trimStart()}`
    : `       ${tag}\n${fill(text, 14)}`;
const example = (what: string, ...commands: string[]) =>
  `${para(what)}\n${commands.map(c => `           ${c}`).join('\n')}`;

/** Printed with an error about the command line: where to read more. */
export const USAGE = `Usage: fedstack scan [--os-cloud NAME | --config FILE] [OPTION]...
Try 'fedstack --help' for the options, their variables and defaults.
`;

/** `fedstack --help`: a man page. */
export const HELP = `${[
  section(
    'NAME',
    para(
      'fedstack scan - check an OpenStack site against the EGI Federated Cloud and tenant-platform requirements',
    ),
  ),
  section(
    'SYNOPSIS',
    `       fedstack scan [--os-cloud NAME] [--os-SETTING VALUE]... [--name NAME]
                     [--profile ID]... [--check ID]... [-f FORMAT] [-o FILE]
       fedstack scan --config FILE [--name NAME] [--region REGION]
                     [--profile ID]... [--check ID]... [-f FORMAT] [-o FILE]
       fedstack --help`,
  ),
  section(
    'DESCRIPTION',
    para(
      "fedstack scan checks one OpenStack site against what the EGI Federated Cloud asks of a site (profile egi-fedcloud) and what the fedstack tenant platform needs (profile tenant-platform), and prints a report to standard output, or to --output FILE. Its exit status says whether the site is ready for every profile asked (EXIT STATUS), so it can gate a CI job; with --format nagios it is a Nagios plugin for ARGO, Icinga or Nagios. While it scans, each check's result goes to standard error when that is a terminal.",
    ),
    para(
      'The site and its account come from the first that applies. With --config FILE, a JSON file holds the site, the profiles and the credential sets (see the README). Otherwise, as the openstack CLI finds them: command-line flags over the OS_* environment over the cloud of clouds.yaml named by --os-cloud or OS_CLOUD, with secure.yaml merged over it (FILES).',
    ),
    para(
      'Secrets are read from the environment or secure.yaml only, never from the command line, where every user of the machine could read them (ENVIRONMENT). The platform accounts, checked when given, come from FEDSTACK_{REPLICATOR,METERING,ACCOUNTING}_{USERNAME,PASSWORD}.',
    ),
    `   Authentication
${para(
  "--os-auth-type, OS_AUTH_TYPE or auth_type in clouds.yaml names one of keystoneauth's plugins.",
)}`,
    tagged('password', 'A username and password (the default).'),
    tagged(
      'v3applicationcredential',
      "An application credential's id and secret, or its name with its user (the default when an id or name is set).",
    ),
    tagged(
      'v3oidcaccesstoken',
      'An OIDC access token (EGI Check-in) sent to the federation auth URL of --os-identity-provider and --os-protocol; the federated token is then scoped to the project.',
    ),
    tagged(
      'v3oidcclientcredentials',
      'An access token from the token endpoint by client credentials.',
    ),
    tagged(
      'v3oidcrefreshtoken',
      "An access token from the token endpoint by refresh token (fedstack's name; keystoneauth has no such plugin).",
    ),
  ),
  section(
    'OPTIONS',
    flagEntry(
      '--config FILE',
      'A JSON file with the site, the profiles and the credential sets (see the README); the --os-* flags and OS_* variables are not read then.',
      'none',
      "none (the openstack CLI's settings are read)",
    ),
    flagEntry(
      '--os-cloud NAME',
      'The cloud of clouds.yaml to use, with secure.yaml merged over it (FILES).',
      'OS_CLOUD',
      'none',
    ),
    ...OS_FLAG_ENTRIES,
    flagEntry(
      '--keystone-url URL',
      'The same as --os-auth-url.',
      'OS_AUTH_URL',
      'none',
    ),
    flagEntry(
      '--region REGION',
      'The same as --os-region-name; also with --config.',
      'OS_REGION_NAME',
      'any region of the catalog',
    ),
    flagEntry(
      '--name NAME',
      "The site's name in the report.",
      'none',
      "the cloud's name, else Keystone's host",
    ),
    flagEntry(
      '--profile ID',
      'A profile to score the site for: egi-fedcloud or tenant-platform; repeat or comma-separate. An unknown one is refused.',
      'none',
      'egi-fedcloud',
    ),
    flagEntry(
      '--check ID',
      'Runs only this check, with the checks it needs; repeat or comma-separate. The profiles are scored over the checks run. An unknown id is refused with the list of ids.',
      'none',
      'every check of the profiles',
    ),
    flagEntry(
      '-f, --format FORMAT',
      "table (one line per check, then each profile's verdict), json or yaml (the whole report, evidence included, secrets redacted), junit (a test case per check, for CI servers) or nagios (a Nagios plugin's output: the state and perfdata line, then a line per check, worst first).",
      'none',
      'table',
    ),
    flagEntry(
      '-o, --output FILE',
      'Writes the report to FILE instead of standard output.',
      'none',
      'standard output',
    ),
    flagEntry('-h, --help', 'Prints this text and exits 0.', 'none', 'off'),
  ),
  section(
    'ENVIRONMENT',
    tagged(
      'OS_CLOUD and the OS_* variable of each --os-* flag',
      'Read as the openstack CLI reads them (OPTIONS); a flag wins over its variable, a variable over the cloud of clouds.yaml.',
    ),
    ...SECRET_ENTRIES,
    tagged(
      'OS_CLIENT_CONFIG_FILE, OS_CLIENT_SECURE_FILE',
      'The clouds.yaml and secure.yaml to read before the usual places (FILES).',
    ),
    tagged(
      'XDG_CONFIG_HOME',
      "Where the user's openstack/ folder is, instead of ~/.config (FILES).",
    ),
    tagged(
      'FEDSTACK_REPLICATOR_USERNAME, FEDSTACK_REPLICATOR_PASSWORD',
      "The tenant platform's replicator account (password, in the reader's domain), checked when given.",
    ),
    tagged(
      'FEDSTACK_METERING_USERNAME, FEDSTACK_METERING_PASSWORD',
      "The tenant platform's metering account, checked when given.",
    ),
    tagged(
      'FEDSTACK_ACCOUNTING_USERNAME, FEDSTACK_ACCOUNTING_PASSWORD',
      "The tenant platform's accounting account, checked when given.",
    ),
  ),
  section(
    'FILES',
    tagged(
      'clouds.yaml, secure.yaml',
      "Read as openstacksdk reads them: OS_CLIENT_CONFIG_FILE (OS_CLIENT_SECURE_FILE) first, then ./, $XDG_CONFIG_HOME/openstack/ or ~/.config/openstack/, /etc/openstack/ (.yaml, .yml, .json); the first file found wins, and secure.yaml's keys win over clouds.yaml's. Keys are openstacksdk's (auth.project_id, region_name, regions, interface, cacert, auth_type), hyphens or underscores alike. Not supported, and refused with a message: vendor profiles without auth.auth_url, verify: false.",
    ),
    tagged(
      'OS_CACERT, cacert',
      "A PEM file (a bundle), or a directory of hashed certificates as OpenSSL's capath (/etc/grid-security/certificates on a grid machine): Keystone's and the token endpoint's CAs, which replace Node's own store.",
    ),
  ),
  section(
    'EXIT STATUS',
    tagged('0', 'The site is ready for every profile asked.'),
    tagged('1', 'It is not ready.'),
    tagged(
      '2',
      'It could not be scanned: bad options or configuration, or the scan failed.',
    ),
    para(
      "With --format nagios, the Nagios plugin's state instead: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. A check that passes is OK, warns WARNING, fails CRITICAL when it is critical (it blocks readiness) else WARNING, could not run UNKNOWN; the plugin's state is the worst, CRITICAL over WARNING over UNKNOWN over OK. UNKNOWN also when nothing was evaluated, or when the scan could not run, with the reason on the first line.",
    ),
  ),
  section(
    'EXAMPLES',
    example(
      'A cloud of clouds.yaml, as a Nagios plugin.',
      'fedstack scan --os-cloud site-a --format nagios',
    ),
    example(
      'With an openrc sourced (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME), a JUnit report of both profiles for CI.',
      '. ./site-a-openrc.sh',
      'fedstack scan --profile egi-fedcloud,tenant-platform \\',
      '  --format junit --output scan.xml',
    ),
    example(
      "Only Keystone's version, as JSON, with the site's CA from a grid machine.",
      'OS_CACERT=/etc/grid-security/certificates \\',
      '  fedstack scan --os-cloud site-a --check keystone.v3 -f json',
    ),
    example('From a config file.', 'fedstack scan --config site.json'),
    example(
      'Without installing it (from the registry, or from a packed tarball).',
      'npx @fedstack/cli scan --os-cloud site-a',
      'npx -p ./fedstack-cli-0.1.0.tgz fedstack scan --os-cloud site-a',
    ),
  ),
  section(
    'SEE ALSO',
    tagged('openstack(1)', 'The openstack CLI, whose settings fedstack reads.'),
    tagged(
      'https://github.com/fedstack/fedstack/tree/main/plugins/openstack-cli#readme',
      "This command's README: each flag, the config file, the report formats.",
    ),
    tagged(
      'https://github.com/fedstack/fedstack/blob/main/docs/checks.md',
      'The checks: what each reads, its rule, its remedy.',
    ),
    tagged(
      'https://docs.openstack.org/openstacksdk/latest/user/config/configuration.html',
      "openstacksdk's clouds.yaml.",
    ),
    tagged(
      'https://www.monitoring-plugins.org/doc/guidelines.html',
      'The Nagios plugin output.',
    ),
  ),
].join('\n\n')}\n`;

const osFlagOptions = Object.fromEntries(
  OPENSTACK_OPTIONS.filter(o => o.flag).map(o => [
    o.flag!,
    { type: 'string' as const },
  ]),
);

const listOf = (values?: string[]) =>
  values
    ?.flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean);

/** `fedstack scan`: a site operator's CI gate. Returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const out = guardedWriter(io.stdout);
  const err = guardedWriter(io.stderr);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'keystone-url': { type: 'string' },
        'os-cloud': { type: 'string' },
        ...osFlagOptions,
        name: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string', multiple: true },
        check: { type: 'string', multiple: true },
        format: { type: 'string', short: 'f', default: 'table' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    err(`fedstack: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_COULD_NOT_SCAN;
  }
  const { values, positionals } = args;
  const flags = values as unknown as Record<string, string | undefined>;
  if (values.help) {
    out(HELP);
    return EXIT_READY;
  }
  const format = values.format as ReportFormat;
  const nagios = format === 'nagios';
  // Nagios wants every answer on standard output with return code 3 when the plugin cannot run.
  const refuse = (message: string) => {
    err(`fedstack: ${message}\n`);
    if (nagios) out(nagiosUnknown(message));
    return nagios ? EXIT_NAGIOS_UNKNOWN : EXIT_COULD_NOT_SCAN;
  };
  if (positionals[0] !== 'scan' || positionals.length > 1) {
    err(USAGE);
    return refuse(
      positionals.length > 1
        ? `unexpected arguments: ${positionals.slice(1).join(' ')}`
        : 'the command is fedstack scan',
    );
  }
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    return refuse(`--format must be ${REPORT_FORMATS.join(', ')}`);
  }
  const profiles = listOf(values.profile);
  const catalogue = ComplianceCatalogue.builtIn();
  const [unknownProfile] = catalogue.problemsOf(profiles ?? []);
  if (unknownProfile) return refuse(unknownProfile);
  const onlyChecks = listOf(values.check);
  const unknownCheck = onlyChecks?.find(id => !catalogue.check(id));
  if (unknownCheck) {
    return refuse(
      `no check ${unknownCheck} (checks: ${catalogue.checks
        .map(c => c.metadata.id)
        .join(', ')})`,
    );
  }

  let config;
  const secrets: string[] = [];
  const sessions: Partial<ScanSessions> = {};
  let http: OpenStackHttp | undefined;
  let tokenSources: OidcTokenSources | undefined;
  let sources: ExternalSources = {};
  try {
    const raw = values.config
      ? readConfigFile(values.config, profiles)
      : configFromEnvironment(io.env, {
          cloud: values['os-cloud'],
          flags: {
            ...flags,
            'os-auth-url': flags['os-auth-url'] ?? values['keystone-url'],
            'os-region-name': flags['os-region-name'] ?? values.region,
          },
          name: values.name,
          profiles,
          cwd: io.cwd,
        });
    config = parseScanConfig(raw);
    if (values.region) config.site.region = values.region;
    if (values.name) config.site.name = values.name;
    tokenSources = new OidcTokenSources({
      timeoutMs: config.requestTimeoutMs,
    });
    const credentials = (
      Object.keys(config.credentials) as AccountRole[]
    ).flatMap(role => {
      const entry = config!.credentials[role];
      return entry
        ? [{ role, ...toCredential(entry, io.env, role, tokenSources) }]
        : [];
    });
    secrets.push(...credentials.flatMap(c => c.secrets));
    const login = config.sources.federationLogin;
    const fromEnv = (name?: string) => {
      if (name && !io.env[name]) {
        throw new ScanConfigError(
          `sources.federationLogin: environment variable ${name} is not set`,
        );
      }
      return name ? io.env[name] : undefined;
    };
    const clientSecret = login
      ? login.clientSecret ?? fromEnv(login.clientSecretEnv)
      : undefined;
    const refreshToken = login
      ? login.refreshToken ?? fromEnv(login.refreshTokenEnv)
      : undefined;
    secrets.push(
      ...[clientSecret, refreshToken].filter((s): s is string => !!s),
    );
    http = new OpenStackHttp({
      timeoutMs: config.requestTimeoutMs,
      redactor: new Redactor(secrets),
      ca: config.site.caFile ? readCa(config.site.caFile) : undefined,
    });
    sources = {
      gocdbUrl: config.sources.gocdbUrl,
      cloudInfoUrl: config.sources.cloudInfoUrl,
      accounting: config.sources.accounting,
    };
    if (login) {
      // The token endpoint's own client (its CA is not the sites'), as the accounts' are made.
      const tokens = tokenSources.for(login, {
        clientSecret,
        refreshToken,
        where: 'sources.federationLogin',
      });
      sources.federationLogin = {
        accessToken: recorder => tokens.accessToken(recorder),
        authUrl: login.authUrl,
        project: login.project ?? config.settings?.opsVo ?? 'ops',
      };
    }
    for (const { role, credential } of credentials) {
      sessions[role] = new OpenStackSession({
        keystoneUrl: config.site.keystoneUrl,
        region: config.site.region,
        interface: config.site.interface,
        credential,
        http,
      });
    }
  } catch (error) {
    http?.close();
    tokenSources?.close();
    const message =
      error instanceof ScanConfigError || error instanceof SyntaxError
        ? error.message
        : String(error);
    const redacted = new Redactor(secrets).text(message);
    err(`fedstack: the scan configuration is not usable:\n${redacted}\n`);
    if (nagios) {
      out(nagiosUnknown(`the scan configuration is not usable: ${redacted}`));
    }
    return nagios ? EXIT_NAGIOS_UNKNOWN : EXIT_COULD_NOT_SCAN;
  }

  const progress = io.stderr.isTTY ? err : undefined;
  try {
    const report = await scanSite({
      site: config.site,
      profiles: config.profiles,
      sessions: sessions as ScanSessions,
      sources,
      settings: config.settings,
      onlyChecks,
      onProgress: p => {
        if (p.phase === 'finished' && p.result) {
          progress?.(
            `${p.result.status.padEnd(5)} ${p.checkId} (${
              p.result.durationMs
            } ms)\n`,
          );
        }
      },
    });
    const text = formatReport(report, format);
    if (values.output) fs.writeFileSync(values.output, text);
    else out(text);
    if (nagios) return formatNagios(report).code;
    return report.profiles.every(p => p.ready) ? EXIT_READY : EXIT_NOT_READY;
  } catch (error) {
    const message = `the scan failed: ${new Redactor(secrets).text(
      String(error),
    )}`;
    err(`fedstack: ${message}\n`);
    if (nagios) out(nagiosUnknown(message));
    return nagios ? EXIT_NAGIOS_UNKNOWN : EXIT_COULD_NOT_SCAN;
  } finally {
    http?.close();
    tokenSources?.close();
  }
}

/** The site's CA: a PEM file, or a directory of hashed certificates (OS_CACERT either way). */
function readCa(file: string): string[] | undefined {
  try {
    return readCaCertificates({ caFile: file });
  } catch (error) {
    if (error instanceof CaCertificatesError) {
      throw new ScanConfigError(`site.caFile: ${error.message}`);
    }
    throw error;
  }
}

function readConfigFile(path: string, profiles?: string[]): unknown {
  const raw = JSON.parse(fs.readFileSync(path, 'utf8')) as Record<
    string,
    unknown
  >;
  return profiles?.length ? { ...raw, profiles } : raw;
}
