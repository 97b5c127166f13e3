import express from 'express';
import Router from 'express-promise-router';
import { rateLimit } from 'express-rate-limit';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CONSOLE_CONTENT_TYPE,
  ConsoleAccount,
  ConsoleCommands,
  ConsoleMessage,
  consoleRequestSchema,
  openstackConsoleUsePermission,
  openstackScanTriggerPermission,
  siteParamsSchema,
} from '@fedstack/plugin-openstack-common';
import {
  ConsoleError,
  ConsoleOutcome,
  consoleGrammar,
  describeAccount,
  executeConsoleCommand,
  ComplianceCatalogue,
  parseConsoleLine,
  SharedScanRunner,
} from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { ScanStore } from '../scans/ScanStore';
import { ScanService } from '../scans/ScanService';
import { ScanInputs, siteUnderTest } from '../scans/scanInputs';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';
import { createSiteClients, SiteClients } from '../sites/siteSessions';
import { parseInput } from '../http/validation';
import { siteAccess } from '../sites/siteAccess';

/**
 * `POST /sites/{namespace}/{name}/console`: runs one line of the site console (read-only,
 * allow-listed commands; see the node library's src/console) with the site's reader account,
 * and streams its output as NDJSON. Every line is permission-checked and audited, refused or not.
 */

export interface ConsoleRouterOptions {
  config: OpenStackPluginConfig;
  /** The checks and profiles (built-in and the modules'), for `scan` and `check`. */
  catalogue?: ComplianceCatalogue;
  /** The scans' sources and settings, so a console scan judges as "Scan now" does. */
  inputs?: ScanInputs;
  registry: SiteRegistry;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** `scan` lines run as "Scan now" does: stored, and concurrent ones join the running scan. */
  scans: ScanService;
  store: ScanStore;
}

// Room for a pasted 100 kB line, which the console then refuses with its reason.
const BODY_LIMIT = '256kb';
// What the audit keeps of a line: enough to see what was tried, not a pasted file.
const AUDITED_LINE_LENGTH = 1000;
// When a user with too many lines running may try again: lines mostly end within seconds.
const BUSY_RETRY_SECONDS = 5;

function who(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' };
  if (principal.type === 'user') return principal.userEntityRef;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return 'anonymous';
}

