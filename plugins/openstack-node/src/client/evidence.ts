/**
 * What a check shows for its verdict: every request it made, as it went over the wire, with
 * secrets redacted and bodies cut short. Evidence is built in one place (OpenStackHttp) so no
 * request can skip redaction.
 */

export interface Evidence {
  /** When the request started (ISO 8601). */
  at: string;
  method: string;
  url: string;
  /** Absent when no answer came (network error, timeout, body too large). */
  status?: number;
  durationMs: number;
  requestHeaders: Record<string, string>;
  /** Redacted excerpt of the request body, when there was one. */
  requestBody?: string;
  responseHeaders: Record<string, string>;
  /** Redacted excerpt of the answer's body (at most the configured excerpt size). */
  responseBody?: string;
  /** The answer's body was longer than the excerpt. */
  truncated?: boolean;
  /** Why the request failed, when it did (same text as the result's error message). */
  error?: string;
}

/** Anything that wants to see the requests as they are made. */
export interface EvidenceSink {
  record(evidence: Evidence): void;
}

/**
 * Collects the evidence of one scope (a scan, a check) so it can be attached to a result.
 * Sinks nest: a check's recorder can forward to the scan's.
 */
export class EvidenceRecorder implements EvidenceSink {
  private readonly items: Evidence[] = [];
  // A request may reach a recorder twice (from the site's http and from a check's child).
  private readonly seen = new WeakSet<Evidence>();

  constructor(private readonly parent?: EvidenceSink) {}

  record(evidence: Evidence): void {
    if (this.seen.has(evidence)) return;
    this.seen.add(evidence);
    this.items.push(evidence);
    this.parent?.record(evidence);
  }

  get evidence(): readonly Evidence[] {
    return this.items;
  }

  get requestCount(): number {
    return this.items.length;
  }

  /** A recorder for a narrower scope (e.g. one check) that also reports here. */
  child(): EvidenceRecorder {
    return new EvidenceRecorder(this);
  }
}
