import { OpenStackSession } from '../client/session';
import { FixtureSite, startFixtureSite } from '../testing/sandboxFixtures';
import { ConsoleContext } from './commands';
import { runConsoleLine, ConsoleOutcome } from './execute';

// Test-only: a console context on the recorded site-a, and a way to run a line and keep its output.

export function fixtureContext(site: FixtureSite): ConsoleContext {
  const session = new OpenStackSession({
    keystoneUrl: site.keystoneUrl,
    region: 'RegionOne',
    credential: {
      type: 'password',
      username: 'admin',
      password: 'admin-secret',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
    httpOptions: { timeoutMs: 3000 },
    now: () => site.recordedAt.getTime(),
  });
  return {
    session,
    site: {
      name: 'site-a',
      keystoneUrl: site.keystoneUrl,
      region: 'RegionOne',
    },
    scan: { sessions: { reader: session }, profiles: ['egi-fedcloud'] },
  };
}

export async function run(
  line: string,
  context: ConsoleContext,
): Promise<{ outcome: ConsoleOutcome; lines: string[]; text: string }> {
  const lines: string[] = [];
  const outcome = await runConsoleLine(line, context, l => lines.push(l));
  return { outcome, lines, text: lines.join('\n') };
}

/**
 * The recorded site-a, served from local sockets, and a console context on it for the tests of
 * the describe block it is called in: started before them, closed after.
 */
export function recordedConsole(): { context: ConsoleContext } {
  let site: FixtureSite;
  const recorded = {} as { context: ConsoleContext };
  beforeAll(async () => {
    site = await startFixtureSite('site-a');
    recorded.context = fixtureContext(site);
  });
  afterAll(async () => {
    recorded.context.session.close();
    await site.close();
  });
  return recorded;
}
