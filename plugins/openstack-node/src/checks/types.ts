import { Evidence } from '../client/evidence';

// The vocabulary (statuses, severities, areas) is the terms package's, shared with the REST API.
import type {
  CheckArea,
  CheckStatus,
  Severity,
} from '@fedstack/plugin-openstack-terms';

export type { CheckArea, CheckStatus, Severity };

export interface CheckMetadata {
  /** Stable id, e.g. `keystone.v3`. */
  id: string;
  title: string;
  area: CheckArea;
  severity: Severity;
  /**
   * What the check reads, in plain words: which API calls or sources, with which account.
   * docs/checks.md is generated from it (and `rule`), for every check of the catalogue.
   */
  reads: string;
  /**
   * Its verdicts in plain words: when it passes, warns, fails, errors or is skipped.
   */
  rule: string;
  /** What an operator does about a failure, in a sentence or two. */
  remediation: string;
  /** Public documentation behind the requirement. */
  docsUrl: string;
  /** Checks that must pass (or warn) before this one can run. */
  requires?: string[];
  /**
   * Keys of the outcome's `details` that name accounts or people (user names or ids, e-mails):
   * the REST API gives them to the site's owners only; every reader of the site sees the rest.
   */
  ownerOnlyDetails?: string[];
}

/** What a check decides. Evidence is gathered for it by the engine. */
export interface CheckOutcome {
  status: CheckStatus;
  /** One sentence an operator can act on. */
  message: string;
  /** Structured facts behind the verdict (what was found, what was expected). */
  details?: Record<string, unknown>;
}

export interface CheckResult extends CheckOutcome {
  checkId: string;
  title: string;
  area: CheckArea;
  severity: Severity;
  remediation: string;
  docsUrl: string;
  startedAt: string;
  durationMs: number;
  evidence: Evidence[];
}

/** A check: its metadata, and how it asks and judges, given what the engine hands it. */
export interface Check<TContext> {
  metadata: CheckMetadata;
  /**
   * Starts, while the prerequisites still run, what `run` will ask first whatever they say
   * (its account's token), so it is ready when `run` starts. Only `run` judges what it got.
   */
  prepare?(context: TContext): Promise<unknown> | void;
  run(context: TContext): Promise<CheckOutcome>;
}
