// The sandbox, proven through the real APIs: site-a holds every seeded object, and each defect
// of site-b, seeded alone, is present while every other defect is absent (sandbox/verify reads
// both sites with Keystone's and the services' own APIs and fails on any difference).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SANDBOX = import.meta.dirname;
const defects: Array<{ id: string; check: string; status: string }> =
  JSON.parse(readFileSync(join(SANDBOX, 'defects.json'), 'utf8')).defects;

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

  it('site-b with every defect at once shows them all', () => {
    run('seed', '--site', 'b');
    const ok = verifiedLines(run('verify', '--site', 'b'));
    for (const defect of defects) {
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
