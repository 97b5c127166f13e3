import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import { ConsoleContext } from './commands';
import { runConsoleLine } from './execute';
import { run } from './testSession';

// The console against the live sandbox's site-a, with the reader account (admin) and, for
// `scan`, the platform accounts.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);

jest.setTimeout(90_000);

describeLive(
  `the console on the live sandbox${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    let context: ConsoleContext;
    let passwords: string[];
    let close: () => void;
    beforeAll(() => {
      const made = sandboxSessions(SANDBOX_SITES['site-a'], settings);
      passwords = made.passwords;
      close = () => made.http.close();
      context = {
        session: made.sessions.reader,
        site: SANDBOX_SITES['site-a'],
        scan: { sessions: made.sessions, profiles: ['egi-fedcloud'] },
      };
    });
    afterAll(() => close());

    it('project list, user show by name and by id', async () => {
      const projects = await run('openstack project list', context);
      expect(projects.outcome.status).toBe('ok');
      expect(projects.lines[1]).toMatch(/^\| ID +\| Name +\|$/);
      expect(projects.text).toMatch(/\| [0-9a-f]{32} \| ops +\|/);

      const byName = await run('user show admin -f json', context);
      const user = JSON.parse(byName.text);
      expect(user).toMatchObject({ name: 'admin', domain_id: 'default' });
      const byId = await run(`user show ${user.id} -c name`, context);
      expect(byId.lines[3]).toMatch(/^\| name +\| admin +\|$/);
    });

    it('server show ID -c properties shows the server’s metadata', async () => {
      const servers = await context.session.compute.servers({
        all_tenants: true,
      });
      if (!servers.ok) throw new Error(servers.error.message);
      const server = servers.data.find(s => Object.keys(s.metadata).length > 0);
      if (!server) throw new Error('the sandbox has no server with metadata');
      const { outcome, text } = await run(
        `server show ${server.id} -c properties`,
        context,
      );
      expect(outcome.status).toBe('ok');
      const [key, value] = Object.entries(server.metadata).sort(([a], [b]) =>
        a.localeCompare(b),
      )[0];
      expect(text).toContain(`| properties | ${key}='${value}'`);
      const whole = await run(`server show ${server.id}`, context);
      expect(whole.text).toMatch(new RegExp(`\\| id +\\| ${server.id} +\\|`));
      expect(whole.text).toMatch(/\| project_id +\| [0-9a-f]{32} +\|/);
    });

    it('server show of an id that does not exist says so', async () => {
      const { outcome, text } = await run(
        'server show 00000000-0000-0000-0000-000000000000',
        context,
      );
      expect(outcome.status).toBe('error');
      expect(text).toBe(
        "No server with an ID of '00000000-0000-0000-0000-000000000000' exists.",
      );
    });

    it('scan streams a line per check, then the score, and shows no password', async () => {
      const lines: string[] = [];
      const outcome = await runConsoleLine('scan', context, line =>
        lines.push(line),
      );
      expect(outcome.status).toBe('ok');
      expect(lines[0]).toBe('Scanning site-a for egi-fedcloud…');
      const checkLines = lines.filter(l => /^\[\s*\d+\/\d+\] /.test(l));
      expect(checkLines.length).toBeGreaterThan(10);
      expect(checkLines).toContainEqual(
        expect.stringMatching(/pass {2}federation\.mapping: /),
      );
      // No external sources in this context: the accounting checks are not evaluated, so the
      // site is incomplete rather than READY, and the table says which and why.
      expect(lines.join('\n')).toMatch(
        /\| egi-fedcloud \| [\d.]+% +\| INCOMPLETE /,
      );
      expect(lines.join('\n')).toContain('accounting.fresh (major): No');
      for (const password of passwords) {
        expect(lines.join('\n')).not.toContain(password);
      }
    });
  },
);
