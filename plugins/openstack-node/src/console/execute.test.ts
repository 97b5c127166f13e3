import { runConsoleLine } from './execute';
import { recordedConsole, run } from './testSession';
import { formatValue, renderTable } from './table';

// Console commands against site-a's recorded answers, replayed from local sockets.

describe('console commands on site-a (recorded)', () => {
  const recorded = recordedConsole();

  it('domain list prints the CLI’s table', async () => {
    const { outcome, text } = await run('domain list', recorded.context);
    expect(outcome).toEqual({ status: 'ok', command: 'domain list' });
    expect(text).toBe(
      [
        '+----------------------------------+----------------------------------+---------+---------------------------------------------------------------+',
        '| ID                               | Name                             | Enabled | Description                                                   |',
        '+----------------------------------+----------------------------------+---------+---------------------------------------------------------------+',
        '| default                          | Default                          | True    | The default domain                                            |',
        '| 7c44c3cdf5bd4bb69e04f3f63304dc73 | 7c44c3cdf5bd4bb69e04f3f63304dc73 | True    | Auto generated federated domain for Identity Provider: egi.eu |',
        '+----------------------------------+----------------------------------+---------+---------------------------------------------------------------+',
      ].join('\n'),
    );
  });

  it('user list --domain takes a domain name and lists its federated users', async () => {
    // The federated domain is named after its id: the name finds it.
    const { outcome, lines } = await run(
      'user list --domain 7c44c3cdf5bd4bb69e04f3f63304dc73',
      recorded.context,
    );
    expect(outcome.status).toBe('ok');
    expect(lines[1]).toMatch(/^\| ID +\| Name +\|$/);
    expect(lines.filter(l => l.includes('@egi.eu'))).toHaveLength(4);
  });

  it('user list --domain names a domain that does not exist', async () => {
    const { outcome, text } = await run(
      'user list --domain nowhere',
      recorded.context,
    );
    expect(outcome).toMatchObject({
      status: 'error',
      message: "No domain with a name or ID of 'nowhere' exists.",
    });
    expect(text).toBe("No domain with a name or ID of 'nowhere' exists.");
  });

  it('project list -f json prints the rows as JSON objects', async () => {
    const { text } = await run('project list -f json', recorded.context);
    expect(JSON.parse(text)).toEqual(
      expect.arrayContaining([
        { ID: 'f42fad5b8d4b450b931f936d227e6e53', Name: 'ops' },
        { ID: 'c21e15992b074fd186d922187ad95ea2', Name: 'vo.access.egi.eu' },
      ]),
    );
  });

  it('identity provider show is a Field/Value table', async () => {
    const { text } = await run(
      'identity provider show egi.eu',
      recorded.context,
    );
    expect(text).toBe(
      [
        '+-------------------+------------------------------------+',
        '| Field             | Value                              |',
        '+-------------------+------------------------------------+',
        '| authorization_ttl | None                               |',
        '| description       | EGI Check-in                       |',
        '| domain_id         | 7c44c3cdf5bd4bb69e04f3f63304dc73   |',
        '| enabled           | True                               |',
        '| id                | egi.eu                             |',
        '| remote_ids        | https://aai.egi.eu/auth/realms/egi |',
        '+-------------------+------------------------------------+',
      ].join('\n'),
    );
  });

  it('-c keeps the columns asked for, and names the ones there are when one is not', async () => {
    const { text } = await run(
      'identity provider show egi.eu -c enabled',
      recorded.context,
    );
    expect(text).toBe(
      [
        '+---------+-------+',
        '| Field   | Value |',
        '+---------+-------+',
        '| enabled | True  |',
        '+---------+-------+',
      ].join('\n'),
    );
    const wrong = await run('identity provider list -c Nope', recorded.context);
    expect(wrong.outcome.status).toBe('error');
    expect(wrong.text).toBe(
      'No column "Nope"; columns: ID, Enabled, Domain ID, Description',
    );
  });

  it('federation protocol list and mapping show follow the federation', async () => {
    const protocols = await run(
      'federation protocol list --identity-provider egi.eu',
      recorded.context,
    );
    expect(protocols.lines).toContain('| openid | egi-mapping |');
    const mapping = await run('mapping show egi-mapping', recorded.context);
    expect(mapping.outcome.status).toBe('ok');
    expect(mapping.text).toContain('| id    | egi-mapping');
    // The rules as indented JSON, one row line per line.
    expect(mapping.text).toMatch(/\|\s+\|\s+"type": "HTTP_OIDC_ISS",\s+\|/);
    expect((await run('mapping list', recorded.context)).lines[3]).toBe(
      '| egi-mapping |',
    );
  });

  it('catalog list, endpoint list and region list show where the services are', async () => {
    const catalog = await run('catalog list', recorded.context);
    expect(catalog.text).toMatch(
      /\| nova +\| compute +\| RegionOne +\|\n\| +\| +\| {3}public: http:\/\/127\.0\.0\.1:\d+\/v2\.1 +\|/,
    );
    const endpoints = await run('endpoint list', recorded.context);
    expect(endpoints.lines[1]).toMatch(
      /^\| ID +\| Region +\| Service Name \| Service Type \| Enabled \| Interface \| URL +\|$/,
    );
    expect(endpoints.text).toMatch(
      /\| RegionOne \| cinderv3 +\| volumev3 +\| True +\| public +\| http:\/\/127\.0\.0\.1:\d+\/v3\/%\(project_id\)s/,
    );
    expect((await run('region list', recorded.context)).lines[3]).toMatch(
      /^\| RegionOne \|/,
    );
  });

  it('flavor, image and network lists read Nova, Glance and Neutron', async () => {
    expect((await run('flavor list', recorded.context)).text).toMatch(
      // Numbers right-aligned, as cliff aligns a column whose first value is a number.
      /\| m1\.monitoring \| 2048 \| +10 \| +0 \| +1 \| True +\|/,
    );
    expect((await run('image list', recorded.context)).text).toMatch(
      /\| egi-probe-image \| active \|/,
    );
    expect((await run('network list', recorded.context)).text).toMatch(
      /\| ops-net \| 8349fb94-d495-47d3-b8ab-0e0b14d38fc8 \|/,
    );
  });

  it('versions show asks every public endpoint, and shows the one that did not answer', async () => {
    const { text } = await run('versions show', recorded.context);
    expect(text).toMatch(/\| RegionOne +\| identity +\| 3\.14 +\| STABLE/);
    expect(text).toMatch(
      /\| RegionOne +\| compute +\| 2\.1 +\| CURRENT .*\| 2\.1 +\| 2\.93 +\|/,
    );
    // Swift has no version document at its root; the replay has none either.
    expect(text).toMatch(/\| object-store \| +\| HTTP 404/);
  });

  it('check runs one check after what it needs, with its evidence', async () => {
    const lines: string[] = [];
    const { outcome, text } = await run('check keystone.v3', recorded.context);
    lines.push(...text.split('\n'));
    expect(outcome).toEqual({ status: 'ok', command: 'check' });
    expect(lines[0]).toMatch(
      /^pass {2}keystone\.reachable: Keystone answers .* \(needed first\)$/,
    );
    expect(text).toContain('| status      | pass ');
    expect(text).toContain('| message     | Keystone offers v3.14 ');
    expect(text).toMatch(
      /Evidence: 1 request\(s\)\n {2}GET http:\/\/127\.0\.0\.1:\d+\/ → HTTP 300/,
    );
  });

  it('help lists every command', async () => {
    const { text } = await run('help', recorded.context);
    for (const usage of [
      'user list [--domain DOMAIN]',
      'server show SERVER',
      'federation protocol list --identity-provider IDP',
      'check CHECK',
      'scan',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('stops writing once cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { outcome, lines } = await run('domain list', {
      ...recorded.context,
      signal: controller.signal,
    });
    expect(outcome.status).toBe('cancelled');
    expect(lines).toEqual([]);
  });

  it('Ctrl+C during a scan ends it, its checks and their requests', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const { http } = recorded.context.session;
    const before = http.requestCount;
    const outcome = await runConsoleLine(
      'scan',
      { ...recorded.context, signal: controller.signal },
      line => {
        lines.push(line);
        // The first finished check (after "Scanning …"): the user presses Ctrl+C.
        if (lines.length === 2) controller.abort();
      },
    );
    expect(outcome).toEqual({ status: 'cancelled', command: 'scan' });
    expect(lines).toHaveLength(2);
    // Nothing of the scan goes on asking the site after it ended.
    const asked = http.requestCount;
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(http.requestCount).toBe(asked);
    // And it asked far less than a whole scan does.
    await run('scan', recorded.context);
    expect(asked - before).toBeLessThan((http.requestCount - asked) / 2);
  });

  it('scan and check refuse where no scan accounts are given', async () => {
    const { outcome, text } = await run('scan', {
      ...recorded.context,
      scan: undefined,
    });
    expect(outcome.status).toBe('error');
    expect(text).toBe('scan is not available for this site.');
  });
});

describe('values and tables as the CLI writes them', () => {
  it('writes Python’s literals, lists and dicts', () => {
    expect(formatValue(null)).toBe('None');
    expect(formatValue(false)).toBe('False');
    expect(formatValue(['a', 'b'])).toBe('a, b');
    expect(formatValue({ b: '2', a: '1' })).toBe("a='1', b='2'");
  });

  it('prints only the header of an empty list', () => {
    expect(renderTable(['ID', 'Name'], [])).toEqual([
      '+----+------+',
      '| ID | Name |',
      '+----+------+',
    ]);
  });
});
