import {
  OwnerOnlyDetails,
  ScanSummary,
  summarizeCheckResult,
} from '@fedstack/plugin-openstack-common';
import { ComplianceCatalogue } from '@fedstack/plugin-openstack-node';
import { ScanStore } from './ScanStore';

/** Which details of a check's result only its site's owners see. */
export type OwnerOnlyDetailsOf = (checkId: string) => OwnerOnlyDetails;

/**
 * From the checks' metadata (`ownerOnlyDetails`); all of them for a check the catalogue no
 * longer has, whose details nobody can tell apart.
 */
export function ownerOnlyDetailsOf(
  catalogue: ComplianceCatalogue,
): OwnerOnlyDetailsOf {
  const byCheck = new Map<string, readonly string[]>(
    catalogue.checks.map(({ metadata }) => [
      metadata.id,
      metadata.ownerOnlyDetails ?? [],
    ]),
  );
  return checkId => byCheck.get(checkId) ?? 'all';
}

/**
 * Characters of serialized summaries kept: a scan of sandbox site-a's 23 checks takes ~26 kB,
 * so ~1800 scans, the latest of every site of a 1000-site fleet and then some (fewer kept,
 * the scorecard read of 1000 sites in turn missed a third of the time).
 */
export const SUMMARY_CACHE_CHARS = 48_000_000;

/**
 * The results of a scan as every reader of its site sees them (evidence summarized, the details
 * naming accounts or people left out), as the JSON the reads answer with.
 * A completed scan's results never change, so their JSON is kept per scan id (least recently
 * used first out, bounded in characters): a scorecard read then neither queries nor parses
 * nor serializes them. Other scans are read each time.
 */
export class ResultSummaries {
  private readonly cache = new Map<
    string,
    { json: Promise<string>; chars: number }
  >();
  private chars = 0;

  constructor(
    private readonly store: ScanStore,
    private readonly ownerOnly: OwnerOnlyDetailsOf,
    private readonly maxChars = SUMMARY_CACHE_CHARS,
  ) {}

  json(scan: Pick<ScanSummary, 'id' | 'status'>): Promise<string> {
    if (scan.status !== 'completed') return this.read(scan.id);
    const hit = this.cache.get(scan.id);
    if (hit) {
      // Most recently used last.
      this.cache.delete(scan.id);
      this.cache.set(scan.id, hit);
      return hit.json;
    }
    // Concurrent reads of the same scan share one query.
    const entry = { json: this.read(scan.id), chars: 0 };
    this.cache.set(scan.id, entry);
    entry.json.then(
      json => {
        if (this.cache.get(scan.id) !== entry) return;
        entry.chars = json.length;
        this.chars += json.length;
        this.evict();
      },
      () => {
        // A failed read is not kept: the next request asks again.
        if (this.cache.get(scan.id) === entry) this.cache.delete(scan.id);
      },
    );
    return entry.json;
  }

  /** How many scans' summaries are kept (for tests). */
  get size(): number {
    return this.cache.size;
  }

  private async read(scanId: string): Promise<string> {
    const results = await this.store.getResults(scanId);
    return JSON.stringify(
      results.map(result =>
        summarizeCheckResult(result, this.ownerOnly(result.checkId)),
      ),
    );
  }

  private evict() {
    for (const [id, entry] of this.cache) {
      if (this.chars <= this.maxChars) return;
      // Pending reads have no size yet; they are counted when they arrive.
      if (entry.chars === 0) continue;
      this.cache.delete(id);
      this.chars -= entry.chars;
    }
  }
}
