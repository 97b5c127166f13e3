import { Knex } from 'knex';
import {
  MeteringSampleSummary,
  UsageTotals,
} from '@fedstack/plugin-openstack-common';
import {
  ProjectUsageSample,
  projectUsageSampleSchema,
} from '@fedstack/plugin-openstack-node';

/**
 * Metering samples in the plugin's own database (SQLite or PostgreSQL, same queries): the totals
 * as columns for usage over time, the whole sample as JSON for what a page shows of it.
 */

const TABLE = 'openstack_metering_samples';

// Every column but the whole sample.
const SUMMARY_COLUMNS = [
  'site_ref',
  'project_id',
  'taken_at',
  'servers',
  'vcpus',
  'ram_mb',
  'disk_gb',
  'volumes',
  'volume_gb',
  'snapshots',
  'snapshot_gb',
  'floating_ips',
  'routers',
  'load_balancers',
  'images',
  'image_bytes',
  'problems',
];

interface SampleRow {
  id: number;
  site_ref: string;
  project_id: string;
  taken_at: string | Date;
  servers: number;
  vcpus: number;
  ram_mb: number;
  disk_gb: number;
  volumes: number;
  volume_gb: number;
  snapshots: number;
  snapshot_gb: number;
  floating_ips: number;
  routers: number;
  load_balancers: number;
  images: number;
  // PostgreSQL gives bigint columns as strings.
  image_bytes: number | string;
  error_count: number;
  problems: string;
  sample: string;
}

type SummaryRow = Omit<SampleRow, 'id' | 'error_count' | 'sample'>;

function totalsOf(row: SummaryRow): UsageTotals {
  return {
    servers: Number(row.servers),
    vcpus: Number(row.vcpus),
    ramMb: Number(row.ram_mb),
    diskGb: Number(row.disk_gb),
    volumes: Number(row.volumes),
    volumeGb: Number(row.volume_gb),
    snapshots: Number(row.snapshots),
    snapshotGb: Number(row.snapshot_gb),
    floatingIps: Number(row.floating_ips),
    routers: Number(row.routers),
    loadBalancers: Number(row.load_balancers),
    images: Number(row.images),
    imageBytes: Number(row.image_bytes),
  };
}

export interface StoredSampleSummary extends MeteringSampleSummary {
  siteRef: string;
  projectId: string;
}

export class MeteringStore {
  constructor(private readonly db: Knex) {}

  async addSample(siteRef: string, given: ProjectUsageSample): Promise<void> {
    const sample = projectUsageSampleSchema.parse(given);
    const t = sample.totals;
    await this.db<SampleRow>(TABLE).insert({
      site_ref: siteRef,
      project_id: sample.projectId,
      taken_at: new Date(sample.takenAt),
      servers: t.servers,
      vcpus: t.vcpus,
      ram_mb: t.ramMb,
      disk_gb: t.diskGb,
      volumes: t.volumes,
      volume_gb: Math.round(t.volumeGb),
      snapshots: t.snapshots,
      snapshot_gb: Math.round(t.snapshotGb),
      floating_ips: t.floatingIps,
      routers: t.routers,
      load_balancers: t.loadBalancers,
      images: t.images,
      image_bytes: t.imageBytes,
      error_count: sample.errors.length,
      problems: JSON.stringify({
        errors: sample.errors,
        unavailable: sample.unavailable,
      }),
      sample: JSON.stringify(sample),
    } as Partial<SampleRow>);
  }

  /**
   * The samples of a project taken in [from, to), oldest first, with the last one before `from`
   * (usage at `from` is what that sample saw).
   */
  async listSamples(
    siteRef: string,
    projectId: string,
    period: { from: Date; to: Date },
  ): Promise<{
    before?: StoredSampleSummary;
    samples: StoredSampleSummary[];
  }> {
    const project = { site_ref: siteRef, project_id: projectId };
    const [before] = (await this.db(TABLE)
      .select(SUMMARY_COLUMNS)
      .where(project)
      .where('taken_at', '<', period.from)
      .orderBy('taken_at', 'desc')
      .limit(1)) as SummaryRow[];
    const rows = (await this.db(TABLE)
      .select(SUMMARY_COLUMNS)
      .where(project)
      .where('taken_at', '>=', period.from)
      .where('taken_at', '<', period.to)
      .orderBy('taken_at', 'asc')) as SummaryRow[];
    return {
      ...(before ? { before: this.summary(before) } : {}),
      samples: rows.map(row => this.summary(row)),
    };
  }

  /** The newest sample of a project, whole. */
  async latestSample(
    siteRef: string,
    projectId: string,
  ): Promise<ProjectUsageSample | undefined> {
    const row = await this.db<SampleRow>(TABLE)
      .where({ site_ref: siteRef, project_id: projectId })
      .orderBy('taken_at', 'desc')
      .first();
    return row
      ? projectUsageSampleSchema.parse(JSON.parse(row.sample))
      : undefined;
  }

  /** When each project of a site was last sampled. */
  async lastTakenAt(siteRef: string): Promise<Map<string, Date>> {
    const rows: Array<{ project_id: string; taken_at: string | Date }> =
      await this.db(TABLE)
        .where({ site_ref: siteRef })
        .groupBy('project_id')
        .select('project_id')
        .max({ taken_at: 'taken_at' });
    return new Map(
      rows.map(row => [row.project_id, new Date(row.taken_at)] as const),
    );
  }

  /** Removes samples older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    return this.db(TABLE).where('taken_at', '<', before).delete();
  }

  private summary(row: SummaryRow): StoredSampleSummary {
    // Only the small problems column: a summary never reads the whole sample.
    const problems = JSON.parse(row.problems) as Pick<
      ProjectUsageSample,
      'errors' | 'unavailable'
    >;
    return {
      siteRef: row.site_ref,
      projectId: row.project_id,
      takenAt: new Date(row.taken_at).toISOString(),
      totals: totalsOf(row),
      errors: problems.errors,
      unavailable: problems.unavailable,
    };
  }
}
