/*
 * Backstage's root logger, with the configuration schema read from a file written at build time
 * when there is one, instead of compiled at every start.
 *
 * The default root logger finds the configuration's secrets (to redact them from every log line)
 * by compiling each package's `config.d.ts` with TypeScript when the backend starts: two
 * TypeScript compilers (config-loader's and ts-json-schema-generator's) stay loaded for the
 * process's life, ~40 MB of its heap (bench/fleet-backend.mjs, BENCHMARKS.md). The production
 * build (scripts/production.sh) writes the same schema once with `backstage-cli config:schema`;
 * without that file (development, tests) this is Backstage's own factory, unchanged.
 */
import fs from 'node:fs';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import {
  WinstonLogger,
  WinstonLoggerLevelOverride,
  rootLoggerServiceFactory,
} from '@backstage/backend-defaults/rootLogger';
import { loadConfigSchema } from '@backstage/config-loader';
import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { format, transports } from 'winston';

const LEVELS = ['error', 'warn', 'info', 'debug'];

/** `backend.logger` as Backstage's root logger reads it. */
function loggerSettings(config: Config): {
  level?: string;
  meta?: JsonObject;
  overrides: WinstonLoggerLevelOverride[];
} {
  const overrides = config
    .getOptionalConfigArray('backend.logger.overrides')
    ?.map((override, index) => {
      const level = override.getString('level');
      if (!LEVELS.includes(level)) {
        throw new Error(
          `Invalid config at backend.logger.overrides[${index}].level, '${level}' is not a valid logging level, must be one of ${LEVELS.map(
            l => `'${l}'`,
          ).join(', ')}.`,
        );
      }
      return {
        level,
        matchers: override
          .getConfig('matchers')
          .get<WinstonLoggerLevelOverride['matchers']>(),
      };
    });
  return {
    level: config.getOptionalString('backend.logger.level'),
    meta: config.getOptionalConfig('backend.logger.meta')?.get<JsonObject>(),
    overrides: overrides ?? [],
  };
}

/**
 * The root logger: with `schemaFile` (a `backstage-cli config:schema --format json` output)
 * present, the secrets come from that schema; else Backstage's default root logger.
 */
export function rootLoggerWithBuiltSchema(schemaFile: string) {
  if (!fs.existsSync(schemaFile)) return rootLoggerServiceFactory;
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: { config: coreServices.rootConfig },
    async factory({ config }) {
      const settings = loggerSettings(config);
      const logger = WinstonLogger.create({
        meta: { service: 'backstage', ...settings.meta },
        level: process.env.LOG_LEVEL || settings.level || 'info',
        format:
          process.env.NODE_ENV === 'production'
            ? format.json()
            : WinstonLogger.colorFormat(),
        transports: [new transports.Console()],
      });
      const schema = await loadConfigSchema({
        serialized: JSON.parse(fs.readFileSync(schemaFile, 'utf8')),
      });
      logger.info(
        `Configuration schema read from ${schemaFile}, written at build time (no TypeScript compile at start)`,
      );
      const secretsOf = await createConfigSecretEnumerator({ logger, schema });
      logger.addRedactions(secretsOf(config));
      config.subscribe?.(() => logger.addRedactions(secretsOf(config)));
      logger.setLevelOverrides(settings.overrides);
      config.subscribe?.(() =>
        logger.setLevelOverrides(loggerSettings(config).overrides),
      );
      return logger;
    },
  });
}
