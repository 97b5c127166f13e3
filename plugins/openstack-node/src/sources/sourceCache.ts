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
   * site's scan made it; its requests are shown in this check's evidence).
   */
  shared: boolean;
}

/** What a whole-fleet answer says about the site a check judges. */
export interface SitePart {
  /** The site as the source names it. */
  site: string;
  /** How many entries (services, sites, rows) the whole answer has. */
  of: number;
  /** The answer's entries about the site: none when it does not list the site. */
  entries: readonly unknown[];
}

/**
 * A whole-fleet read as one site's evidence: every request as it went (request line, status,
 * timing, headers), but the body of the answers that carried the list replaced by the site's
 * part of it. The list's excerpt (its first few KB, mostly other sites) is the same for every
 * site: kept in each site's results, a fleet scan stored (and serialized) one copy per site, and
 * the operator still did not see their own entry. A redirect or an error page is kept as it
 * came: it concerns every site alike, and is small.
 */
export function evidenceForSite(
  evidence: readonly Evidence[],
  part: SitePart,
): Evidence[] {
  const carriesList = (e: Evidence) =>
    e.status !== undefined &&
    e.status >= 200 &&
    e.status < 300 &&
    e.responseBody !== undefined;
  const last = evidence.map(carriesList).lastIndexOf(true);
  return evidence.map((item, index) => {
    if (!carriesList(item)) return item;
    const { responseBody: _, truncated: __, ...request } = item;
    // Several pages (GOCDB's paging): the part is shown once, on the last.
    if (index !== last) return request;
    return {
      ...request,
      responseBody: JSON.stringify({
        kept: `the ${part.entries.length} of ${part.of} entries about ${part.site}: the answer lists every site and is read once for all of them`,
        site: part.site,
        of: part.of,
        entries: part.entries,
      }),
      truncated: true,
    };
  });
}

type Index = Map<string, number[]>;
const indexes = new WeakMap<object, Map<unknown, Index>>();

/**
 * The entries of a shared answer under any of `keys` (each entry filed under `keysOf(entry)`),
 * in the answer's order. The index is built once per answer and kept as long as the answer is:
 * a thousand sites each looking themselves up in a thousand entries would otherwise scan it a
 * thousand times. `keysOf` must be one function for one answer (a module's constant).
 */
export function entriesUnder<E>(
  list: readonly E[],
  keysOf: (entry: E) => readonly string[],
  keys: readonly string[],
): E[] {
  let byFunction = indexes.get(list);
  if (!byFunction) {
    byFunction = new Map();
    indexes.set(list, byFunction);
  }
  let index = byFunction.get(keysOf);
  if (!index) {
    const built: Index = new Map();
    list.forEach((entry, position) => {
      for (const key of new Set(keysOf(entry))) {
        const filed = built.get(key);
        if (filed) filed.push(position);
        else built.set(key, [position]);
      }
    });
    index = built;
    byFunction.set(keysOf, index);
  }
  const positions = new Set<number>();
  for (const key of keys) {
    for (const position of index.get(key) ?? []) {
      positions.add(position);
    }
  }
  return [...positions].sort((a, b) => a - b).map(p => list[p]);
}

/**
 * A loose key of a name or URL for finding a site's entries in evidence: case, surrounding
 * blanks and trailing slashes ignored (the checks' own comparisons are stricter).
 */
export function looseKey(text: string): string {
  return text.trim().toLowerCase().replace(/\/+$/, '');
}

export interface SharedReadOptions<T> {
  cache: SourceCache | undefined;
  key: string;
  /** Where the answer is read, for the note. */
  url: string;
  /** The check's recorder: the read's requests land there. */
  recorder: EvidenceSink | undefined;
  read: (own: EvidenceRecorder) => Promise<T>;
  /** Whether the answer is kept (and shown as the site's part). */
  ok: (value: T) => boolean;
  /**
   * The answer's part about the reader's site, for its evidence. Without it the read's evidence
   * is recorded as it came (bodies cut to the excerpt size).
   */
  about?: (value: T) => SitePart;
}

/**
 * One read of a whole-fleet answer through the cache when there is one (else read now): the
 * read's requests are recorded in `recorder` whoever made it, each answer that carried the list
 * as the part about the reader's site (`about`); a failed read as it came, since its error page
 * is what the operator needs. The note says whether this check made the read. `ok` decides what
 * is kept.
 */
export async function readShared<T>(
  options: SharedReadOptions<T>,
): Promise<{ value: T; note: SharedReadNote }> {
  const { cache, key, url, recorder, read, ok, about } = options;
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
  if (recorder) {
    const evidence =
      about && ok(answer.value)
        ? evidenceForSite(answer.evidence, about(answer.value))
        : answer.evidence;
    for (const item of evidence) recorder.record(item);
  }
  return {
    value: answer.value,
    note: { url, readAt: answer.readAt, shared: !mine },
  };
}
