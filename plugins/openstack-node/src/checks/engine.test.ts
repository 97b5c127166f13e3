import { Check, CheckOutcome } from './types';
import { runChecks } from './engine';
import { EvidenceRecorder } from '../client/evidence';

type Context = { recorder: EvidenceRecorder };

function check(
  id: string,
  run: (context: Context) => Promise<CheckOutcome>,
  requires?: string[],
): Check<Context> {
  return {
    metadata: {
      id,
      title: id,
      area: 'identity',
      severity: 'critical',
      remediation: 'fix it',
      reads: 'nothing',
      rule: 'as the test says',
      docsUrl: 'https://docs.egi.eu/',
      requires,
    },
    run,
  };
}

const contextFor = (_: Check<Context>, recorder: EvidenceRecorder) => ({
  recorder,
});

describe('runChecks', () => {
  it('runs independent checks concurrently and keeps the checks order', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const slow = check('slow', async () => {
      started.push('slow');
      await gate;
      return { status: 'pass', message: 'ok' };
    });
    const fast = check('fast', async () => {
      started.push('fast');
      release();
      return { status: 'warn', message: 'meh' };
    });
    const results = await runChecks([slow, fast], { contextFor });
    expect(started).toEqual(['slow', 'fast']);
    expect(results.map(r => [r.checkId, r.status])).toEqual([
      ['slow', 'pass'],
      ['fast', 'warn'],
    ]);
  });

  it('does not run a check whose prerequisite did not pass, and says why', async () => {
    const dependent = jest.fn(async () => ({
      status: 'pass' as const,
      message: 'never',
    }));
    const results = await runChecks(
      [
        check('federation.idp', dependent, ['keystone.reachable']),
        check('keystone.reachable', async () => ({
          status: 'fail',
          message: 'connection refused',
        })),
      ],
      { contextFor },
    );
    expect(dependent).not.toHaveBeenCalled();
    expect(results[0]).toMatchObject({
      checkId: 'federation.idp',
      status: 'error',
      message:
        'Could not run: keystone.reachable did not pass (fail: connection refused)',
      details: { blockedBy: ['keystone.reachable'] },
    });
  });

  it("starts a check's prepare while its prerequisite still runs, and only run() judges", async () => {
    const events: string[] = [];
    let finishPrerequisite!: () => void;
    const prerequisiteDone = new Promise<void>(resolve => {
      finishPrerequisite = resolve;
      // Without prepare's head start the prerequisite ends anyway (and the order is wrong).
      setTimeout(resolve, 200);
    });
    const prerequisite = check('keystone.reachable', async () => {
      events.push('prerequisite started');
      await prerequisiteDone;
      events.push('prerequisite finished');
      return { status: 'pass', message: 'up' };
    });
    const prepared: Check<Context> = {
      ...check(
        'keystone.catalog',
        async () => {
          events.push('run');
          return { status: 'pass', message: 'ok' };
        },
        ['keystone.reachable'],
      ),
      prepare: () => {
        events.push('prepare');
        finishPrerequisite();
      },
    };
    // A prepare that throws or rejects changes nothing: run() still decides.
    const throwing: Check<Context> = {
      ...check(
        'accounts.metering',
        async () => ({ status: 'warn', message: 'judged by run' }),
        ['keystone.reachable'],
      ),
      prepare: () => {
        throw new Error('no token yet');
      },
    };
    const rejecting: Check<Context> = {
      ...check(
        'accounts.replicator',
        async () => ({ status: 'fail', message: 'judged by run' }),
        ['keystone.reachable'],
      ),
      prepare: () => Promise.reject(new Error('no token yet')),
    };
    const results = await runChecks(
      [prepared, throwing, rejecting, prerequisite],
      { contextFor },
    );
    // Both start at once (in either order); run() only after the prerequisite passed.
    expect([...events.slice(0, 2)].sort()).toEqual([
      'prepare',
      'prerequisite started',
    ]);
    expect(events.slice(2)).toEqual(['prerequisite finished', 'run']);
    expect(results.map(r => [r.checkId, r.status, r.message])).toEqual([
      ['keystone.catalog', 'pass', 'ok'],
      ['accounts.metering', 'warn', 'judged by run'],
      ['accounts.replicator', 'fail', 'judged by run'],
      ['keystone.reachable', 'pass', 'up'],
    ]);
  });

  it('ends a running check and skips waiting ones when the caller cancels', async () => {
    const controller = new AbortController();
    const neverEnds = check('keystone.reachable', async () => {
      controller.abort();
      return new Promise<CheckOutcome>(() => {});
    });
    const waiting = jest.fn(async () => ({
      status: 'pass' as const,
      message: 'never',
    }));
    const started = Date.now();
    const results = await runChecks(
      [neverEnds, check('keystone.v3', waiting, ['keystone.reachable'])],
      { contextFor, signal: controller.signal, checkTimeoutMs: 5_000 },
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(waiting).not.toHaveBeenCalled();
    expect(results.map(r => [r.checkId, r.status, r.message])).toEqual([
      [
        'keystone.reachable',
        'error',
        'The scan was cancelled before this check ended',
      ],
      [
        'keystone.v3',
        'error',
        'The scan was cancelled before this check ended',
      ],
    ]);
  });

  it('turns a throwing check and an overrunning one into errors', async () => {
    const results = await runChecks(
      [
        check('throws', async () => {
          throw new Error('boom');
        }),
        check('hangs', () => new Promise<CheckOutcome>(() => {})),
      ],
      { contextFor, checkTimeoutMs: 50 },
    );
    expect(results.map(r => [r.status, r.message])).toEqual([
      ['error', 'The check failed unexpectedly: boom'],
      ['error', 'The check did not finish within 50 ms'],
    ]);
  });

  it('attaches the evidence each check recorded, and reports progress', async () => {
    const progress: string[] = [];
    const results = await runChecks(
      [
        check('records', async ({ recorder }) => {
          recorder.record({
            at: '2026-11-23T00:00:00.000Z',
            method: 'GET',
            url: 'http://127.0.0.1:5000/v3',
            status: 200,
            durationMs: 3,
            requestHeaders: {},
            responseHeaders: {},
          });
          return { status: 'pass', message: 'ok' };
        }),
      ],
      {
        contextFor,
        onProgress: p => progress.push(`${p.checkId}:${p.phase}`),
      },
    );
    expect(results[0].evidence).toHaveLength(1);
    expect(results[0].evidence[0].url).toBe('http://127.0.0.1:5000/v3');
    expect(progress).toEqual(['records:started', 'records:finished']);
  });
});
