import { CheckResult } from '@fedstack/plugin-openstack-common';
import { ScanStore } from './ScanStore';
import { ComplianceCatalogue } from '@fedstack/plugin-openstack-node';
import { ownerOnlyDetailsOf, ResultSummaries } from './resultSummaries';

const result = (checkId: string): CheckResult => ({
  checkId,
  title: checkId,
  area: 'identity',
  severity: 'critical',
  status: 'pass',
  message: 'fine',
  remediation: '',
  docsUrl: 'https://docs.egi.eu/',
  startedAt: '2026-11-23T10:00:00.000Z',
  durationMs: 1,
  evidence: [
    {
      at: '2026-11-23T10:00:00.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3/users',
      status: 200,
      durationMs: 1,
      requestHeaders: { 'x-auth-token': '<redacted>' },
      responseHeaders: {},
      responseBody: '{"users": [{"name": "alice"}]}',
    },
  ],
});

const noneOwnerOnly = () => [];

function fakeStore() {
  const getResults = jest.fn(async (scanId: string) => [result(scanId)]);
  return { store: { getResults } as unknown as ScanStore, getResults };
}

describe('ResultSummaries', () => {
  it('reads a completed scan once, summarized, and keeps its JSON', async () => {
    const { store, getResults } = fakeStore();
    const summaries = new ResultSummaries(store, noneOwnerOnly);
    const scan = { id: 'a', status: 'completed' as const };
    const [first, second] = await Promise.all([
      summaries.json(scan),
      summaries.json(scan),
    ]);
    const third = await summaries.json(scan);
    expect(getResults).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first).not.toContain('alice');
    expect(first).not.toContain('x-auth-token');
    expect(JSON.parse(first)[0].evidence).toEqual([
      {
        at: '2026-11-23T10:00:00.000Z',
        method: 'GET',
        url: 'http://127.0.0.1:9/v3/users',
        status: 200,
        durationMs: 1,
      },
    ]);
  });

  it('reads a scan that is not completed every time', async () => {
    const { store, getResults } = fakeStore();
    const summaries = new ResultSummaries(store, noneOwnerOnly);
    await summaries.json({ id: 'r', status: 'running' });
    await summaries.json({ id: 'r', status: 'running' });
    expect(getResults).toHaveBeenCalledTimes(2);
    expect(summaries.size).toBe(0);
  });

  it('keeps at most its bound, the least recently used out first', async () => {
    const { store, getResults } = fakeStore();
    const one = (
      await new ResultSummaries(store, noneOwnerOnly).json({
        id: 'x',
        status: 'completed',
      })
    ).length;
    getResults.mockClear();
    // Room for two scans' summaries.
    const summaries = new ResultSummaries(store, noneOwnerOnly, 2 * one + 1);
    const completed = (id: string) =>
      summaries.json({ id, status: 'completed' });
    await completed('a');
    await completed('b');
    await completed('a'); // a is now the most recently used
    await completed('c'); // b goes
    expect(summaries.size).toBe(2);
    expect(getResults).toHaveBeenCalledTimes(3);
    await completed('a');
    await completed('c');
    expect(getResults).toHaveBeenCalledTimes(3);
    await completed('b');
    expect(getResults).toHaveBeenCalledTimes(4);
  });

  it('does not keep a failed read', async () => {
    const { store, getResults } = fakeStore();
    getResults.mockRejectedValueOnce(new Error('database gone'));
    const summaries = new ResultSummaries(store, noneOwnerOnly);
    const scan = { id: 'a', status: 'completed' as const };
    await expect(summaries.json(scan)).rejects.toThrow('database gone');
    await new Promise(resolve => setImmediate(resolve));
    await expect(summaries.json(scan)).resolves.toContain('"checkId":"a"');
    expect(getResults).toHaveBeenCalledTimes(2);
  });

  it("leaves out the details a check marks as its site owners' (all of an unknown check's)", async () => {
    const withDetails = (checkId: string): CheckResult => ({
      ...result(checkId),
      details: {
        user: 'fedstack-replicator-7f3a',
        roles: [{ role: 'admin', on: 'project admin' }],
      },
    });
    const getResults = jest.fn(async () => [
      withDetails('accounts.replicator'),
      withDetails('gone.check'),
    ]);
    const summaries = new ResultSummaries(
      { getResults } as unknown as ScanStore,
      ownerOnlyDetailsOf(ComplianceCatalogue.builtIn()),
    );
    const json = await summaries.json({ id: 'a', status: 'completed' });
    expect(json).not.toContain('fedstack-replicator-7f3a');
    const [replicator, gone] = JSON.parse(json);
    expect(replicator.details).toEqual({
      roles: [{ role: 'admin', on: 'project admin' }],
    });
    expect(replicator.withheldDetails).toEqual(['user']);
    expect(gone).not.toHaveProperty('details');
    expect(gone.withheldDetails).toEqual(['user', 'roles']);
  });
});
