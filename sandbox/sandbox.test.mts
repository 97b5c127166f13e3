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
