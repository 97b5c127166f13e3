import { z } from 'zod';
import { Evidence, EvidenceRecorder } from '../client/evidence';
import { ScanContext } from './context';

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

// Any answer at all: a 401 or a 404 still shows the service is there.
const ANY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);

/**
 * `GET` of a service's version root, as text, whatever the status: services.reachable wants to
 * know it answered, services.versions what it said, keystone.reachable and keystone.v3 (through
 * `keystoneVersions`) the same of Keystone's. Asked once per scan for all of them.
 */
export function rootAnswer(context: ScanContext, url: string) {
  return context.shared(`service-root:${url}`, (sessions, recorder) =>
    sessions.reader.http.request(
      { url, parseAs: 'text', schema: z.string(), expectStatus: ANY_STATUS },
      recorder,
      sessions.reader.signal,
    ),
  );
}
