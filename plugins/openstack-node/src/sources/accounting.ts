import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Evidence, EvidenceRecorder, EvidenceSink } from '../client/evidence';
import { HttpResult, OpenStackHttp } from '../client/http';
import { AccountingSourceSettings } from '../checks/context';
import { getFollowingSameHost } from './followSameHost';

/**
 * Where a site's accounting records can be seen from outside: the EGI accounting portal's JSON
 * summaries (what APEL received) or cASO's spool (`lastrun.<project>`: when cASO last extracted
 * each project). accounting.fresh and accounting.coverage ask through {@link AccountingSource}.
 */

/** A site as an accounting source knows it. */
export interface AccountedSite {
  /** The site's GOCDB name: APEL and the portal key records by it. */
  name: string;
  /** The site's VO projects: cASO's spool has one `lastrun` file per project. */
  projects: ReadonlyArray<AccountedProject>;
}

export interface AccountedProject {
  id: string;
  name: string;
  vo: string;
}

export interface AccountingPeriod {
  start: Date;
  end: Date;
}

export type NewestRecord =
  | {
      ok: true;
      /** Absent when the source holds no record for the site (or VO). */
      date?: Date;
      /** VOs seen with records. */
      vos?: string[];
      /** The portal sums by month: `date` is then the end of the newest month (or now). */
      granularity: 'month' | 'instant';
      /** What was read, for the message (a URL or a folder). */
      where: string;
      details?: Record<string, unknown>;
      evidence: Evidence[];
    }
  | { ok: false; reason: string; evidence: Evidence[] };

export type AccountedVos =
  | {
      ok: true;
      vos: string[];
      /** Project ids with records, when the source knows projects (cASO's spool). */
      projects?: string[];
      where: string;
      details?: Record<string, unknown>;
      evidence: Evidence[];
    }
  | { ok: false; reason: string; evidence: Evidence[] };

export interface AccountingSource {
  readonly kind: AccountingSourceSettings['kind'];
  readonly location: string;
  /** The newest accounting record of the site (of one VO when given). */
  newestRecord(site: AccountedSite, vo?: string): Promise<NewestRecord>;
  /** The VOs with accounting records in the period. */
  accountedVos(
    site: AccountedSite,
    period: AccountingPeriod,
  ): Promise<AccountedVos>;
}

export interface AccountingSourceOptions {
  /** The scan's http: bounded, never following redirects on its own, recording evidence. */
  http: OpenStackHttp;
  /** Where the requests' evidence also goes (the check's recorder). */
  recorder?: EvidenceSink;
  now?: () => Date;
  /** Portal: how many months back the newest record is looked for. Default 12. */
  lookbackMonths?: number;
}

// ---------------------------------------------------------------------------------------------
// The EGI accounting portal (accounting.egi.eu)
// ---------------------------------------------------------------------------------------------

/**
 * One summary table: a row per `yrange` value (`id`: a site, a VO), a column per `xrange` value
 * (a VO, a month `YYYY-MM`), plus `Total` and `Percent`; then rows `Total`, `Percent`,
 * `xlegend` (the row ids), `ylegend` (the column keys) and `var` (`xrange`, `yrange`, `query`).
 */
export const portalTableSchema = z.array(
  z
    .record(z.string(), z.union([z.string(), z.number(), z.null()]))
    .refine(row => row.id !== undefined && row.id !== null, {
      message: 'a row without id',
    }),
);
export type PortalTable = z.infer<typeof portalTableSchema>;

const NON_DATA_ROWS = new Set([
  'Total',
  'Percent',
  'xlegend',
  'ylegend',
  'var',
]);
const NON_DATA_COLUMNS = new Set(['id', 'Total', 'Percent']);

/** The row of one site (exact name first, then ignoring case), if the table has it. */
export function portalRow(
  table: PortalTable,
  rowId: string,
): PortalTable[number] | undefined {
  const rows = table.filter(row => !NON_DATA_ROWS.has(String(row.id)));
  return (
    rows.find(row => String(row.id) === rowId) ??
    rows.find(row => String(row.id).toLowerCase() === rowId.toLowerCase())
  );
}

