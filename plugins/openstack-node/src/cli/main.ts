import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { OpenStackHttp } from '../client/http';
import { Redactor } from '../client/redaction';
import { OpenStackSession } from '../client/session';
import { ExternalSources, ScanSessions } from '../checks/context';
import { oidcTokenSource } from '../oidc/tokenSource';
import { scanSite } from '../checks/scan';
import { formatReport, ReportFormat } from './reportFormats';
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

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: fedstack scan [options]

Scans an OpenStack site against the EGI Federated Cloud and tenant-platform requirements.

  --config FILE         site, profiles and credential sets (JSON; see the package README)
  --keystone-url URL    scan this Keystone with the openstack CLI's environment
                        (OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, … or
                        OS_APPLICATION_CREDENTIAL_ID/SECRET; default URL: OS_AUTH_URL);
                        platform accounts from FEDSTACK_{REPLICATOR,METERING,ACCOUNTING}_{USERNAME,PASSWORD}
  --name NAME           the site's name in the report
  --region REGION       the catalog region to check
  --profile ID          egi-fedcloud (default) or tenant-platform; repeat or comma-separate
  --format FORMAT       table (default), json or junit
  --output FILE         write the report there instead of standard output

Exit code: 0 the site is ready for every profile, 1 it is not, 2 it could not be scanned.
`;

/** `fedstack scan`: a site operator's CI gate. Returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'keystone-url': { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`fedstack: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_COULD_NOT_SCAN;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_READY;
  }
  if (positionals[0] !== 'scan' || positionals.length > 1) {
    io.stderr.write(USAGE);
    return EXIT_COULD_NOT_SCAN;
  }
  const format = values.format as ReportFormat;
  if (!['table', 'json', 'junit'].includes(format)) {
    io.stderr.write(`fedstack: --format must be table, json or junit\n`);
    return EXIT_COULD_NOT_SCAN;
  }
  const profiles = values.profile
    ?.flatMap(p => p.split(','))
    .map(p => p.trim())
    .filter(Boolean);

  let config;
  const secrets: string[] = [];
  const sessions: Partial<ScanSessions> = {};
  let http: OpenStackHttp | undefined;
  // The token endpoint's own client: its CA is not the sites'.
  let tokenHttp: OpenStackHttp | undefined;
  let sources: ExternalSources = {};
  try {
    const raw = values.config
      ? readConfigFile(values.config, profiles)
      : configFromEnvironment(io.env, {
          keystoneUrl: values['keystone-url'],
          name: values.name,
          region: values.region,
          profiles,
        });
    config = parseScanConfig(raw);
    if (values.region) config.site.region = values.region;
    if (values.name) config.site.name = values.name;
    const credentials = (
      Object.keys(config.credentials) as AccountRole[]
    ).flatMap(role => {
      const entry = config!.credentials[role];
      return entry ? [{ role, ...toCredential(entry, io.env, role) }] : [];
    });
    secrets.push(...credentials.map(c => c.secret));
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
    });
    sources = {
      gocdbUrl: config.sources.gocdbUrl,
      cloudInfoUrl: config.sources.cloudInfoUrl,
      accounting: config.sources.accounting,
    };
    if (login) {
      tokenHttp = new OpenStackHttp({
        timeoutMs: config.requestTimeoutMs,
        redactor: new Redactor(secrets),
        ca: login.caFile ? fs.readFileSync(login.caFile) : undefined,
      });
      const tokens = oidcTokenSource({
        tokenUrl: login.tokenUrl,
        clientId: login.clientId,
        clientSecret,
        refreshToken,
        scope: login.scope,
        http: tokenHttp,
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
        credential,
        http,
      });
    }
  } catch (error) {
    const message =
      error instanceof ScanConfigError || error instanceof SyntaxError
        ? error.message
        : String(error);
    io.stderr.write(
      `fedstack: the scan configuration is not usable:\n${message}\n`,
    );
    return EXIT_COULD_NOT_SCAN;
  }

  const progress = io.stderr.isTTY
    ? (text: string) => io.stderr.write(text)
    : undefined;
  try {
    const report = await scanSite({
      site: config.site,
      profiles: config.profiles,
      sessions: sessions as ScanSessions,
      sources,
      settings: config.settings,
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
    else io.stdout.write(text);
    return report.profiles.every(p => p.ready) ? EXIT_READY : EXIT_NOT_READY;
  } catch (error) {
    io.stderr.write(
      `fedstack: the scan failed: ${new Redactor(secrets).text(
        String(error),
      )}\n`,
    );
    return EXIT_COULD_NOT_SCAN;
  } finally {
    http?.close();
    tokenHttp?.close();
  }
}

function readConfigFile(path: string, profiles?: string[]): unknown {
  const raw = JSON.parse(fs.readFileSync(path, 'utf8')) as Record<
    string,
    unknown
  >;
  return profiles?.length ? { ...raw, profiles } : raw;
}
