// The sandbox, proven through the real APIs: site-a holds every seeded object, and each defect
// of site-b, seeded alone, is present while every other defect is absent (sandbox/verify reads
// both sites with Keystone's and the services' own APIs and fails on any difference).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SANDBOX = import.meta.dirname;
const defects: Array<{
  id: string;
  check: string;
  status: string;
  variantOnly?: boolean;
}> = JSON.parse(readFileSync(join(SANDBOX, 'defects.json'), 'utf8')).defects;
// What `seed --site b` (defects "all") applies: the variants exclude one of these.
const defaultDefects = defects.filter(d => !d.variantOnly);

function run(script: string, ...args: string[]): string {
  const result = spawnSync(join(SANDBOX, script), args, {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(
    result.status,
    0,
    `${script} ${args.join(' ')} failed:\n${output}`,
  );
  return output;
}

function verifiedLines(output: string): string[] {
  const lines = output.split('\n');
  assert.deepEqual(
    lines.filter(line => line.startsWith('FAIL')),
    [],
    'verify reported failures',
  );
  return lines.filter(line => line.startsWith('ok'));
}

describe('OpenStack sandbox', () => {
  after(() => {
    // site-b is shared: put back the documented variant (every defect).
    run('seed', '--site', 'b');
  });

  it('site-a holds every seeded object and none of the defects', () => {
    const ok = verifiedLines(run('verify', '--site', 'a'));
    // Catalog types, federation objects, VO projects, flavors, accounts, users, resources.
    assert.ok(ok.length >= 20, `only ${ok.length} objects verified`);
  });

  it('site-b without defects passes what site-a passes', () => {
    run('seed', '--site', 'b', '--defects', 'none');
    verifiedLines(run('verify', '--site', 'b'));
  });

  for (const defect of defects) {
    it(`site-b with only ${defect.id} shows it (trips ${defect.check}: ${defect.status})`, () => {
      run('seed', '--site', 'b', '--defects', defect.id);
      const ok = verifiedLines(run('verify', '--site', 'b'));
      assert.ok(
        ok.some(line => line.includes(defect.id)),
        `verify did not report ${defect.id} as present:\n${ok.join('\n')}`,
      );
    });
  }

  it('site-b with every default defect at once shows them all', () => {
    run('seed', '--site', 'b');
    const ok = verifiedLines(run('verify', '--site', 'b'));
    for (const defect of defaultDefects) {
      assert.ok(
        ok.some(line => line.includes(defect.id)),
        defect.id,
      );
    }
  });
});

// site-a's Keystone runs several worker processes (sandbox/start). Keystone caches what it reads
// (projects among them) and invalidates its cache on writes: with a cache per process, a worker
// that did not make the write would keep answering the old value. They share memcached instead.
describe("site-a's Keystone workers", () => {
  const sandboxDir =
    process.env.FEDSTACK_SANDBOX_DIR ?? join(SANDBOX, '..', '.sandbox');
  const keystone = 'http://127.0.0.1:5000/v3';

  async function adminToken(): Promise<string> {
    const password =
      process.env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret';
    const response = await fetch(`${keystone}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: 'admin', domain: { id: 'default' }, password },
            },
          },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    assert.equal(response.status, 201, await response.text());
    return response.headers.get('x-subject-token')!;
  }

  it('are several processes', () => {
    const master = readFileSync(
      join(sandboxDir, 'run', 'keystone-a.pid'),
      'utf8',
    ).trim();
    const workers = spawnSync('pgrep', ['-P', master], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    assert.ok(
      workers.length >= 2,
      `keystone-a has ${workers.length} worker(s)`,
    );
  });

  it('all see a change made through one of them', async () => {
    const token = await adminToken();
    const headers = {
      'x-auth-token': token,
      'content-type': 'application/json',
    };
    const created = await fetch(`${keystone}/projects`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        project: {
          name: `cache-coherence-${Date.now()}`,
          description: 'before',
        },
      }),
    });
    assert.equal(created.status, 201);
    const { project } = (await created.json()) as { project: { id: string } };
    const descriptions = async () => {
      const seen: string[] = [];
      // uwsgi hands each new connection to whichever worker accepts it first (the sandbox's
      // Keystone closes every connection), so 20 reads reach every worker.
      for (let i = 0; i < 20; i++) {
        const read = await fetch(`${keystone}/projects/${project.id}`, {
          headers,
        });
        seen.push(
          ((await read.json()) as { project: { description: string } }).project
            .description,
        );
      }
      return new Set(seen);
    };
    try {
      assert.deepEqual(await descriptions(), new Set(['before'])); // now cached by every worker
      const updated = await fetch(`${keystone}/projects/${project.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ project: { description: 'after' } }),
      });
      assert.equal(updated.status, 200);
      assert.deepEqual(await descriptions(), new Set(['after']));
    } finally {
      await fetch(`${keystone}/projects/${project.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ project: { enabled: false } }),
      });
      await fetch(`${keystone}/projects/${project.id}`, {
        method: 'DELETE',
        headers,
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The stand-ins for EGI's central services (sandbox/registry-stand-ins), through real HTTP.
// What they say about the sites is checked against the sites' Keystones by sandbox/verify (above,
// per defect); here each route answers in the real service's shape.
const GOCDB = 'http://127.0.0.1:8301/gocdbpi/public/';
const CLOUD_INFO = 'http://127.0.0.1:8302';
const PORTAL = 'http://127.0.0.1:8303';

async function text(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, response, body: await response.text() };
}
const all = (xml: string, tagName: string) =>
  [...xml.matchAll(new RegExp(`<${tagName}>([^<]*)</${tagName}>`, 'g'))].map(
    m => m[1],
  );

describe('GOCDB stand-in (public API)', () => {
  it("get_service_endpoint: a site's nova service with its URL and <ENDPOINTS>", async () => {
    const { status, body } = await text(
      `${GOCDB}?method=get_service_endpoint&sitename=SANDBOX-SITE-A&service_type=org.openstack.nova`,
    );
    assert.equal(status, 200);
    assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<results>/);
    assert.match(body, /<SERVICE_ENDPOINT PRIMARY_KEY="\d+G0">/);
    assert.deepEqual(all(body, 'SERVICE_TYPE'), ['org.openstack.nova']);
    assert.deepEqual(all(body, 'SITENAME'), ['SANDBOX-SITE-A']);
    // The service's own URL, then its endpoint's URL: both Keystone's.
    assert.deepEqual(all(body, 'URL'), [
      'http://127.0.0.1:5000/v3',
      'http://127.0.0.1:5000/v3',
    ]);
    assert.deepEqual(all(body, 'IN_PRODUCTION'), ['Y']);
    assert.deepEqual(all(body, 'NODE_MONITORED'), ['Y']);
    assert.deepEqual(all(body, 'INTERFACENAME'), ['org.openstack.nova']);
  });

  it('get_service_endpoint pages with page= as GOCDB does, following rel="next" to the end', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${GOCDB}?method=get_service_endpoint&page=1`;
    for (let pages = 0; url && pages < 10; pages++) {
      const { body } = await text(url);
      assert.match(body, /<meta>\n {4}<link rel="self" href="[^"]+"\/>/);
      assert.match(body, /<link rel="first" href="[^"]*page=1"\/>/);
      seen.push(...all(body, 'PRIMARY_KEY'));
      url = /<link rel="next" href="([^"]+)"\/>/
        .exec(body)?.[1]
        ?.replace(/&amp;/g, '&');
      if (url) assert.match(url, /method=get_service_endpoint/);
    }
    // Two sites, a nova and an accounting service each, over more than one page.
    assert.equal(seen.length, 4);
    assert.equal(new Set(seen).size, 4);
    const unpaged = await text(`${GOCDB}?method=get_service_endpoint`);
    assert.doesNotMatch(unpaged.body, /<meta>/);
    assert.equal(all(unpaged.body, 'PRIMARY_KEY').length, 4);
  });

  it('get_service_endpoint with cursor paging (next_cursor=0) counts its page', async () => {
    const { body } = await text(
      `${GOCDB}?method=get_service_endpoint&next_cursor=0`,
    );
    assert.match(body, /<link rel="start" href="[^"]*next_cursor=0"\/>/);
    assert.match(body, /<count>\d+<\/count>/);
    assert.match(body, /<max_page_size>\d+<\/max_page_size>/);
  });

  it('scope= filters as GOCDB: a scope the sites lack gives an empty <results>', async () => {
    const { body } = await text(
      `${GOCDB}?method=get_service_endpoint&scope=wlcg`,
    );
    assert.doesNotMatch(body, /SERVICE_ENDPOINT/);
    const both = await text(
      `${GOCDB}?method=get_service_endpoint&scope=EGI,FedCloud`,
    );
    assert.equal(all(both.body, 'PRIMARY_KEY').length, 4);
  });

  it("an unknown parameter gets GOCDB's <error>", async () => {
    const { body } = await text(
      `${GOCDB}?method=get_service_endpoint&site=SANDBOX-SITE-A`,
    );
    assert.equal(body, '<error>Unsupported parameter: site</error>');
  });

  it('get_site: refused on the public interface, served on the private one', async () => {
    const refused = await text(
      `${GOCDB}?method=get_site&sitename=SANDBOX-SITE-A`,
    );
    assert.match(refused.body, /No valid identifier found/);
    const { body } = await text(
      'http://127.0.0.1:8301/gocdbpi/private/?method=get_site&sitename=SANDBOX-SITE-A',
    );
    assert.match(
      body,
      /<SITE ID="\d+" PRIMARY_KEY="\d+G0" NAME="SANDBOX-SITE-A">/,
    );
    assert.deepEqual(all(body, 'CERTIFICATION_STATUS'), ['Certified']);
  });

  it('get_site_list: one <SITE/> per site, in attributes', async () => {
    const { body } = await text(`${GOCDB}?method=get_site_list`);
    assert.deepEqual(
      [...body.matchAll(/<SITE [^>]*NAME="([^"]+)"[^>]*\/>/g)].map(m => m[1]),
      ['SANDBOX-SITE-A', 'SANDBOX-SITE-B'],
    );
  });
});

