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

const OS_FLAG_HELP = OPENSTACK_OPTIONS.filter(o => o.flag)
  .map(o => `${`  --${o.flag} VALUE`.padEnd(40)}${o.env[0]}: ${o.help}`)
  .join('\n');

export const USAGE = `Usage: fedstack scan [options]

Scans one OpenStack site against the EGI Federated Cloud and tenant-platform requirements
and prints a report (to standard output, or --output FILE).

Where the site and its account come from (the first that applies):
  --config FILE         a JSON file: site, profiles, credential sets (see the package README)
  otherwise             as the openstack CLI finds them: command-line flags over the OS_*
                        environment over the clouds.yaml cloud named by --os-cloud or OS_CLOUD
                        (clouds.yaml and secure.yaml looked for in OS_CLIENT_CONFIG_FILE /
                        OS_CLIENT_SECURE_FILE, ./, ~/.config/openstack/, /etc/openstack/)

Options:
  --os-cloud NAME       the cloud of clouds.yaml to use (OS_CLOUD)
  --keystone-url URL    the same as --os-auth-url
  --name NAME           the site's name in the report (default the cloud's name or the host)
  --region REGION       the same as --os-region-name
  --profile ID          egi-fedcloud (default) or tenant-platform; repeat or comma-separate
  --check ID            run only this check, with the checks it needs; repeat or comma-separate
  -f, --format FORMAT   table (default), json, yaml, junit or nagios
  -o, --output FILE     write the report there instead of standard output
  -h, --help            this text

OpenStack settings (flag, environment variable, meaning); secrets are read from the
environment or secure.yaml only: OS_PASSWORD, OS_APPLICATION_CREDENTIAL_SECRET,
OS_ACCESS_TOKEN, OS_CLIENT_SECRET, OS_REFRESH_TOKEN.
${OS_FLAG_HELP}

Authentication (OS_AUTH_TYPE / auth_type):
  password                  username and password (the default)
  v3applicationcredential   application credential id and secret (the default when an id is set)
  v3oidcaccesstoken         an OIDC access token (EGI Check-in) sent to the federation auth URL
                            of --os-identity-provider and --os-protocol; scoped to the project
  v3oidcclientcredentials   an access token from the token endpoint by client credentials
  v3oidcrefreshtoken        an access token from the token endpoint by refresh token
                            (fedstack's name; keystoneauth has no such plugin)
Platform accounts (checked when given): FEDSTACK_{REPLICATOR,METERING,ACCOUNTING}_{USERNAME,PASSWORD}.

Exit code: 0 the site is ready for every profile, 1 it is not, 2 it could not be scanned.
With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the worst check; UNKNOWN also
when it could not be scanned).
`;

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
    out(USAGE);
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
