import { Evidence, EvidenceRecorder } from '../client/evidence';
import { Check, CheckOutcome, CheckResult } from './types';

export interface CheckProgress {
  checkId: string;
  phase: 'started' | 'finished';
  result?: CheckResult;
}

export interface RunChecksOptions<TContext> {
  /** Makes a check's context; `recorder` gathers the evidence of that check's requests. */
  contextFor(check: Check<TContext>, recorder: EvidenceRecorder): TContext;
  /** A check still running after this long is given up as `error`. Default 60 s. */
  checkTimeoutMs?: number;
  onProgress?(progress: CheckProgress): void;
  now?: () => number;
  /**
   * The caller's cancel (a console user's Ctrl+C): checks not yet started report `error`
   * without running, running ones end at once with `error` (their sessions stop their requests).
   */
  signal?: AbortSignal;
}

const CANCELLED: CheckOutcome = {
  status: 'error',
  message: 'The scan was cancelled before this check ended',
};

const PASSING = new Set(['pass', 'warn']);

/**
 * Runs checks concurrently, each as soon as its prerequisites are done (its `prepare` at once).
 * A check whose prerequisite did not pass reports `error` with that reason instead of running;
 * a check that throws or overruns its time reports `error` too. Results come back in the
 * checks' order.
 */
export async function runChecks<TContext>(
  checks: ReadonlyArray<Check<TContext>>,
  options: RunChecksOptions<TContext>,
): Promise<CheckResult[]> {
  const now = options.now ?? Date.now;
  const byId = new Map(checks.map(check => [check.metadata.id, check]));
  const running = new Map<string, Promise<CheckResult>>();

  function resultOf(check: Check<TContext>): Promise<CheckResult> {
    let promise = running.get(check.metadata.id);
    if (!promise) {
      promise = runOne(check);
      running.set(check.metadata.id, promise);
    }
    return promise;
  }

  async function runOne(check: Check<TContext>): Promise<CheckResult> {
    const prerequisites = (check.metadata.requires ?? [])
      .map(id => byId.get(id))
      .filter((found): found is Check<TContext> => found !== undefined);
    const recorder = new EvidenceRecorder();
    const context = options.contextFor(check, recorder);
    if (check.prepare && prerequisites.length > 0) {
      // Only a head start: run() asks again and judges what it gets.
      Promise.resolve()
        .then(() => check.prepare!(context))
        .catch(() => undefined);
    }
    const before = await Promise.all(prerequisites.map(resultOf));
    const blocking = before.filter(result => !PASSING.has(result.status));

    const startedAt = now();
    options.onProgress?.({ checkId: check.metadata.id, phase: 'started' });
    let outcome: CheckOutcome;
    if (options.signal?.aborted) {
      outcome = CANCELLED;
    } else if (blocking.length > 0) {
      outcome = {
        status: 'error',
        message: `Could not run: ${blocking
          .map(b => `${b.checkId} did not pass (${b.status}: ${b.message})`)
          .join('; ')}`,
        details: { blockedBy: blocking.map(b => b.checkId) },
      };
    } else {
      outcome = await runGuarded(
        () => check.run(context),
        options.checkTimeoutMs ?? 60_000,
        options.signal,
      );
    }
    const result = toResult(check, outcome, recorder.evidence, startedAt, now);
    options.onProgress?.({
      checkId: check.metadata.id,
      phase: 'finished',
      result,
    });
    return result;
  }

  return Promise.all(checks.map(resultOf));
}

async function runGuarded(
  run: () => Promise<CheckOutcome>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  let stopListening = () => {};
  const timeout = new Promise<CheckOutcome>(resolve => {
    timer = setTimeout(
      () =>
        resolve({
          status: 'error',
          message: `The check did not finish within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    if (signal) {
      const cancel = () => resolve(CANCELLED);
      signal.addEventListener('abort', cancel, { once: true });
      stopListening = () => signal.removeEventListener('abort', cancel);
    }
  });
  try {
    return await Promise.race([
      run().catch(
        (error: unknown): CheckOutcome => ({
          status: 'error',
          // A bug in a check must not take the scan down: it becomes this check's error.
          message: `The check failed unexpectedly: ${
            error instanceof Error ? error.message : String(error)
          }`,
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    stopListening();
  }
}

function toResult<TContext>(
  check: Check<TContext>,
  outcome: CheckOutcome,
  evidence: readonly Evidence[],
  startedAt: number,
  now: () => number,
): CheckResult {
  const { id, title, area, severity, remediation, docsUrl } = check.metadata;
  return {
    checkId: id,
    title,
    area,
    severity,
    remediation,
    docsUrl,
    status: outcome.status,
    message: outcome.message,
    ...(outcome.details ? { details: outcome.details } : {}),
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.max(0, now() - startedAt),
    evidence: [...evidence],
  };
}