describe('cloud-info-api stand-in', () => {
  async function keystoneProjects(): Promise<Map<string, string>> {
    const password =
      process.env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret';
    const login = await fetch('http://127.0.0.1:5000/v3/auth/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: 'admin', domain: { id: 'default' }, password },
            },
          },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    const token = login.headers.get('x-subject-token')!;
    const { projects } = (await (
      await fetch('http://127.0.0.1:5000/v3/projects', {
        headers: { 'x-auth-token': token },
      })
    ).json()) as { projects: Array<{ id: string; name: string }> };
    return new Map(projects.map(p => [p.name, p.id]));
  }

  it("GET /sites/ lists the sites without projects; include_projects=true adds site-a's real VO projects", async () => {
    const plain = JSON.parse((await text(`${CLOUD_INFO}/sites/`)).body);
    const a = plain.find((s: { name: string }) => s.name === 'SANDBOX-SITE-A');
    assert.deepEqual(Object.keys(a).sort(), [
      'hostname',
      'id',
      'name',
      'state',
      'url',
    ]);
    assert.equal(a.url, 'http://127.0.0.1:5000/v3');
    assert.match(a.id, /^\d+G0$/);
    const withProjects = JSON.parse(
      (await text(`${CLOUD_INFO}/sites/?include_projects=true`)).body,
    );
    const ids = await keystoneProjects();
    assert.deepEqual(
      withProjects.find((s: { name: string }) => s.name === 'SANDBOX-SITE-A')
        .projects,
      [
        { id: ids.get('ops'), name: 'ops' },
        { id: ids.get('vo.access.egi.eu'), name: 'vo.access.egi.eu' },
      ],
    );
  });

  it("GET /sites/ filters by site_name and vo_name; an unknown site_name is the real API's 500", async () => {
    const one = JSON.parse(
      (await text(`${CLOUD_INFO}/sites/?site_name=SANDBOX-SITE-A`)).body,
    );
    assert.deepEqual(
      one.map((s: { name: string }) => s.name),
      ['SANDBOX-SITE-A'],
    );
    const none = JSON.parse(
      (
        await text(
          `${CLOUD_INFO}/sites/?site_name=SANDBOX-SITE-A&vo_name=no.such.vo`,
        )
      ).body,
    );
    assert.deepEqual(none, []);
    assert.equal(
      (await text(`${CLOUD_INFO}/sites/?site_name=NO-SUCH-SITE`)).status,
      500,
    );
  });

  it('GET /site/{name}/ and /site/{name}/projects by GOCDB site name; 404 as FastAPI answers', async () => {
    const site = JSON.parse(
      (await text(`${CLOUD_INFO}/site/SANDBOX-SITE-A/`)).body,
    );
    assert.equal(site.name, 'SANDBOX-SITE-A');
    const projects = JSON.parse(
      (await text(`${CLOUD_INFO}/site/SANDBOX-SITE-A/projects`)).body,
    );
    assert.deepEqual(
      projects.map((p: { name: string }) => p.name),
      ['ops', 'vo.access.egi.eu'],
    );
    const missing = await text(`${CLOUD_INFO}/site/NO-SUCH-SITE/projects`);
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), {
      detail: 'Site NO-SUCH-SITE not found',
    });
    // Keyed by name, not by GOCDB id: the id route of older clients finds nothing.
    assert.equal(
      (await text(`${CLOUD_INFO}/site/${site.id}/projects`)).status,
      404,
    );
  });
});

