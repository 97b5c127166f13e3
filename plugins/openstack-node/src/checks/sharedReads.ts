import { Evidence, EvidenceRecorder } from '../client/evidence';

/**
 * Reads several checks of one scan need (the identity provider, the projects, …) are made once:
 * the first check to ask makes the request, the others wait for it, and every one of them gets
 * the request's evidence, as if it had made it. Fewer requests, the same evidence per check.
 */
export class SharedReads {
  private readonly reads = new Map<
    string,
    Promise<{ value: unknown; evidence: readonly Evidence[] }>
  >();

  async get<T>(
    key: string,
    recorder: EvidenceRecorder,
    read: (own: EvidenceRecorder) => Promise<T>,
  ): Promise<T> {
    let entry = this.reads.get(key);
    if (!entry) {
      const own = new EvidenceRecorder();
      entry = read(own).then(value => ({ value, evidence: own.evidence }));
      this.reads.set(key, entry);
    }
    const { value, evidence } = await entry;
    for (const item of evidence) recorder.record(item);
    return value as T;
  }
}