/** Columns of a row with a positive number: the VOs (or months) with usage. */
export function portalColumnsWithUsage(row: PortalTable[number]): string[] {
  return Object.entries(row)
    .filter(
      ([column, value]) =>
        !NON_DATA_COLUMNS.has(column) && typeof value === 'number' && value > 0,
    )
    .map(([column]) => column);
}

export class AccountingPortalSource implements AccountingSource {
  readonly kind = 'accounting-portal' as const;
  private readonly now: () => Date;
  private readonly lookbackMonths: number;

  constructor(
    readonly location: string,
    private readonly options: AccountingSourceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.lookbackMonths = options.lookbackMonths ?? 12;
  }

  /** `/cloud/sum_elap_processors/<rows>/<columns>/<sy>/<sm>/<ey>/<em>/<vos>/onlyinfrajobs/JSON/` */
  summaryUrl(
    rows: string,
    columns: string,
    period: AccountingPeriod,
    vo?: string,
  ): string {
    const { start, end } = period;
    const parts = [
      'cloud',
      'sum_elap_processors',
      rows,
      columns,
      start.getUTCFullYear(),
      start.getUTCMonth() + 1,
      end.getUTCFullYear(),
      end.getUTCMonth() + 1,
      vo ? `custom-${vo}` : 'all',
      'onlyinfrajobs',
      'JSON',
    ].map(part => encodeURIComponent(String(part)));
    return `${this.location.replace(/\/+$/, '')}/${parts.join('/')}/`;
  }

  async newestRecord(site: AccountedSite, vo?: string): Promise<NewestRecord> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const now = this.now();
    const start = new Date(
      Date.UTC(
        now.getUTCFullYear(),
        now.getUTCMonth() - this.lookbackMonths,
        1,
      ),
    );
    const url = this.summaryUrl('SITE', 'DATE', { start, end: now }, vo);
    const table = await this.table(url, ['SITE', 'DATE'], recorder);
    if (!table.ok) return { ...table, evidence: [...recorder.evidence] };
    const row = portalRow(table.data, site.name);
    const months = row
      ? portalColumnsWithUsage(row)
          .filter(column => /^\d{4}-\d{2}$/.test(column))
          .sort()
      : [];
    const newest = months[months.length - 1];
    const base = {
      ok: true as const,
      granularity: 'month' as const,
      where: url,
      evidence: [...recorder.evidence],
    };
    if (!newest) {
      return {
        ...base,
        details: { site: site.name, listed: row !== undefined, months: [] },
      };
    }
    const [year, month] = newest.split('-').map(Number);
    // Records of a month are summed: the newest may be from any day of it, at most today.
    const endOfMonth = new Date(Date.UTC(year, month, 1) - 1);
    return {
      ...base,
      date: endOfMonth < now ? endOfMonth : now,
      ...(vo ? { vos: [vo] } : {}),
      details: { site: site.name, newestMonth: newest, months },
    };
  }

  async accountedVos(
    site: AccountedSite,
    period: AccountingPeriod,
  ): Promise<AccountedVos> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const url = this.summaryUrl('SITE', 'VO', period);
    const table = await this.table(url, ['SITE', 'VO'], recorder);
    if (!table.ok) return { ...table, evidence: [...recorder.evidence] };
    const row = portalRow(table.data, site.name);
    return {
      ok: true,
      vos: row ? portalColumnsWithUsage(row).sort() : [],
      where: url,
      details: { site: site.name, listed: row !== undefined },
      evidence: [...recorder.evidence],
    };
  }

  private async table(
    url: string,
    [rows, columns]: [string, string],
    recorder: EvidenceRecorder,
  ): Promise<{ ok: true; data: PortalTable } | { ok: false; reason: string }> {
    // The portal answers summary URLs with a redirect on the same host: followed, bounded.
    const result: HttpResult<PortalTable> = await getFollowingSameHost(
      this.options.http,
      { url, schema: portalTableSchema },
      recorder,
    );
    if (!result.ok) {
      return {
        ok: false,
        reason: `the accounting portal did not answer ${url} as expected: ${result.error.message}`,
      };
    }
    const described = result.data.find(row => row.id === 'var');
    if (
      described &&
      (described.yrange !== rows || described.xrange !== columns)
    ) {
      return {
        ok: false,
        reason: `the accounting portal answered ${described.yrange} by ${described.xrange}, not ${rows} by ${columns}`,
      };
    }
    return { ok: true, data: result.data };
  }
}

