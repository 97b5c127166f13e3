import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { rootLoggerServiceFactory } from '@backstage/backend-defaults/rootLogger';
import { loadConfigSchema } from '@backstage/config-loader';
import { rootLoggerWithBuiltSchema } from './rootLogger';

const SECRET = 'reader-password-6f1c';

describe('rootLoggerWithBuiltSchema', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-schema-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is Backstage's own root logger when no schema was built", () => {
    expect(rootLoggerWithBuiltSchema(path.join(dir, 'absent.json'))).toBe(
      rootLoggerServiceFactory,
    );
  });

  it('redacts the secrets the built schema marks, as the default logger does', async () => {
    // The schema as the production build writes it: collected from the plugin's real
    // config.d.ts (`backstage-cli config:schema` serializes the same thing).
    const schema = await loadConfigSchema({
      dependencies: ['@fedstack/plugin-openstack-backend'],
    });
    const file = path.join(dir, 'config-schema.json');
    fs.writeFileSync(file, JSON.stringify(schema.serialize()));

    const factory = rootLoggerWithBuiltSchema(file);
    expect(factory).not.toBe(rootLoggerServiceFactory);
    const logger = await ServiceFactoryTester.from(factory, {
      dependencies: [
        mockServices.rootConfig.factory({
          data: {
            backend: { logger: { level: 'info' } },
            openstack: {
              credentialSets: {
                'site-a': {
                  keystoneUrls: ['https://keystone.example.org:5000/v3'],
                  reader: {
                    type: 'password',
                    username: 'site-reader',
                    password: SECRET,
                  },
                },
              },
            },
          },
        }),
      ],
    }).getSubject();

    // Where winston's Console transport writes: the console's own stream when it has one (under
    // jest, process.stdout or the worker's buffer), else console.log.
    const written: string[] = [];
    const stream = (console as unknown as { _stdout?: NodeJS.WriteStream })
      ._stdout;
    const write = stream
      ? jest
          .spyOn(stream, 'write')
          .mockImplementation((chunk: string | Uint8Array) => {
            written.push(String(chunk));
            return true;
          })
      : jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
          written.push(args.map(String).join(' '));
        });
    try {
      logger.info(`signed in with ${SECRET} as site-reader`);
      logger.debug(`debug line ${SECRET}`);
    } finally {
      write.mockRestore();
    }
    const output = written.join('');
    expect(output).toContain('as site-reader');
    expect(output).not.toContain(SECRET);
    // The level came from backend.logger.level: no debug line.
    expect(output).not.toContain('debug line');
  });
});