describe('accounting portal stand-in', () => {
  const now = new Date();
  const month = now.toISOString().slice(0, 7);
  const period = `${now.getUTCFullYear() - 1}/${
    now.getUTCMonth() + 1
  }/${now.getUTCFullYear()}/${now.getUTCMonth() + 1}`;
  const row = (table: Array<Record<string, unknown>>, id: string) =>
    table.find(r => r.id === id)!;

  it('SITE/DATE: redirects on the same host, then a row per site, a column per month, the legend rows', async () => {
    const url = `${PORTAL}/cloud/sum_elap_processors/SITE/DATE/${period}/all/onlyinfrajobs/JSON/`;
    const first = await fetch(url, { redirect: 'manual' });
    assert.equal(first.status, 302);
    assert.match(
      first.headers.get('location')!,
      /^\/egi\/cloud\/sum_elap_processors\/SITE\/DATE\//,
    );
    const table = (await (await fetch(url)).json()) as Array<
      Record<string, unknown>
    >;
    const a = row(table, 'SANDBOX-SITE-A');
    assert.equal(
      Object.keys(a).filter(k => /^\d{4}-\d{2}$/.test(k)).length,
      13,
    );
    assert.ok((a[month] as number) > 0, `site-a has records in ${month}`);
    assert.deepEqual(row(table, 'var'), {
      id: 'var',
      xrange: 'DATE',
      yrange: 'SITE',
      query: 'sum_elap_processors',
    });
    assert.equal(row(table, 'xlegend')['0'], 'SANDBOX-SITE-A');
    assert.ok(
      row(table, 'Total') && row(table, 'Percent') && row(table, 'ylegend'),
    );
  });

  it('SITE/VO: a column per VO with usage; custom-<vo> keeps one VO', async () => {
    const table = (await (
      await fetch(
        `${PORTAL}/cloud/sum_elap_processors/SITE/VO/${period}/all/onlyinfrajobs/JSON/`,
      )
    ).json()) as Array<Record<string, unknown>>;
    const a = row(table, 'SANDBOX-SITE-A');
    assert.ok((a.ops as number) > 0 && (a['vo.access.egi.eu'] as number) > 0);
    assert.equal(
      a.Total,
      (a.ops as number) + (a['vo.access.egi.eu'] as number),
    );
    const ops = (await (
      await fetch(
        `${PORTAL}/cloud/sum_elap_processors/SITE/VO/${period}/custom-ops/onlyinfrajobs/JSON/`,
      )
    ).json()) as Array<Record<string, unknown>>;
    assert.equal(row(ops, 'SANDBOX-SITE-A')['vo.access.egi.eu'], undefined);
  });

  it('cASO spool: <site>/compute/ and <site>/block/ hold lastrun.<project id> as cASO writes it', async () => {
    const listing = (await text(`${PORTAL}/caso/SANDBOX-SITE-A/`)).body;
    assert.match(listing, /href="compute\/"/);
    assert.match(listing, /href="block\/"/);
    const files = [
      ...(await text(`${PORTAL}/caso/SANDBOX-SITE-A/compute/`)).body.matchAll(
        /href="(lastrun\.[0-9a-f]{32})"/g,
      ),
    ].map(m => m[1]);
    assert.equal(files.length, 2);
    for (const kind of ['compute', 'block']) {
      const { status, body } = await text(
        `${PORTAL}/caso/SANDBOX-SITE-A/${kind}/${files[0]}`,
      );
      assert.equal(status, 200);
      // str(datetime.now(tzutc())), cASO's manager.write_lastrun
      assert.match(body, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
      assert.ok(
        Date.now() - Date.parse(body.replace(' ', 'T')) < 3600_000,
        `${kind} ran within the hour`,
      );
    }
    // The site folder itself holds no lastrun files (fedcloud-catchall's layout).
    assert.equal(
      (await text(`${PORTAL}/caso/SANDBOX-SITE-A/${files[0]}`)).status,
      404,
    );
  });

  it("cASO spool: follows a re-seed of site-b at once, even to the same defects (new projects' ids)", async () => {
    const listing = async () => {
      try {
        return await text(`${PORTAL}/caso/SANDBOX-SITE-B/compute/`);
      } catch {
        // The seeds block this process (spawnSync) past the stand-ins' keep-alive: the socket
        // kept from before may be closed by now, and fetch does not retry on its own.
        return text(`${PORTAL}/caso/SANDBOX-SITE-B/compute/`);
      }
    };
    const lastruns = async () =>
      [...(await listing()).body.matchAll(/href="(lastrun\.[0-9a-f]{32})"/g)]
        .map(m => m[1])
        .sort();
    try {
      run('seed', '--site', 'b', '--defects', 'none');
      const before = await lastruns();
      assert.equal(before.length, 2);
      // The default set removes vo.access.egi.eu's project; seeded again, it has a new id.
      run('seed', '--site', 'b');
      run('seed', '--site', 'b', '--defects', 'none');
      const after = await lastruns();
      assert.equal(after.length, 2);
      assert.equal(
        after.filter(file => before.includes(file)).length,
        1,
        `ops's lastrun stays, vo.access.egi.eu's is the new project's: ${before} → ${after}`,
      );
    } finally {
      run('seed', '--site', 'b');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The OIDC provider's grants for the federated-login probe: a refreshed and a client-credentials
// access token each log in to site-a's Keystone through Apache and list the ops project.
describe('OIDC grants for the federated-login probe', () => {
  const tokenUrl =
    process.env.FEDSTACK_SANDBOX_OIDC_TOKEN_URL ??
    'https://127.0.0.1:8443/token';
  const probe = {
    id: 'ops-monitoring',
    secret:
      process.env.FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_SECRET ??
      'probe-oidc-secret',
  };
  const sandboxDir =
    process.env.FEDSTACK_SANDBOX_DIR ?? join(SANDBOX, '..', '.sandbox');
  const auth =
    'http://127.0.0.1:5080/v3/OS-FEDERATION/identity_providers/egi.eu/protocols/openid/auth';

  // The provider's certificate is self-signed: curl with exactly that CA (fetch has no per-call CA).
  function token(form: Record<string, string>, secret = probe.secret) {
    const args = [
      '-s',
      '-w',
      '\n%{http_code}',
      '--cacert',
      join(sandboxDir, 'oidc', 'tls.crt'),
      '-u',
      `${probe.id}:${secret}`,
    ];
    for (const [k, v] of Object.entries(form))
      args.push('--data-urlencode', `${k}=${v}`);
    const out = spawnSync('curl', [...args, tokenUrl], {
      encoding: 'utf8',
    }).stdout;
    const at = out.lastIndexOf('\n');
    return {
      status: Number(out.slice(at + 1)),
      json: JSON.parse(out.slice(0, at)),
    };
  }

  async function opsListed(accessToken: string) {
    const login = await fetch(auth, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(login.status, 201, await login.text());
    const projects = (await (
      await fetch('http://127.0.0.1:5080/v3/auth/projects', {
        headers: { 'x-auth-token': login.headers.get('x-subject-token')! },
      })
    ).json()) as { projects: Array<{ name: string }> };
    assert.ok(
      projects.projects.some(p => p.name === 'ops'),
      JSON.stringify(projects),
    );
  }

  it('a refresh token (offline_access) gives access tokens that log in and list ops', async () => {
    const first = token({
      grant_type: 'password',
      username: 'ops-tester',
      password: process.env.FEDSTACK_SANDBOX_OIDC_PASSWORD ?? 'oidc-secret',
      scope: 'openid eduperson_entitlement offline_access',
    });
    assert.equal(first.status, 200);
    assert.ok(first.json.refresh_token, 'offline_access gives a refresh token');
    const refreshed = token({
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token,
    });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.json.token_type, 'Bearer');
    await opsListed(refreshed.json.access_token);
    // Without offline_access, no refresh token.
    const online = token({
      grant_type: 'password',
      username: 'ops-tester',
      password: process.env.FEDSTACK_SANDBOX_OIDC_PASSWORD ?? 'oidc-secret',
      scope: 'openid',
    });
    assert.equal(online.json.refresh_token, undefined);
  });

  it('the refresh token start minted (credentials.env) works', async () => {
    const env = readFileSync(join(sandboxDir, 'credentials.env'), 'utf8');
    const minted = /^FEDSTACK_SANDBOX_OIDC_REFRESH_TOKEN=(.+)$/m.exec(env)?.[1];
    assert.ok(
      minted,
      'sandbox/start wrote FEDSTACK_SANDBOX_OIDC_REFRESH_TOKEN',
    );
    const refreshed = token({
      grant_type: 'refresh_token',
      refresh_token: minted,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
    await opsListed(refreshed.json.access_token);
  });

  it('client credentials of the probe client log in as a member of ops', async () => {
    const granted = token({ grant_type: 'client_credentials' });
    assert.equal(granted.status, 200);
    await opsListed(granted.json.access_token);
  });

  it('a bad client secret is refused, and so is a refresh token that is not one', () => {
    const refused = token(
      { grant_type: 'client_credentials' },
      'not-the-secret',
    );
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json, { error: 'invalid_client' });
    const forged = token({
      grant_type: 'refresh_token',
      refresh_token: 'eyJhbGciOiJub25lIn0.e30.',
    });
    assert.equal(forged.status, 400);
    assert.equal(forged.json.error, 'invalid_grant');
  });
});
