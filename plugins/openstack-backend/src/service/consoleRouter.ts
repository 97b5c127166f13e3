import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CONSOLE_CONTENT_TYPE,
  ConsoleMessage,
  consoleRequestSchema,
  openstackConsoleUsePermission,
  siteParamsSchema,
} from '@fedstack/plugin-openstack-common';
import {
  ConsoleOutcome,
  executeConsoleCommand,
  parseConsoleLine,
  ProfileId,
} from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { ScanInputs, siteUnderTest } from './scanInputs';
import { RegisteredSite, SiteRegistry } from './SiteRegistry';
import { createSiteClients, SiteClients } from './siteSessions';
import { parseInput } from './validation';

/**
 * `POST /sites/{namespace}/{name}/console`: runs one line of the site console (read-only,
 * allow-listed commands; see the node library's src/console) with the site's reader account,
 * and streams its output as NDJSON. Every line is permission-checked and audited, refused or not.
 */

export interface ConsoleRouterOptions {
  config: OpenStackPluginConfig;
  /** The scans' sources and settings, so a console scan judges as "Scan now" does. */
  inputs?: ScanInputs;
  registry: SiteRegistry;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}

// Room for a pasted 100 kB line, which the console then refuses with its reason.
const BODY_LIMIT = '256kb';
// What the audit keeps of a line: enough to see what was tried, not a pasted file.
const AUDITED_LINE_LENGTH = 1000;

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
  const inputs = options.inputs ?? new ScanInputs(config);
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

  const router = Router();
  router.post(
    '/sites/:namespace/:name/console',
    express.json({ limit: BODY_LIMIT }),
    async (req, res) => {
      const { namespace, name } = parseInput(
        siteParamsSchema,
        req.params,
        'site',
      );
      const { line } = parseInput(consoleRequestSchema, req.body, 'body');
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
      if (!parsed.ok) {
        send({ type: 'line', text: parsed.refusal });
        outcome = { status: 'refused', message: parsed.refusal };
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
              profiles: site.profiles as ProfileId[],
              profileSettings: config.profiles,
              settings: inputs.settingsFor(site),
              sources: inputs.sourcesFor(site),
            },
            signal: controller.signal,
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

  return {
    router,
    close: () => {
      for (const { clients: made } of clients.values()) made.http.close();
      clients.clear();
    },
  };
}

function command(parsed: { command: { grammar: { words: string[] } } }) {
  return parsed.command.grammar.words.join(' ');
}
