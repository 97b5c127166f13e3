import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import {
  COMMAND_COLUMNS,
  ConsoleContext,
  consoleGrammar,
  typedColumn,
} from './commands';
import { runConsoleLine } from './execute';
import { OpenStackSession } from '../client/session';
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

    // What an operator reads first, as python-openstackclient 6.0 prints it on site-a (the
    // headers and rows below are copied from `openstack … ` run against the sandbox).
    const reads = async (line: string) => {
      const result = await run(line, context);
      expect(result.outcome).toEqual({
        status: 'ok',
        command: expect.any(String),
      });
      for (const password of passwords) {
        expect(result.text).not.toContain(password);
      }
      return result;
    };

    it('server list shows the project’s servers, --all-projects every project’s', async () => {
      const own = await reads('server list');
      expect(own.lines[1]).toBe(
        '| ID | Name | Status | Networks | Image | Flavor |',
      );
      const all = await reads('server list --all-projects');
      expect(all.lines[1]).toMatch(
        /^\| ID +\| Name +\| Status \| Networks \| Image +\| Flavor +\|$/,
      );
      expect(all.text).toMatch(
        /\| [0-9a-f-]{36} \| monitoring-probe-vm \| BUILD +\| +\| egi-probe-image \| m1\.monitoring \|/,
      );
      const json = JSON.parse(
        (await reads('server list --all-projects -f json')).text,
      );
      expect(json).toContainEqual(
        expect.objectContaining({
          Name: 'monitoring-probe-vm',
          Networks: {},
          Image: 'egi-probe-image',
        }),
      );
    });

    it('volume list --all-projects shows the size right-aligned, as cliff does', async () => {
      const { lines, text } = await reads('volume list --all-projects');
      expect(lines[1]).toMatch(
        /^\| ID +\| Name +\| Status +\| Size \| Attached to \|$/,
      );
      expect(text).toMatch(/\| ops-data \| creating \| +1 \| +\|/);
      const value = await reads(
        'volume list --all-projects -f value -c Name -c Size',
      );
      expect(value.lines).toContain('ops-data 1');
    });

    it('image list and network list', async () => {
      expect((await reads('image list')).text).toMatch(
        /\| [0-9a-f-]{36} \| egi-probe-image \| active \|/,
      );
      const networks = await reads('network list -f yaml');
      expect(networks.text).toMatch(
        /^- ID: [0-9a-f-]{36}\n {2}Name: ops-net\n {2}Subnets:\n {2}- [0-9a-f-]{36}$/m,
      );
    });

    it('router list shows State UP/DOWN, and Distributed and HA to an admin', async () => {
      const { lines, text } = await reads('router list');
      expect(lines[1]).toMatch(
        /^\| ID +\| Name +\| Status \| State \| Project +\| Distributed \| HA +\|$/,
      );
      expect(text).toMatch(
        /\| ops-router \| ACTIVE \| UP +\| [0-9a-f]{32} \| False +\| False \|/,
      );
    });

    it('floating ip list has the CLI’s columns', async () => {
      const { lines } = await reads('floating ip list');
      expect(lines[1]).toBe(
        '| ID | Floating IP Address | Fixed IP Address | Port | Floating Network | Project |',
      );
    });

    it('quota show merges Nova, Cinder and Neutron under the CLI’s names', async () => {
      const own = await reads('quota show');
      expect(own.text).toMatch(/\| cores +\| 20 +\|/);
      expect(own.text).toMatch(/\| project_name +\| admin +\|/);
      const ops = await reads(
        'quota show ops -f yaml -c cores -c project_name -c volumes___DEFAULT__',
      );
      expect(ops.text).toBe(
        'cores: 20\nproject_name: ops\nvolumes___DEFAULT__: -1',
      );
      const fields = JSON.parse((await reads('quota show ops -f json')).text);
      for (const key of [
        'secgroup-rules',
        'floating-ips',
        'backup-gigabytes',
        'properties',
        'rbac_policies',
        'subnet_pools',
        'ports',
      ]) {
        expect(fields).toHaveProperty([key]);
      }
    });

    it('limits show --absolute: Nova’s limits, then Cinder’s, values right-aligned', async () => {
      const { lines } = await reads('limits show --absolute');
      expect(lines[1]).toBe('| Name                     | Value |');
      expect(lines[3]).toMatch(/^\| maxTotalInstances +\| +\d+ \|$/);
      expect(lines).toContainEqual(
        expect.stringMatching(/^\| totalBackupGigabytesUsed \| +\d+ \|$/),
      );
      const names = lines.map(l => l.split('|')[1]?.trim());
      expect(names.indexOf('maxTotalCores')).toBeLessThan(
        names.indexOf('maxTotalVolumes'),
      );
    });

    it('usage show says the period and project, then the usage', async () => {
      const { lines } = await reads('usage show --project ops');
      expect(lines[0]).toMatch(
        /^Usage from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d on project [0-9a-f]{32}: $/,
      );
      expect(lines.slice(5, 9).map(l => l.split('|')[1].trim())).toEqual([
        'Servers',
        'RAM MB-Hours',
        'CPU Hours',
        'Disk GB-Hours',
      ]);
      // -f json prints no sentence before it.
      expect(
        JSON.parse((await reads('usage show -f json')).text),
      ).toHaveProperty(['CPU Hours']);
    });

    it('role assignment list --names shows name@domain, without it ids', async () => {
      const named = await reads('role assignment list --names');
      expect(named.lines[1]).toMatch(
        /^\| Role +\| User +\| Group +\| Project +\| Domain \| System \| Inherited \|$/,
      );
      expect(named.text).toMatch(
        /\| admin +\| admin@Default +\| +\| admin@Default +\| +\| +\| False +\|/,
      );
      expect(named.text).toMatch(
        /\| member +\| +\| ops@Default +\| ops@Default +\|/,
      );
      expect(named.text).toMatch(
        /\| reader +\| metering@Default +\| +\| +\| +\| all +\|/,
      );
      const ids = await reads(
        'role assignment list --user metering -c Role -c User',
      );
      expect(ids.text).toMatch(/\| [0-9a-f]{32} \| [0-9a-f]{32} \|/);
      expect(ids.text).not.toContain('metering');
    });

    it('colours statuses and fits a wide table to the terminal', async () => {
      const coloured = await run('server list --all-projects', {
        ...context,
        terminal: { columns: 80, colour: true },
      });
      expect(coloured.text).toContain('\x1b[33mBUILD\x1b[0m');
      // eslint-disable-next-line no-control-regex
      const plain = coloured.lines.map(l => l.replace(/\x1b\[[0-9;]*m/g, ''));
      for (const row of plain.filter(l => /^[+|]/.test(l)))
        expect(row.length).toBeLessThanOrEqual(80);
      expect(plain.at(-1)).toBe(
        'Cut to fit 80 columns ("…"): -c COLUMN or -f json shows it all.',
      );
      expect(plain.join('\n')).toContain('…');
    });

    it.each([
      [
        'server delete 2bf6aca9-f284-4b77-8976-a5cc35fa86e4',
        /would change the site/,
      ],
      ['server list --os-password x', /has no option --os-password/],
      ['volume delete ops-data', /would change the site/],
      ['volume list; openstack volume delete ops-data', /";" not allowed/],
      ['image list $(cat /etc/passwd)', /not allowed/],
      ['network list | sh', /"\|" not allowed/],
      ['router unset --external-gateway ops-router', /would change the site/],
      ['floating ip create public', /would change the site/],
      ['quota set --cores 1000 ops', /would change the site/],
      ['limits show --absolute --os-token abc', /has no option --os-token/],
      ['usage show --project `id`', /"`" not allowed/],
      ['role assignment list --names > /tmp/x', /">" not allowed/],
      ['role add --user x --project y admin', /would change the site/],
    ])(
      'refuses %s on the live site, asking it nothing',
      async (line, refusal) => {
        const before = context.session.requestCount;
        const { outcome, text } = await run(line, context);
        expect(outcome.status).toBe('refused');
        expect(text).toMatch(refusal);
        expect(context.session.requestCount).toBe(before);
      },
    );

    // What Tab completes after `-c` is what each command prints: every command is run here and
    // its columns compared with COMMAND_COLUMNS (a list's header, a show's fields).
    it('completes -c with the columns each command prints, and -c takes every one', async () => {
      const lineOf: Record<string, string> = {
        'server list': 'server list --all-projects',
        'volume list': 'volume list --all-projects',
        'limits show': 'limits show --absolute',
        'federation protocol list':
          'federation protocol list --identity-provider egi.eu',
      };
      const withColumns = consoleGrammar().filter(c =>
        c.options.some(o => o.name === 'column'),
      );
      const undeclared = withColumns
        .filter(c => !COMMAND_COLUMNS[c.words.join(' ')])
        .map(c => c.words.join(' '));
      // Only shows of an API resource's own fields go without (each is a show: see below).
      expect(undeclared).toEqual([
        'quota show',
        'user show',
        'server show',
        'identity provider show',
        'mapping show',
      ]);
      expect((await reads('quota show -f json')).text).toMatch(/^\{/);
      for (const [words, declared] of Object.entries(COMMAND_COLUMNS)) {
        const line = lineOf[words] ?? words;
        const json = JSON.parse((await reads(`${line} -f json`)).text);
        let printed: string[];
        if (Array.isArray(json)) {
          const header = (await reads(line)).lines.find(l => l.startsWith('|'));
          printed = header!
            .split('|')
            .slice(1, -1)
            .map(cell => cell.trim());
        } else {
          printed = Object.keys(json);
        }
        // Neutron shows routers' Distributed and HA to some only.
        const optional = words === 'router list' ? ['Distributed', 'HA'] : [];
        expect([words, printed]).toEqual([
          words,
          declared.filter(c => printed.includes(c) || !optional.includes(c)),
        ]);
        const grammar = withColumns.find(c => c.words.join(' ') === words);
        const candidates = grammar!.options.find(o => o.name === 'column')!
          .values!;
        expect(candidates).toEqual(declared.map(typedColumn));
        const typed = candidates.filter((_c, i) =>
          printed.includes(declared[i]),
        );
        const selected = await reads(
          `${line} -f json ${typed.map(c => `-c ${c}`).join(' ')}`,
        );
        expect(selected.outcome.status).toBe('ok');
      }
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

describeLive(
  `the console as a read-only account${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    // The sandbox's site-reader: reader on the system (identity reads) and on project admin
    // (the services' reads), as a federation would give fedstack; no admin anywhere.
    let context: ConsoleContext;
    let close: () => void;
    beforeAll(() => {
      const made = sandboxSessions(SANDBOX_SITES['site-a'], settings);
      close = () => made.http.close();
      context = {
        session: new OpenStackSession({
          keystoneUrl: SANDBOX_SITES['site-a'].keystoneUrl,
          region: SANDBOX_SITES['site-a'].region,
          http: made.http,
          credential: {
            type: 'password',
            username:
              settings.FEDSTACK_SANDBOX_SITE_READER_USERNAME ?? 'site-reader',
            password:
              settings.FEDSTACK_SANDBOX_SITE_READER_PASSWORD ??
              'site-reader-secret',
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
            identityScope: { system: 'all' },
          },
        }),
        site: SANDBOX_SITES['site-a'],
      };
    });
    afterAll(() => close());

    it('reads Keystone (system scope) and the services (project scope)', async () => {
      const projects = await run('project list', context);
      expect(projects.outcome.status).toBe('ok');
      expect(projects.text).toMatch(/\| [0-9a-f]{32} \| ops +\|/);
      const mappings = await run('mapping list', context);
      expect(mappings.text).toContain('egi-mapping');
      const images = await run('image list', context);
      expect(images.text).toContain('egi-probe-image');
      const servers = await run('server list', context);
      expect(servers.outcome.status).toBe('ok');
    });

    it('says the account lacks the right when OpenStack refuses a command', async () => {
      const all = await run('server list --all-projects', context);
      expect(all.outcome.status).toBe('error');
      expect(all.text).toMatch(
        /^Listing servers failed: the console's account lacks the right to do this on this site \(its Keystone roles do not allow it\): HTTP 403: .*get_all_tenants/,
      );
      const quota = await run('quota show ops', context);
      expect(quota.outcome.status).toBe('error');
      expect(quota.text).toMatch(/lacks the right .*HTTP 403/);
      // Cinder would answer with the account's own project's volumes alone: said, not shown.
      const volumes = await run('volume list --all-projects', context);
      expect(volumes.outcome.status).toBe('error');
      expect(volumes.text).toBe(
        "Listing every project's volumes: the console's account lacks the right to do this on this site (Cinder gives it to admins only; the account holds reader on project admin, and Cinder would list that project's volumes alone)",
      );
      expect((await run('volume list', context)).outcome.status).toBe('ok');
    });
  },
);
