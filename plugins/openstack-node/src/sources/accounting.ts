import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Evidence, EvidenceRecorder, EvidenceSink } from '../client/evidence';
import { HttpResult, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';
import { readShared, SharedReadNote, SourceCache } from './sourceCache';

/**
 * Where a site's accounting records can be seen from outside: the EGI accounting portal's JSON
 * summaries (what APEL received) or cASO's spool (`lastrun.<project>`: when cASO last extracted
 * each project). accounting.fresh and accounting.coverage ask through {@link AccountingSource}.
 */

/**
 * Where accounting records are looked up (accounting.fresh, accounting.coverage). Two sources
 * ship: the EGI accounting portal's JSON summaries and cASO's `lastrun.<project>` spool.
 */
export interface AccountingSourceSettings {
  kind: 'accounting-portal' | 'caso-spool';
  /** Portal: base URL, e.g. `https://accounting.egi.eu`; spool: a folder path or an http(s) URL. */
  location: string;
}

/** A site as an accounting source knows it. */
export interface AccountedSite {
  /** The name its records are kept under (the accounting name, else the GOCDB name). */
  name: string;
  /** Other names the site goes by (its GOCDB name when the accounting name differs): a spool root's folders use it. */
  otherNames?: string[];
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
      /** cASO run per record type (`compute`, `block`): the type whose newest run is `date`, the stalest. */
      recordType?: string;
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
  /** Portal: its tables (every site's rows) kept for the fleet scan, read once for all sites. */
  cache?: SourceCache;
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
    const table = await this.table(url, ['SITE', 'DATE'], site.name, recorder);
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
        details: {
          site: site.name,
          listed: row !== undefined,
          months: [],
          read: table.read,
        },
      };
    }
    const [year, month] = newest.split('-').map(Number);
    // Records of a month are summed: the newest may be from any day of it, at most today.
    const endOfMonth = new Date(Date.UTC(year, month, 1) - 1);
    return {
      ...base,
      date: endOfMonth < now ? endOfMonth : now,
      ...(vo ? { vos: [vo] } : {}),
      details: {
        site: site.name,
        newestMonth: newest,
        months,
        read: table.read,
      },
    };
  }

  async accountedVos(
    site: AccountedSite,
    period: AccountingPeriod,
  ): Promise<AccountedVos> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const url = this.summaryUrl('SITE', 'VO', period);
    const table = await this.table(url, ['SITE', 'VO'], site.name, recorder);
    if (!table.ok) return { ...table, evidence: [...recorder.evidence] };
    const row = portalRow(table.data, site.name);
    return {
      ok: true,
      vos: row ? portalColumnsWithUsage(row).sort() : [],
      where: url,
      details: { site: site.name, listed: row !== undefined, read: table.read },
      evidence: [...recorder.evidence],
    };
  }

  /** A table every site's row is in: read once per fleet scan when there is a cache. */
  private async table(
    url: string,
    shape: [string, string],
    site: string,
    recorder: EvidenceRecorder,
  ): Promise<
    | { ok: true; data: PortalTable; read: SharedReadNote }
    | { ok: false; reason: string }
  > {
    const { value, note } = await readShared({
      cache: this.options.cache,
      key: `accounting-portal:${url}`,
      url,
      recorder,
      read: own => this.readTable(url, shape, own),
      ok: table => table.ok,
      // The evidence keeps the site's row, not the table of every site.
      about: table => {
        const row = table.ok ? portalRow(table.data, site) : undefined;
        return {
          site,
          of: table.ok
            ? table.data.filter(r => !NON_DATA_ROWS.has(String(r.id))).length
            : 0,
          entries: row ? [row] : [],
        };
      },
    });
    return value.ok ? { ...value, read: note } : value;
  }

  private async readTable(
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

/**
 * The record types of EGI's cASO runs: fedcloud-catchall-operations runs cASO once per record
 * type and project (`caso_run_configs`: `compute` with the nova extractor, `block` with cinder),
 * each with its own spool folder `<spool root>/<site>/<type>/` holding `lastrun.<project id>`
 * and SSM's `outgoing/`. A plain cASO has one spool folder with every extractor's runs.
 */
export const CASO_RECORD_TYPES = ['compute', 'block'] as const;

const isRecordType = (name?: string) =>
  (CASO_RECORD_TYPES as readonly string[]).includes(name ?? '');

/** One spool folder the site's lastrun files are in, with its record type when known. */
interface RunFolder {
  /** A folder path or a base URL. */
  location: string;
  type?: string;
}

type Layout =
  | { ok: true; folders: RunFolder[]; shape: string }
  | { ok: false; reason: string };

type LastRun = { project: AccountedProject; file: string; type?: string } & (
  | { date: Date }
  | { missing: true }
  | { problem: string }
);
type DatedRun = Extract<LastRun, { date: Date }>;

const isDated = (run: LastRun): run is DatedRun => 'date' in run;
const LASTRUN_FILE = /^lastrun\../;

export class CasoSpoolSource implements AccountingSource {
  readonly kind = 'caso-spool' as const;
  private readonly overHttp: boolean;

  constructor(
    readonly location: string,
    private readonly options: AccountingSourceOptions,
  ) {
    this.overHttp = /^https?:\/\//i.test(location);
  }

  /**
   * The site's last runs. The location may be a cASO spool folder (`lastrun.*` in it), a site's
   * folder of EGI's runs (`compute/`, `block/`), or their root (`<site>/compute/`, …): each is
   * recognised; anything else is a configuration error naming what was found.
   */
  private async readRuns(
    site: AccountedSite,
    projects: AccountedSite['projects'],
    recorder: EvidenceRecorder,
  ): Promise<
    | { ok: true; runs: LastRun[]; shape: string }
    | { ok: false; reason: string; evidence: Evidence[] }
  > {
    const found = this.overHttp
      ? await this.probeOverHttp(site, projects, recorder)
      : await this.folderLayout(site, projects, recorder);
    if (!found.ok) {
      return { ...found, evidence: [...recorder.evidence] };
    }
    const { runs, shape } = found;
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
    return { ok: true, runs, shape };
  }

  async newestRecord(site: AccountedSite, vo?: string): Promise<NewestRecord> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    // The layout is found from all the site's projects, then one VO's runs are kept.
    const read = await this.readRuns(site, site.projects, recorder);
    if (!read.ok) return read;
    const runs = read.runs.filter(
      run => vo === undefined || run.project.vo === vo,
    );
    const dated = runs.filter(isDated);
    // Every record type counts: the site is as fresh as its stalest type's newest run.
    const byType = newestByType(dated);
    const stalest = [...byType.entries()].sort(
      ([, a], [, b]) => a.getTime() - b.getTime(),
    )[0];
    return {
      ok: true,
      granularity: 'instant',
      where: this.location,
      ...(stalest ? { date: stalest[1] } : {}),
      ...(stalest && stalest[0] !== '' ? { recordType: stalest[0] } : {}),
      vos: [...new Set(dated.map(run => run.project.vo))].sort(),
      details: {
        layout: read.shape,
        ...(byType.size > 1 || !byType.has('')
          ? {
              newestByRecordType: Object.fromEntries(
                [...byType].map(([type, date]) => [type, date.toISOString()]),
              ),
            }
          : {}),
        projects: describeRuns(runs),
      },
      evidence: [...recorder.evidence],
    };
  }

  async accountedVos(
    site: AccountedSite,
    period: AccountingPeriod,
  ): Promise<AccountedVos> {
    const recorder = new EvidenceRecorder(this.options.recorder);
    const read = await this.readRuns(site, site.projects, recorder);
    if (!read.ok) return read;
    const { runs } = read;
    // Record types the site's cASO runs (some project has a lastrun of that type).
    const types = new Set(runs.filter(isDated).map(run => run.type ?? ''));
    // cASO extracts everything up to its run: a run after the period began covers it, and a
    // project is accounted when every record type's run covers it.
    const covered = site.projects.filter(
      project =>
        types.size > 0 &&
        [...types].every(type =>
          runs.some(
            run =>
              run.project.id === project.id &&
              (run.type ?? '') === type &&
              isDated(run) &&
              run.date >= period.start,
          ),
        ),
    );
    return {
      ok: true,
      vos: [...new Set(covered.map(project => project.vo))].sort(),
      projects: covered.map(project => project.id),
      where: this.location,
      details: { layout: read.shape, projects: describeRuns(runs) },
      evidence: [...recorder.evidence],
    };
  }

  /** The site's run folders on disk, found by listing; then its projects' last runs. */
  private async folderLayout(
    site: AccountedSite,
    projects: AccountedSite['projects'],
    recorder: EvidenceRecorder,
  ): Promise<
    { ok: true; runs: LastRun[]; shape: string } | { ok: false; reason: string }
  > {
    const layout = await this.findFolders(site);
    if (!layout.ok) return layout;
    const runs = await this.lastRuns(layout.folders, projects, recorder);
    // Another site's folder holds other projects' runs only: say so rather than "no records".
    if (layout.shape.startsWith('a site folder')) {
      const names = [site.name, ...(site.otherNames ?? [])];
      const folderName = path.basename(path.resolve(this.location));
      if (
        !names.includes(folderName) &&
        projects.length > 0 &&
        !runs.some(isDated)
      ) {
        return {
          ok: false,
          reason: `cASO's spool ${this.location} is the record-type folders of a site named ${folderName}, and holds no lastrun file of site ${site.name}'s projects: point the accounting source at the spool root (holding one folder per site) or at this site's folder`,
        };
      }
    }
    return { ok: true, runs, shape: layout.shape };
  }

  private async findFolders(site: AccountedSite): Promise<Layout> {
    const listing = await list(this.location);
    if (!listing.ok) return listing;
    const { files, folders } = listing;
    if (files.some(name => LASTRUN_FILE.test(name))) {
      return {
        ok: true,
        folders: [{ location: this.location }],
        shape: 'a cASO spool folder',
      };
    }
    // cASO makes its spool folder before its first run: empty, it has extracted nothing yet.
    if (files.length === 0 && folders.length === 0) {
      return {
        ok: true,
        folders: [{ location: this.location }],
        shape: 'an empty cASO spool folder (no run yet)',
      };
    }
    const typed = await runFoldersIn(this.location, folders);
    const known = typed.filter(f => isRecordType(f.type));
    if (known.length > 0) {
      return {
        ok: true,
        folders: known,
        shape: `a site folder of cASO runs per record type (${known
          .map(f => f.type)
          .join(', ')})`,
      };
    }
    const siteFolder = [site.name, ...(site.otherNames ?? [])].find(name =>
      folders.includes(name),
    );
    if (siteFolder) {
      const inSite = path.join(this.location, siteFolder);
      const siteListing = await list(inSite);
      const siteTyped = (
        siteListing.ok ? await runFoldersIn(inSite, siteListing.folders) : []
      ).filter(f => isRecordType(f.type));
      if (siteTyped.length > 0) {
        return {
          ok: true,
          folders: siteTyped,
          shape: `a spool root, site folder ${siteFolder} (${siteTyped
            .map(f => f.type)
            .join(', ')})`,
        };
      }
      return {
        ok: false,
        reason: `cASO's spool root ${
          this.location
        } has a folder for site ${siteFolder}, but it holds no record-type folder with lastrun files (${describeListing(
          siteListing,
        )})`,
      };
    }
    return {
      ok: false,
      reason: `cASO's spool ${
        this.location
      } is not a spool folder (no lastrun.<project> file), nor a site folder (no ${CASO_RECORD_TYPES.join(
        '/ or ',
      )}/ folder with lastrun files), nor a spool root with a folder for site ${listed(
        [site.name, ...(site.otherNames ?? [])],
      )}: it holds ${describeListing(listing)}${
        typed.length > 0
          ? ` (${typed
              .map(f => `${f.type}/`)
              .join(', ')} holds lastrun files: is that the spool folder?)`
          : ''
      }`,
    };
  }

  /**
   * Over http nothing can be listed: the layouts are tried in turn, the first where some
   * project has a lastrun file wins; none is a configuration error naming what was asked.
   */
  private async probeOverHttp(
    site: AccountedSite,
    projects: AccountedSite['projects'],
    recorder: EvidenceRecorder,
  ): Promise<
    { ok: true; runs: LastRun[]; shape: string } | { ok: false; reason: string }
  > {
    const base = this.location.replace(/\/+$/, '');
    const typed = (prefix: string) =>
      CASO_RECORD_TYPES.map(type => ({
        location: `${base}/${prefix}${type}`,
        type,
      }));
    const siteNames = [site.name, ...(site.otherNames ?? [])];
    const candidates: Array<{ shape: string; folders: RunFolder[] }> = [
      { shape: 'a cASO spool folder', folders: [{ location: base }] },
      {
        shape: `a site folder of cASO runs per record type (${CASO_RECORD_TYPES.join(
          ', ',
        )})`,
        folders: typed(''),
      },
      ...siteNames.map(name => ({
        shape: `a spool root, site folder ${name}`,
        folders: typed(`${encodeURIComponent(name)}/`),
      })),
    ];
    if (projects.length === 0) {
      return { ok: true, runs: [], shape: 'not probed: no project to look up' };
    }
    for (const candidate of candidates) {
      const runs = await this.lastRuns(candidate.folders, projects, recorder);
      if (runs.some(run => !('missing' in run))) {
        // Record types with no file at all are not run for this site.
        const used = new Set(
          runs.filter(run => !('missing' in run)).map(run => run.type),
        );
        return {
          ok: true,
          runs: runs.filter(run => used.has(run.type)),
          shape: candidate.shape,
        };
      }
    }
    return {
      ok: false,
      reason: `cASO's spool at ${base} has no lastrun file of any of site ${
        site.name
      }'s ${
        projects.length
      } project(s), whether read as a spool folder (lastrun.<project>), a site folder (${CASO_RECORD_TYPES.map(
        t => `${t}/lastrun.<project>`,
      ).join(', ')}) or a spool root (${siteNames
        .map(name => `${name}/…`)
        .join(
          ', ',
        )}): the URL is not this site's cASO spool, or cASO never ran`,
    };
  }

  /** Per folder and project: `lastrun.<id>`, then `lastrun.<name>` (cASO's `projects` option may name them). */
  private async lastRuns(
    folders: RunFolder[],
    projects: ReadonlyArray<AccountedProject>,
    recorder: EvidenceRecorder,
  ): Promise<LastRun[]> {
    const perFolder = await Promise.all(
      folders.map(folder =>
        Promise.all(
          projects.map(async project => {
            const byId = await this.read(
              folder,
              `lastrun.${project.id}`,
              project,
              recorder,
            );
            const nameUsable =
              project.name !== project.id &&
              isSpoolFileName(`lastrun.${project.name}`);
            if (!('missing' in byId) || !nameUsable) return byId;
            const byName = await this.read(
              folder,
              `lastrun.${project.name}`,
              project,
              recorder,
            );
            return 'missing' in byName ? byId : byName;
          }),
        ),
      ),
    );
    return perFolder.flat();
  }

  private async read(
    folder: RunFolder,
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    const typed = folder.type ? { type: folder.type } : {};
    if (!isSpoolFileName(name)) {
      return {
        project,
        file: name,
        ...typed,
        problem: `${name} is not a spool file name`,
      };
    }
    const run = this.overHttp
      ? await this.readOverHttp(folder.location, name, project, recorder)
      : await this.readFile(folder.location, name, project, recorder);
    return { ...run, ...typed };
  }

  private async readOverHttp(
    base: string,
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    const url = `${base.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
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
    folder: string,
    name: string,
    project: AccountedProject,
    recorder: EvidenceRecorder,
  ): Promise<LastRun> {
    const file = path.join(folder, name);
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

type Listing =
  | { ok: true; files: string[]; folders: string[] }
  | { ok: false; reason: string };

/** A folder's files and sub-folders; a location that is no folder is a configuration error. */
async function list(folder: string): Promise<Listing> {
  try {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    return {
      ok: true,
      files: entries
        .filter(e => e.isFile())
        .map(e => e.name)
        .sort(),
      folders: entries
        .filter(e => e.isDirectory())
        .map(e => e.name)
        .sort(),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === 'ENOTDIR'
          ? `cASO's spool ${folder} is not a folder`
          : `cASO's spool folder ${folder} cannot be read: ${
              (error as Error).message
            }`,
    };
  }
}

/** The sub-folders holding lastrun files (cASO runs of one record type each, when named so). */
async function runFoldersIn(
  parent: string,
  folders: string[],
): Promise<RunFolder[]> {
  const found = await Promise.all(
    folders.map(async name => {
      const inside = await list(path.join(parent, name));
      return inside.ok && inside.files.some(file => LASTRUN_FILE.test(file))
        ? [{ location: path.join(parent, name), type: name }]
        : [];
    }),
  );
  return found.flat();
}

function describeListing(listing: Listing): string {
  if (!listing.ok) return listing.reason;
  const names = [...listing.folders.map(f => `${f}/`), ...listing.files];
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

function newestByType(runs: DatedRun[]): Map<string, Date> {
  const newest = new Map<string, Date>();
  for (const run of runs) {
    const type = run.type ?? '';
    const known = newest.get(type);
    if (!known || run.date > known) newest.set(type, run.date);
  }
  return newest;
}

function listed(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
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