// ---------------------------------------------------------------------------------------------
// cASO's spool (`<spooldir>/lastrun.<project>`)
// ---------------------------------------------------------------------------------------------

/**
 * What cASO writes after extracting a project: `str(datetime.now(tzutc()))`, e.g.
 * `2026-11-23 18:47:35.143021+00:00` (no fraction when it is zero; older files have no zone and
 * mean UTC, as cASO reads them). cASO reads it with dateutil; this takes the ISO forms it writes.
 */
const LASTRUN_PATTERN =
  /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export const lastrunSchema = z
  .string()
  .transform(text => text.trim())
  .pipe(
    z
      .string()
      .regex(LASTRUN_PATTERN, 'not a cASO lastrun timestamp')
      .transform((text, context) => {
        const [, day, time, fraction, zone] = LASTRUN_PATTERN.exec(text)!;
        let clock = time ?? '00:00:00';
        if (clock.length === 5) clock = `${clock}:00`;
        const millis = fraction
          ? `.${fraction.padEnd(3, '0').slice(0, 3)}`
          : '';
        const offset =
          !zone || zone === 'Z'
            ? 'Z'
            : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
        const date = new Date(`${day}T${clock}${millis}${offset}`);
        if (Number.isNaN(date.getTime())) {
          context.addIssue({ code: 'custom', message: 'not a valid date' });
          return z.NEVER;
        }
        return date;
      }),
  );

type LastRun =
  | { project: AccountedProject; file: string; date: Date }
  | { project: AccountedProject; file: string; missing: true }
  | { project: AccountedProject; file: string; problem: string };

export class CasoSpoolSource implements AccountingSource {
  readonly kind = 'caso-spool' as const;
  private readonly overHttp: boolean;

  constructor(
    readonly location: string,
    private readonly options: AccountingSourceOptions,
  ) {
    this.overHttp = /^https?:\/\//i.test(location);
  }

  /** The projects' last runs; a failure when the folder or every spool file is unreadable. */
  private async readRuns(
    projects: AccountedSite['projects'],
    recorder: EvidenceRecorder,
  ): Promise<
    | { ok: true; runs: LastRun[] }
    | { ok: false; reason: string; evidence: Evidence[] }
  > {
    const folder = await this.folderProblem();
    if (folder) return { ok: false, reason: folder, evidence: [] };
    const runs = await this.lastRuns(projects, recorder);
    const problems = runs.filter(run => 'problem' in run);
    if (problems.length > 0 && problems.length === runs.length) {
      return {
        ok: false,
        reason: `cASO's spool could not be read: ${problems
          .map(p => ('problem' in p ? p.problem : ''))
          .join('; ')}`,
        evidence: [...recorder.evidence],
      };
    }
    return { ok: true, runs };
  }