export function createConsoleRouter(options: ConsoleRouterOptions): {
  router: express.Router;
  close(): void;
} {
  const { config, registry, httpAuth, permissions, auditor, logger } = options;
  const { scans, store } = options;
  const inputs = options.inputs ?? new ScanInputs(config);
  const limits = config.console;
  // One http and set of sessions per site, kept so tokens are reused between commands.
  const clients = new Map<string, { key: string; clients: SiteClients }>();
  const clientsFor = (registered: RegisteredSite): SiteClients => {
    const site = registered.site!;
    const key = `${site.keystoneUrl}|${site.region ?? ''}|${site.credentials}`;
    const known = clients.get(registered.entityRef);
    if (known?.key === key) return known.clients;
    known?.clients.http.close();
    const made = createSiteClients(
      site,
      config.credentialSets[site.credentials],
      {
        requestTimeoutMs: config.scans.requestTimeoutMs,
        network: config.network,
      },
    );
    clients.set(registered.entityRef, { key, clients: made });
    return made;
  };

  // Per user, in this backend's memory: several instances each allow the limit.
  const userOf = async (req: express.Request) =>
    who(await httpAuth.credentials(req));
  const tooMany = (req: express.Request, res: express.Response, why: string) =>
    res.status(429).json({
      error: { name: 'TooManyRequestsError', message: why },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 429 },
    });
  const rate = rateLimit({
    windowMs: limits.rateLimit.windowSeconds * 1000,
    limit: limits.rateLimit.lines,
    keyGenerator: userOf,
    // Sets Retry-After on a refusal, and RateLimit headers on every answer.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: async (req, res) => {
      const user = await userOf(req);
      const { used, limit } = (
        req as { rateLimit?: { used: number; limit: number } }
      ).rateLimit!;
      // Once per window, not once per refused line of a flood.
      if (used === limit + 1)
        logger.warn(
          `Console: ${user} sent more than ${limit} lines in ${limits.rateLimit.windowSeconds} s`,
        );
      tooMany(
        req,
        res,
        `More than ${limit} console lines in ${limits.rateLimit.windowSeconds} s: wait and try again`,
      );
    },
  });
  // express-rate-limit counts lines per window, not lines still running: counted here.
  const running = new Map<string, number>();
  const concurrency: express.RequestHandler = async (req, res, next) => {
    const user = await userOf(req);
    const now = running.get(user) ?? 0;
    if (now >= limits.concurrentLines) {
      res.setHeader('Retry-After', String(BUSY_RETRY_SECONDS));
      tooMany(
        req,
        res,
        `${now} of your console lines are still running (at most ${limits.concurrentLines} at once): wait for one to end`,
      );
      return;
    }
    running.set(user, now + 1);
    // 'close' comes once the answer ends or the caller goes away.
    res.once('close', () => {
      const left = (running.get(user) ?? 1) - 1;
      if (left > 0) running.set(user, left);
      else running.delete(user);
    });
    next();
  };

  /** Starts or joins the site's scan in the scan service, and watches it to its end. */
  const sharedScan =
    (siteRef: string): SharedScanRunner =>
    async (onCheck, signal) => {
      const { scanId, joined, done } = await scans.trigger(siteRef, 'manual');
      const stopWatching = scans.watch(
        scanId,
        event => {
          if (event.type === 'check-finished')
            onCheck({
              checkId: event.checkId,
              status: event.status,
              message: event.message,
            });
        },
        () => {},
      );
      try {
        await Promise.race([done, aborted(signal)]);
      } finally {
        stopWatching?.();
      }
      if (signal?.aborted) throw new ConsoleError('Cancelled.');
      const scan = await store.getScan(scanId);
      if (scan?.status !== 'completed')
        throw new ConsoleError(
          `Scan ${scanId} ${scan?.status ?? 'was not found'}${
            scan?.error ? `: ${scan.error}` : ''
          }`,
        );
      const results = await store.getResults(scanId);
      // Run by another backend (or over before the watch began): its checks come from the store.
      if (!stopWatching) results.forEach(onCheck);
      return {
        scanId,
        joined,
        profiles: scan.profiles,
        checks: results.length,
        durationMs: scan.durationMs ?? 0,
        requests: scan.requests ?? 0,
      };
    };

  const { siteOf } = siteAccess({ httpAuth, permissions, registry });
  const router = Router();
  // The console's grammar, for the browser terminal's Tab completion: served from the command
  // table the lines are parsed with, so the two never differ. Not secret; signed-in users only.
  router.get('/console/commands', async (req, res) => {
    await httpAuth.credentials(req);
    const answer: ConsoleCommands = { commands: consoleGrammar() };
    res.json(answer);
  });

  // Which account the console runs with (the site's reader), named, never its secret.
  router.get('/sites/:namespace/:name/console/account', async (req, res) => {
    const registered = await siteOf(req, openstackConsoleUsePermission);
    const entityRef = registered.entityRef;
    const set = registered.site
      ? config.credentialSets[registered.site.credentials]
      : undefined;
    if (!set || registered.problems.length > 0) {
      throw new InputError(
        `Site ${entityRef} has no console: ${registered.problems.join('; ')}`,
      );
    }
    const answer: ConsoleAccount = { account: describeAccount(set.reader) };
    res.json(answer);
  });

  router.post(
    '/sites/:namespace/:name/console',
    rate,
    concurrency,
    express.json({ limit: BODY_LIMIT }),
    async (req, res) => {
      const { namespace, name } = parseInput(
        siteParamsSchema,
        req.params,
        'site',
      );
      const { line, terminal } = parseInput(
        consoleRequestSchema,
        req.body,
        'body',
      );
      const entityRef = `resource:${namespace}/${name}`;
      const credentials = await httpAuth.credentials(req);
      const user = who(credentials);
      const audited = {
        site: entityRef,
        line:
          line.length > AUDITED_LINE_LENGTH
            ? `${line.slice(0, AUDITED_LINE_LENGTH)}… (${
                line.length
              } characters)`
            : line,
      };
      const audit = await auditor.createEvent({
        eventId: 'console-command',
        severityLevel: 'low',
        request: req,
        meta: audited,
      });
      const [decision] = await permissions.authorize(
        [{ permission: openstackConsoleUsePermission, resourceRef: entityRef }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        const error = new NotAllowedError(
          `You may not ${openstackConsoleUsePermission.name} on ${entityRef}`,
        );
        logger.info(`Console: ${user} denied on ${entityRef}`, audited);
        await audit.fail({ error, meta: { outcome: 'denied' } });
        throw error;
      }
      const registered = await registry.getSite(entityRef);
      if (!registered) {
        const error = new NotFoundError(`No OpenStack site ${entityRef}`);
        await audit.fail({ error, meta: { outcome: 'not-found' } });
        throw error;
      }

      res.writeHead(200, {
        'Content-Type': `${CONSOLE_CONTENT_TYPE}; charset=utf-8`,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      const send = (message: ConsoleMessage) => {
        if (!res.writableEnded) res.write(`${JSON.stringify(message)}\n`);
      };
      // The caller went away (Ctrl+C aborts the fetch): stop writing.
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableEnded) controller.abort();
      });

      let outcome: ConsoleOutcome;
      const parsed = parseConsoleLine(line);
      const isScan = parsed.ok && command(parsed) === 'scan';
      if (!parsed.ok) {
        send({ type: 'line', text: parsed.refusal });
        outcome = { status: 'refused', message: parsed.refusal };
      } else if (isScan && !(await mayTriggerScan(credentials, entityRef))) {
        // A console scan is stored like "Scan now": it needs that permission too.
        const message = `scan needs ${openstackScanTriggerPermission.name} on ${entityRef}`;
        send({ type: 'line', text: message });
        outcome = { status: 'refused', command: 'scan', message };
      } else if (!registered.site || registered.problems.length > 0) {
        const message = `The console cannot reach ${entityRef}: ${registered.problems.join(
          '; ',
        )}`;
        send({ type: 'line', text: message });
        outcome = { status: 'error', command: command(parsed), message };
      } else {
        const site = registered.site;
        const { sessions } = clientsFor(registered);
        outcome = await executeConsoleCommand(
          parsed.command,
          {
            session: sessions.reader,
            site: siteUnderTest(site),
            scan: {
              sessions,
              profiles: site.profiles,
              profileSettings: config.profiles,
              catalogue: options.catalogue,
              settings: inputs.settingsFor(site),
              sources: inputs.sourcesFor(site),
              runScan: sharedScan(entityRef),
            },
            signal: controller.signal,
            terminal,
          },
          text => send({ type: 'line', text }),
        );
      }
      send({
        type: 'end',
        status: outcome.status,
        ...(outcome.message ? { message: outcome.message } : {}),
      });
      res.end();

      const meta = {
        outcome: outcome.status,
        ...(outcome.command ? { command: outcome.command } : {}),
      };
      logger.info(
        `Console: ${user} on ${entityRef}: ${
          outcome.command ?? 'refused line'
        } → ${outcome.status}`,
        { ...audited, ...meta },
      );
      if (outcome.status === 'ok') {
        await audit.success({ meta });
      } else {
        await audit.fail({
          error: new Error(outcome.message ?? outcome.status),
          meta,
        });
      }
    },
  );

  async function mayTriggerScan(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<boolean> {
    const [decision] = await permissions.authorize(
      [{ permission: openstackScanTriggerPermission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  return {
    router,
    close: () => {
      for (const { clients: made } of clients.values()) made.http.close();
      clients.clear();
    },
  };
}

/** Resolves when the signal aborts (never without one). */
function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

function command(parsed: { command: { grammar: { words: string[] } } }) {
  return parsed.command.grammar.words.join(' ');
}
