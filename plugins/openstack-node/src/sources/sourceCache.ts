import { Evidence, EvidenceRecorder, EvidenceSink } from '../client/evidence';

/**
 * Answers of the external sources (GOCDB, the cloud information system, the accounting portal)
 * kept for a while, so that a fleet scan reads each of them once rather than once per site:
 * every answer holds every site. One cache per backend, passed in every scan's sources.
 */
export interface SourceCache {
  /**
   * The value kept under `key`, or `read()`'s. Concurrent readers of one key share one read in
   * flight. A value `keep` refuses, or a read that throws, is not kept: the next reader reads
   * again. A kept value expires `ttlMs` after its read ended.
   */
  read<T>(
    key: string,
    read: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T>;
}

interface Entry {
  value: Promise<unknown>;
  /** Set when the read ended and its value is kept. */
  expiresAt?: number;
}

export function createSourceCache(options: {
  ttlMs: number;
  now?: () => number;
}): SourceCache {
  const { ttlMs } = options;
  const now = options.now ?? Date.now;
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new Error(
      `createSourceCache: ttlMs must be a number ≥ 0, got ${ttlMs}`,
    );
  }
  const entries = new Map<string, Entry>();

  // Expired entries go on the next read, so the map holds only live answers.
  const sweep = (at: number) => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= at) {
        entries.delete(key);
      }
    }
  };

  return {
    read<T>(
      key: string,
      read: () => Promise<T>,
      keep: (value: T) => boolean,
    ): Promise<T> {
      sweep(now());
      const known = entries.get(key);
      if (known) return known.value as Promise<T>;
      const entry: Entry = { value: Promise.resolve() };
      const forget = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      entry.value = (async () => read())().then(
        value => {
          let kept = false;
          try {
            kept = keep(value);
          } finally {
            if (kept) entry.expiresAt = now() + ttlMs;
            else forget();
          }
          return value;
        },
        error => {
          forget();
          throw error;
        },
      );
      entries.set(key, entry);
      return entry.value as Promise<T>;
    },
  };
}

/** A source's answer as read once for the fleet: the value, and what the read showed. */
export interface SharedAnswer<T> {
  value: T;
  /** The requests the read made. */
  evidence: readonly Evidence[];
  /** When the read started (ISO 8601). */
  readAt: string;
}

/** Where a check's answer came from, for its details. */
export interface SharedReadNote {
  url: string;
  readAt: string;
  /**
   * True when this check did not make the read: the answer is the fleet's shared read (another
   * site's scan made it; its requests are replayed in this check's evidence).
   */
  shared: boolean;
}

/**
 * One read of a whole-fleet answer through the cache when there is one (else read now): the
 * read's evidence is replayed into `recorder` whoever made it, as SharedReads does within a
 * scan, and the note says whether this check made the read. `ok` decides what is kept.
 */
export async function readShared<T>(
  cache: SourceCache | undefined,
  key: string,
  url: string,
  recorder: EvidenceSink | undefined,
  read: (own: EvidenceRecorder) => Promise<T>,
  ok: (value: T) => boolean,
): Promise<{ value: T; note: SharedReadNote }> {
  let mine = false;
  const readNow = async (): Promise<SharedAnswer<T>> => {
    mine = true;
    const readAt = new Date().toISOString();
    const own = new EvidenceRecorder();
    const value = await read(own);
    return { value, evidence: own.evidence, readAt };
  };
  const answer = cache
    ? await cache.read(key, readNow, a => ok(a.value))
    : await readNow();
  for (const item of answer.evidence) recorder?.record(item);
  return {
    value: answer.value,
    note: { url, readAt: answer.readAt, shared: !mine },
  };
}