  async newestRecord(site: AccountedSite, vo?: string): Promise<NewestRecord> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const read = await this.readRuns(
      site.projects.filter(p => vo === undefined || p.vo === vo),
      recorder,
    );
    if (!read.ok) return read;
    const { runs } = read;
    const dated = runs.filter(
      (run): run is Extract<LastRun, { date: Date }> => 'date' in run,
    );
    const newest = dated.reduce<Date | undefined>(
      (max, run) => (!max || run.date > max ? run.date : max),
      undefined,
    );
    return {
      ok: true,
      granularity: 'instant',
      where: this.location,
      ...(newest ? { date: newest } : {}),
      vos: [...new Set(dated.map(run => run.project.vo))].sort(),
      details: { projects: describeRuns(runs) },
      evidence: [...recorder.evidence],
    };
  }

  async accountedVos(
    site: AccountedSite,
    period: AccountingPeriod,
  ): Promise<AccountedVos> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const read = await this.readRuns(site.projects, recorder);
    if (!read.ok) return read;
    const { runs } = read;
    // cASO extracts everything up to its run: a run after the period began covers it.
    const covering = runs.filter(
      (run): run is Extract<LastRun, { date: Date }> =>
        'date' in run && run.date >= period.start,
    );
    return {
      ok: true,
      vos: [...new Set(covering.map(run => run.project.vo))].sort(),
      projects: covering.map(run => run.project.id),
      where: this.location,
      details: { projects: describeRuns(runs) },
      evidence: [...recorder.evidence],
    };
  }

  /** A spool folder that is not there is a configuration error, not a site without records. */
  private async folderProblem(): Promise<string | undefined> {
    if (this.overHttp) return undefined;
    try {
      const stat = await fs.stat(this.location);
      return stat.isDirectory()
        ? undefined
        : `cASO's spool ${this.location} is not a folder`;
    } catch (error) {
      return `cASO's spool folder ${this.location} cannot be read: ${
        (error as Error).message
      }`;
    }
  }

  /** One read per project: `lastrun.<id>`, then `lastrun.<name>` (cASO's `projects` option may name them). */
  private lastRuns(
    projects: ReadonlyArray<AccountedProject>,
    recorder: EvidenceRecorder,
  ): Promise<LastRun[]> {
    return Promise.all(
      projects.map(async project => {
        const byId = await this.read(
          `lastrun.${project.id}`,
          project,
          recorder,
        );
        const nameUsable =
          project.name !== project.id &&
          isSpoolFileName(`lastrun.${project.name}`);
        if (!('missing' in byId) || !nameUsable) return byId;
        const byName = await this.read(
          `lastrun.${project.name}`,
          project,
          recorder,
        );
        return 'missing' in byName ? byId : byName;
      }),
    );
  }

  private async read(
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    if (!isSpoolFileName(name)) {
      return {
        project,
        file: name,
        problem: `${name} is not a spool file name`,
      };
    }
    return this.overHttp
      ? this.readOverHttp(name, project, recorder)
      : this.readFile(name, project, recorder);
  }

  private async readOverHttp(
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    const url = `${this.location.replace(/\/+$/, '')}/${encodeURIComponent(
      name,
    )}`;
    const result = await this.options.http.request(
      { url, parseAs: 'text', schema: lastrunSchema },
      recorder,
    );
    if (result.ok) return { project, file: url, date: result.data };
    if (result.error.kind === 'http' && result.error.status === 404) {
      return { project, file: url, missing: true };
    }
    return { project, file: url, problem: `${url}: ${result.error.message}` };
  }

  private async readFile(
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    const file = path.join(this.location, name);
    const started = Date.now();
    const evidence: Evidence = {
      at: new Date(started).toISOString(),
      method: 'READ',
      url: pathToFileURL(file).href,
      durationMs: 0,
      requestHeaders: {},
      responseHeaders: {},
    };
    let outcome: LastRun;
    try {
      // A lastrun file is one timestamp: anything big is not one.
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > 1024) {
        outcome = { project, file, problem: `${file} is not a lastrun file` };
      } else {
        const text = await fs.readFile(file, 'utf8');
        evidence.responseBody = text.slice(0, 256);
        const parsed = lastrunSchema.safeParse(text);
        outcome = parsed.success
          ? { project, file, date: parsed.data }
          : {
              project,
              file,
              problem: `${file}: ${parsed.error.issues[0]?.message}`,
            };
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      outcome =
        code === 'ENOENT'
          ? { project, file, missing: true }
          : { project, file, problem: `${file}: ${(error as Error).message}` };
    }
    evidence.durationMs = Date.now() - started;
    if ('missing' in outcome) evidence.error = 'no such file';
    if ('problem' in outcome) evidence.error = outcome.problem;
    recorder.record(evidence);
    return outcome;
  }
}

// cASO names files after the project; a name with a path separator is not one of them.
function isSpoolFileName(name: string): boolean {
  return !/[/\\\0]/.test(name) && name !== '.' && name !== '..';
}

function describeRuns(runs: LastRun[]) {
  return runs.map(run => ({
    project: run.project.name,
    id: run.project.id,
    vo: run.project.vo,
    file: run.file,
    ...('date' in run ? { lastRun: run.date.toISOString() } : {}),
    ...('missing' in run ? { missing: true } : {}),
    ...('problem' in run ? { problem: run.problem } : {}),
  }));
}

/** The source a scan's settings name. */
export function accountingSourceFor(
  settings: AccountingSourceSettings,
  options: AccountingSourceOptions,
): AccountingSource {
  return settings.kind === 'accounting-portal'
    ? new AccountingPortalSource(settings.location, options)
    : new CasoSpoolSource(settings.location, options);
}
