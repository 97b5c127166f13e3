import { z } from 'zod';
import { HttpError } from '../client/http';
import { Lookup } from '../client/service';
import { OpenStackSession } from '../client/session';
import { listRootVersions } from '../client/discovery';
import { listEndpoints } from '../client/identity/catalog';
import {
  listKeystoneEndpoints,
  listKeystoneServices,
  listRegions,
} from '../client/identity/endpoints';
import { getServer } from '../client/compute/servers';
import { listNetworks } from '../client/network/networks';
import { listRouters } from '../client/network/routers';
import { listFloatingIps } from '../client/network/floatingips';
import { getNetworkQuota } from '../client/network/quotas';
import { listVolumes } from '../client/blockstorage/volumes';
import { getBlockStorageQuotaSet } from '../client/blockstorage/quotas';
import { getBlockStorageLimits } from '../client/blockstorage/limits';
import { getComputeQuotaSet } from '../client/compute/quotas';
import { getComputeLimits } from '../client/compute/limits';
import { getTenantUsage } from '../client/compute/usage';
import { RoleAssignmentFilters } from '../client/identity/roleAssignments';
import { ComplianceCatalogue } from '../checks/complianceCatalogue';
import {
  ExternalSources,
  ScanSessions,
  SiteUnderTest,
} from '../checks/context';
import {
  checkIdSchema,
  ProfileScore,
  READINESS_WORDS,
} from '@fedstack/plugin-openstack-terms';
import { scanSite, ScanOptions } from '../checks/scan';
import { CheckResult } from '../checks/types';
import {
  CommandGrammar,
  FORMATS,
  formatSchema,
  nameSchema,
  OptionSpec,
  usageOf,
} from './parse';
import {
  colourStatus,
  CommandOutput,
  Formatted,
  plainText,
  renderTable,
  SHOW_VALUE_WIDTH,
  TableStyle,
} from './table';

/** What a console command runs with: the site's reader session, and what a scan needs. */
export interface ConsoleContext {
  /** The terminal's width (tables fit it) and whether it shows colours; absent: plain text. */
  terminal?: TableStyle;
  /** The site's reader credential set: every command is a read. */
  session: OpenStackSession;
  site: SiteUnderTest;
  /** `scan` and `check` need the site's other accounts and its profiles; absent, they refuse. */
  scan?: ConsoleScanSetup;
  /**
   * Aborted when the user cancels (Ctrl+C) or goes away: nothing more is written, and the
   * command's requests (a scan's too) stop.
   */
  signal?: AbortSignal;
}

export interface ConsoleScanSetup {
  sessions: ScanSessions;
  profiles: string[];
  profileSettings?: ScanOptions['profileSettings'];
  /** The checks and profiles (the backend's, with its modules'); the built-in ones by default. */
  catalogue?: ComplianceCatalogue;
  settings?: ScanOptions['settings'];
  sources?: ExternalSources;
  /**
   * Runs `scan` where the site's other scans run (a backend's scan service: stored in the
   * history, and joined by concurrent ones). Absent, the console scans itself and stores nothing.
   */
  runScan?: SharedScanRunner;
}

/** A check as a watcher of a scan sees it finish. */
export type FinishedCheck = Pick<CheckResult, 'checkId' | 'status' | 'message'>;

/**
 * Starts the site's scan or joins the one running, calls `onCheck` for each finished check
 * (those before joining too), and resolves with the stored scan. A cancel stops the watching.
 */
export type SharedScanRunner = (
  onCheck: (check: FinishedCheck) => void,
  signal?: AbortSignal,
) => Promise<{
  scanId: string;
  joined: boolean;
  profiles: ProfileScore[];
  checks: number;
  durationMs: number;
  requests: number;
}>;

/** A command could not give its answer (OpenStack said no, a name matched nothing, …). */
export class ConsoleError extends Error {}

/** Input the command cannot take (found out only when it runs): refused, nothing asked. */
export class ConsoleRefusal extends ConsoleError {}

export type Write = (line: string) => void;

export interface ConsoleCommand extends CommandGrammar {
  summary: string;
  /** Table output, which `-c` and `-f` then shape; streaming commands write and return nothing. */
  run(
    args: Record<string, unknown>,
    context: ConsoleContext,
    write: Write,
  ): Promise<CommandOutput | void>;
}

const FORMAT: OptionSpec = {
  name: 'format',
  short: 'f',
  metavar: 'FORMAT',
  values: FORMATS,
};
const COLUMN: OptionSpec = {
  name: 'column',
  short: 'c',
  metavar: 'COLUMN',
  repeatable: true,
};
const outputOptions = {
  format: formatSchema.optional(),
  column: z.array(z.string().regex(/^[A-Za-z0-9 _:-]{1,64}$/)).optional(),
};

const required = nameSchema;

function must<T>(
  result: { ok: true; data: T } | { ok: false; error: HttpError },
  what: string,
): T {
  if (result.ok) return result.data;
  throw new ConsoleError(`${what} failed: ${describeError(result.error)}`);
}

function mustLookup<T>(result: Lookup<T>, what: string): T {
  if (result.ok) return result.value;
  throw new ConsoleError(`${what} failed: ${describeError(result.error)}`);
}

/** How the console says its account was refused: one wording for every refusal. */
const LACKS_THE_RIGHT =
  "the console's account lacks the right to do this on this site";

export function describeError(error: HttpError): string {
  const said =
    error.status && !error.message.includes(String(error.status))
      ? `HTTP ${error.status}: ${error.message}`
      : error.message;
  // The policy said no: the console's account (the site's reader) holds no role that allows it.
  return error.status === 403
    ? `${LACKS_THE_RIGHT} (its Keystone roles do not allow it): ${said}`
    : said;
}

const notFound = (error: HttpError) =>
  error.kind === 'http' && error.status === 404;

/** Every field of a resource but its links, sorted as the CLI sorts them. */
function fieldsOf(
  resource: Record<string, unknown>,
  rename: Record<string, string> = {},
): Array<[string, unknown]> {
  return Object.entries(resource)
    .filter(([key]) => key !== 'links')
    .map(([key, value]): [string, unknown] => [rename[key] ?? key, value])
    .sort(([a], [b]) => a.localeCompare(b));
}

function list(columns: string[], rows: unknown[][]): CommandOutput {
  return { kind: 'list', columns, rows };
}

function command(
  words: string,
  summary: string,
  spec: {
    positionals?: string[];
    optionalPositionals?: string[];
    options?: OptionSpec[];
    schema?: Record<string, z.ZodType>;
    output?: boolean;
  },
  run: ConsoleCommand['run'],
): ConsoleCommand {
  const output = spec.output ?? true;
  return {
    words: words.split(' '),
    summary,
    positionals: spec.positionals ?? [],
    optionalPositionals: spec.optionalPositionals,
    options: [...(spec.options ?? []), ...(output ? [FORMAT, COLUMN] : [])],
    schema: z
      .object({ ...spec.schema, ...(output ? outputOptions : {}) })
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    run,
  };
}

const STATUS_WIDTH = 5;

function checkLine(
  result: FinishedCheck,
  done?: [number, number],
  colour = false,
): string {
  const count = done
    ? `[${String(done[0]).padStart(String(done[1]).length)}/${done[1]}] `
    : '';
  const status = result.status.padEnd(STATUS_WIDTH);
  return `${count}${
    colour
      ? colourStatus(result.status) + status.slice(result.status.length)
      : status
  } ${result.checkId}: ${plainText(result.message)}`;
}

function scanSetup(context: ConsoleContext, what: string): ConsoleScanSetup {
  if (!context.scan) {
    throw new ConsoleError(`${what} is not available for this site.`);
  }
  return context.scan;
}

const DAY = 24 * 60 * 60 * 1000;

const day = (date: Date) => date.toISOString().slice(0, 10);

// Python's float('%.2f' % x): 2 decimals at most, and `.0` on whole numbers.
function hours(value: number | undefined): Formatted {
  const rounded = Number((value ?? 0).toFixed(2));
  return new Formatted(
    Number.isInteger(rounded) ? `${rounded}.0` : String(rounded),
    rounded,
  );
}

// The addresses of a server as the CLI shows them: `net=10.0.0.3, 2001:db8::3; other=…`.
function networksCell(
  addresses: Record<string, Array<{ addr: string }>>,
): Formatted {
  const data = Object.fromEntries(
    Object.entries(addresses).map(([net, ips]) => [
      net,
      ips.map(ip => ip.addr),
    ]),
  );
  return new Formatted(
    Object.entries(data)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([net, ips]) => `${net}=${ips.join(', ')}`)
      .join('; '),
    data,
  );
}

// python-openstackclient's names for Nova's and Cinder's quota keys (`quota show`).
const QUOTA_NAMES: Record<string, string> = {
  fixed_ips: 'fixed-ips',
  injected_file_content_bytes: 'injected-file-size',
  injected_file_path_bytes: 'injected-path-size',
  injected_files: 'injected-files',
  key_pairs: 'key-pairs',
  metadata_items: 'properties',
  server_groups: 'server-groups',
  server_group_members: 'server-group-members',
  floating_ips: 'floating-ips',
  security_group_rules: 'secgroup-rules',
  security_groups: 'secgroups',
  backup_gigabytes: 'backup-gigabytes',
  per_volume_gigabytes: 'per-volume-gigabytes',
};

// Neutron's quota keys as the CLI (through openstacksdk) names them.
const NETWORK_QUOTA_NAMES: Record<string, string> = {
  floatingip: 'floating-ips',
  security_group_rule: 'secgroup-rules',
  security_group: 'secgroups',
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  rbac_policy: 'rbac_policies',
  subnetpool: 'subnet_pools',
};

export const COMMANDS: ConsoleCommand[] = [
  command(
    'help',
    'This list.',
    { output: false },
    async (_args, _context, write) => {
      write('Read-only commands, as the openstack CLI names them:');
      const usages = [
        ...COMMANDS.map(c => [usageOf(c, false), c.summary]),
        ['clear', 'Clears the screen (in the browser).'],
      ];
      const width = Math.max(...usages.map(([u]) => u.length));
      for (const [usage, summary] of usages) {
        write(`  ${usage.padEnd(width)}  ${summary}`);
      }
      write(
        'Lists and shows print tables; -f json|yaml|value as the CLI prints them, -c COLUMN (repeatable) for some columns.',
      );
      write(
        'In the browser: Tab completes commands and options; Esc then Tab (or Shift+Tab) leaves the terminal.',
      );
      write(
        'Not a shell: no pipes, quotes, substitutions or redirections; nothing else runs.',
      );
    },
  ),
  command(
    'server list',
    'Servers of the project, or of every project with --all-projects.',
    {
      options: [{ name: 'all-projects' }],
      schema: { 'all-projects': z.literal(true).optional() },
    },
    async (args, { session }) => {
      const [servers, images] = await Promise.all([
        // 2.47: a server carries its flavor's name.
        session.compute.servers({
          all_tenants: args['all-projects'] === true,
          microversion: '2.47',
        }),
        session.image.images(),
      ]);
      // As the CLI: an image it cannot read is shown by id.
      const imageNames = new Map(
        (images.ok ? images.data : []).map(i => [i.id, i.name ?? '']),
      );
      return list(
        ['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor'],
        must(servers, 'Listing servers').map(s => [
          s.id,
          s.name,
          s.status,
          networksCell(s.addresses ?? {}),
          typeof s.image === 'object'
            ? imageNames.get(s.image.id) ?? s.image.id
            : 'N/A (booted from volume)',
          s.flavor.original_name ?? s.flavor.id ?? '',
        ]),
      );
    },
  ),
  command(
    'volume list',
    'Cinder volumes, of every project with --all-projects.',
    {
      options: [{ name: 'all-projects' }],
      schema: { 'all-projects': z.literal(true).optional() },
    },
    async (args, { session }) => {
      const all = args['all-projects'] === true;
      if (all) {
        // Cinder does not refuse it: it ignores all_tenants for a non-admin, and lists the
        // token's project only, which would read as "no other project has volumes".
        const token = mustLookup(await session.token(), 'Reading the token');
        if (!token.roles.some(r => r.name === 'admin')) {
          throw new ConsoleError(
            `Listing every project's volumes: ${LACKS_THE_RIGHT} (Cinder gives it to admins only; the account holds ${
              listedRoles(token.roles) || 'no role'
            }${
              token.project ? ` on project ${token.project.name}` : ''
            }, and Cinder would list that project's volumes alone)`,
          );
        }
      }
      const volumes = must(
        await listVolumes(session.blockStorage.client, { all_tenants: all }),
        'Listing volumes',
      );
      // Attachments name their server, as the CLI does when it can read it.
      const attached = volumes.some(v => (v.attachments ?? []).length > 0);
      const servers = attached
        ? await session.compute.servers({ all_tenants: all })
        : undefined;
      const serverNames = new Map(
        (servers?.ok ? servers.data : []).map(s => [s.id, s.name]),
      );
      return list(
        ['ID', 'Name', 'Status', 'Size', 'Attached to'],
        volumes.map(v => [
          v.id,
          v.name ?? '',
          v.status,
          v.size,
          new Formatted(
            (v.attachments ?? [])
              .map(
                a =>
                  `Attached to ${
                    serverNames.get(a.server_id) ?? a.server_id
                  } on ${a.device ?? ''} `,
              )
              .join(''),
            v.attachments ?? [],
          ),
        ]),
      );
    },
  ),
  command('router list', 'Neutron routers.', {}, async (_a, { session }) => {
    const routers = must(
      await listRouters(session.network.client),
      'Listing routers',
    );
    // Distributed and HA show when Neutron tells them (to admins), as the CLI does.
    const distributed = routers.some(
      r => r.distributed !== undefined && r.distributed !== null,
    );
    const ha = routers.some(r => r.ha !== undefined && r.ha !== null);
    return list(
      [
        'ID',
        'Name',
        'Status',
        'State',
        'Project',
        ...(distributed ? ['Distributed'] : []),
        ...(ha ? ['HA'] : []),
      ],
      routers.map(r => [
        r.id,
        r.name,
        r.status,
        new Formatted(
          r.admin_state_up === false ? 'DOWN' : 'UP',
          r.admin_state_up ?? true,
        ),
        r.project_id,
        ...(distributed ? [r.distributed] : []),
        ...(ha ? [r.ha] : []),
      ]),
    );
  }),
  command('floating ip list', 'Floating IPs.', {}, async (_a, { session }) => {
    const ips = must(
      await listFloatingIps(session.network.client),
      'Listing floating IPs',
    );
    return list(
      [
        'ID',
        'Floating IP Address',
        'Fixed IP Address',
        'Port',
        'Floating Network',
        'Project',
      ],
      ips.map(ip => [
        ip.id,
        ip.floating_ip_address,
        ip.fixed_ip_address ?? null,
        ip.port_id ?? null,
        ip.floating_network_id ?? '',
        ip.project_id,
      ]),
    );
  }),
  command(
    'quota show',
    "A project's compute, volume and network quotas (the token's project without PROJECT).",
    {
      optionalPositionals: ['PROJECT'],
      schema: { PROJECT: nameSchema.optional() },
    },
    async (args, { session }) => {
      const project = await projectOf(
        session,
        args.PROJECT as string | undefined,
      );
      const [compute, volume, network] = await Promise.all([
        getComputeQuotaSet(session.compute.client, project.id),
        getBlockStorageQuotaSet(session.blockStorage.client, project.id),
        getNetworkQuota(session.network.client, project.id),
      ]);
      const info: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(
        must(compute, 'Reading compute quotas'),
      )) {
        info[QUOTA_NAMES[key] ?? key] = value;
      }
      for (const [key, value] of Object.entries(
        must(volume, 'Reading volume quotas'),
      )) {
        info[QUOTA_NAMES[key] ?? key] = value.limit;
      }
      // Neutron's win where Nova has the same (floating IPs, security groups), as in the CLI.
      for (const [key, value] of Object.entries(
        must(network, 'Reading network quotas'),
      )) {
        info[NETWORK_QUOTA_NAMES[key] ?? key] = value;
      }
      info.project = project.id;
      info.project_name = project.name;
      return { kind: 'show', fields: fieldsOf(info) };
    },
  ),
  command(
    'limits show',
    "Absolute limits of the token's project and what it uses (Nova, then Cinder).",
    {
      options: [{ name: 'absolute', required: true }],
      schema: { absolute: z.literal(true) },
    },
    async (_a, { session }) => {
      const [compute, volume] = await Promise.all([
        getComputeLimits(session.compute.client),
        getBlockStorageLimits(session.blockStorage.client),
      ]);
      return list(
        ['Name', 'Value'],
        [
          ...Object.entries(must(compute, 'Reading compute limits')),
          ...Object.entries(must(volume, 'Reading volume limits')),
        ],
      );
    },
  ),
  command(
    'usage show',
    "A project's Nova usage over the last 4 weeks (the token's project without --project).",
    {
      options: [{ name: 'project', metavar: 'PROJECT' }],
      schema: { project: nameSchema.optional() },
    },
    async (args, { session }, write) => {
      const project = await projectOf(
        session,
        args.project as string | undefined,
      );
      const now = new Date();
      const start = new Date(now.getTime() - 28 * DAY);
      const end = new Date(now.getTime() + DAY);
      const usage = must(
        await getTenantUsage(session.compute.client, project.id, {
          start,
          end,
        }),
        'Reading usage',
      );
      if (!args.format || args.format === 'table') {
        write(
          `Usage from ${day(start)} to ${day(end)} on project ${project.id}: `,
        );
      }
      return {
        kind: 'show',
        fields: [
          ['Project', project.id],
          ['Servers', usage?.server_usages?.length ?? 0],
          ['RAM MB-Hours', hours(usage?.total_memory_mb_usage)],
          ['CPU Hours', hours(usage?.total_vcpus_usage)],
          ['Disk GB-Hours', hours(usage?.total_local_gb_usage)],
        ],
      };
    },
  ),
  command(
    'role assignment list',
    'Role assignments (of a --user or on a --project); --names shows names, not ids.',
    {
      options: [
        { name: 'names' },
        { name: 'user', metavar: 'USER' },
        { name: 'project', metavar: 'PROJECT' },
      ],
      schema: {
        names: z.literal(true).optional(),
        user: nameSchema.optional(),
        project: nameSchema.optional(),
      },
    },
    async (args, { session }) => {
      const names = args.names === true;
      const filters: RoleAssignmentFilters = { include_names: names };
      if (args.user) {
        filters['user.id'] = (await userOf(session, args.user as string)).id;
      }
      if (args.project) {
        filters['scope.project.id'] = (
          await projectOf(session, args.project as string)
        ).id;
      }
      const assignments = must(
        await session.identity.roleAssignments(filters),
        'Listing role assignments',
      );
      const domainText = (d: { id: string; name?: string }) =>
        names ? d.name ?? '' : d.id;
      const named = (
        x:
          | { id: string; name?: string; domain?: { name?: string } }
          | undefined,
      ) => {
        if (!x) return '';
        return names ? `${x.name}@${x.domain?.name ?? ''}` : x.id;
      };
      return list(
        ['Role', 'User', 'Group', 'Project', 'Domain', 'System', 'Inherited'],
        assignments.map(a => {
          const { scope } = a;
          return [
            names ? a.role.name ?? a.role.id : a.role.id,
            named(a.user),
            a.user ? '' : named(a.group),
            scope.project ? named(scope.project) : '',
            !scope.project && scope.domain ? domainText(scope.domain) : '',
            !scope.project && !scope.domain && scope.system ? 'all' : '',
            scope['OS-INHERIT:inherited_to'] === 'projects',
          ];
        }),
      );
    },
  ),
  command('domain list', 'Keystone domains.', {}, async (_a, { session }) => {
    const domains = must(await session.identity.domains(), 'Listing domains');
    return list(
      ['ID', 'Name', 'Enabled', 'Description'],
      domains.map(d => [d.id, d.name, d.enabled, d.description ?? '']),
    );
  }),
  command(
    'user list',
    'Users, of one domain (name or id) with --domain.',
    {
      options: [{ name: 'domain', metavar: 'DOMAIN' }],
      schema: { domain: nameSchema.optional() },
    },
    async (args, { session }) => {
      let domainId: string | undefined;
      if (args.domain) {
        const wanted = args.domain as string;
        const domains = must(
          await session.identity.domains(),
          'Listing domains',
        );
        const domain =
          domains.find(d => d.id === wanted) ??
          domains.find(d => d.name === wanted);
        if (!domain) {
          throw new ConsoleError(
            `No domain with a name or ID of '${wanted}' exists.`,
          );
        }
        domainId = domain.id;
      }
      const users = must(
        await session.identity.users(domainId ? { domain_id: domainId } : {}),
        'Listing users',
      );
      return list(
        ['ID', 'Name'],
        users.map(u => [u.id, u.name]),
      );
    },
  ),
  command(
    'user show',
    'One user, by id or name.',
    { positionals: ['USER'], schema: { USER: required } },
    async (args, { session }) => {
      const wanted = args.USER as string;
      const byId = await session.identity.user(wanted);
      if (byId.ok) return { kind: 'show', fields: fieldsOf(byId.data) };
      if (!notFound(byId.error)) must(byId, `Reading user ${wanted}`);
      const byName = must(
        await session.identity.users({ name: wanted }),
        'Listing users',
      );
      if (byName.length === 0) {
        throw new ConsoleError(
          `No user with a name or ID of '${wanted}' exists.`,
        );
      }
      if (byName.length > 1) {
        throw new ConsoleError(
          `More than one user is named '${wanted}': give the ID (${byName
            .map(u => u.id)
            .join(', ')}).`,
        );
      }
      return { kind: 'show', fields: fieldsOf(byName[0]) };
    },
  ),
  command('project list', 'Projects.', {}, async (_a, { session }) => {
    const projects = must(
      await session.identity.projects(),
      'Listing projects',
    );
    return list(
      ['ID', 'Name'],
      projects.map(p => [p.id, p.name]),
    );
  }),
  command(
    'server show',
    'One server by id; -c properties shows its metadata.',
    { positionals: ['SERVER'], schema: { SERVER: required } },
    async (args, { session }) => {
      const wanted = args.SERVER as string;
      const result = await getServer(session.compute.client, wanted);
      if (!result.ok && notFound(result.error)) {
        throw new ConsoleError(`No server with an ID of '${wanted}' exists.`);
      }
      const server = must(result, `Reading server ${wanted}`);
      return { kind: 'show', fields: serverFields(server) };
    },
  ),
  command(
    'identity provider list',
    'Federated identity providers.',
    {},
    async (_a, { session }) => {
      const idps = must(
        await session.identity.identityProviders(),
        'Listing identity providers',
      );
      return list(
        ['ID', 'Enabled', 'Domain ID', 'Description'],
        idps.map(i => [i.id, i.enabled, i.domain_id, i.description ?? '']),
      );
    },
  ),
  command(
    'identity provider show',
    'One identity provider.',
    { positionals: ['IDP'], schema: { IDP: required } },
    async (args, { session }) => {
      const id = args.IDP as string;
      const idp = await session.identity.identityProvider(id);
      if (!idp.ok && notFound(idp.error)) {
        throw new ConsoleError(`No identity provider '${id}' exists.`);
      }
      return {
        kind: 'show',
        fields: fieldsOf(must(idp, `Reading identity provider ${id}`)),
      };
    },
  ),
  command(
    'federation protocol list',
    'Protocols of an identity provider.',
    {
      options: [{ name: 'identity-provider', metavar: 'IDP', required: true }],
      schema: { 'identity-provider': required },
    },
    async (args, { session }) => {
      const idp = args['identity-provider'] as string;
      const protocols = await session.identity.protocols(idp);
      if (!protocols.ok && notFound(protocols.error)) {
        throw new ConsoleError(`No identity provider '${idp}' exists.`);
      }
      return list(
        ['id', 'mapping'],
        must(protocols, `Listing protocols of ${idp}`).map(p => [
          p.id,
          p.mapping_id,
        ]),
      );
    },
  ),
  command(
    'mapping list',
    'Federation mappings.',
    {},
    async (_a, { session }) => {
      const mappings = must(
        await session.identity.mappings(),
        'Listing mappings',
      );
      return list(
        ['ID'],
        mappings.map(m => [m.id]),
      );
    },
  ),
  command(
    'mapping show',
    'One mapping with its rules.',
    { positionals: ['MAPPING'], schema: { MAPPING: required } },
    async (args, { session }) => {
      const id = args.MAPPING as string;
      const mapping = await session.identity.mapping(id);
      if (!mapping.ok && notFound(mapping.error)) {
        throw new ConsoleError(`No mapping '${id}' exists.`);
      }
      return {
        kind: 'show',
        fields: fieldsOf(must(mapping, `Reading mapping ${id}`)),
      };
    },
  ),
  command(
    'catalog list',
    "The token's service catalog.",
    {},
    async (_a, { session }) => {
      const catalog = mustLookup(
        await session.catalog(),
        'Reading the catalog',
      );
      return list(
        ['Name', 'Type', 'Endpoints'],
        catalog.map(service => [
          service.name ?? '',
          service.type,
          service.endpoints
            .map(
              e =>
                `${e.region_id ?? e.region ?? ''}\n  ${e.interface}: ${e.url}`,
            )
            .join('\n'),
        ]),
      );
    },
  ),
  command(
    'endpoint list',
    'Endpoints as Keystone records them.',
    {},
    async (_a, { session }) => {
      const [endpoints, services] = await Promise.all([
        listKeystoneEndpoints(session.identity.client),
        listKeystoneServices(session.identity.client),
      ]);
      const byId = new Map(
        must(services, 'Listing services').map(s => [s.id, s]),
      );
      return list(
        [
          'ID',
          'Region',
          'Service Name',
          'Service Type',
          'Enabled',
          'Interface',
          'URL',
        ],
        must(endpoints, 'Listing endpoints').map(e => [
          e.id,
          e.region_id ?? e.region ?? '',
          byId.get(e.service_id)?.name ?? '',
          byId.get(e.service_id)?.type ?? '',
          e.enabled ?? true,
          e.interface,
          e.url,
        ]),
      );
    },
  ),
  command('region list', 'Regions.', {}, async (_a, { session }) => {
    const regions = must(
      await listRegions(session.identity.client),
      'Listing regions',
    );
    return list(
      ['Region', 'Parent Region', 'Description'],
      regions.map(r => [r.id, r.parent_region_id ?? '', r.description ?? '']),
    );
  }),
  command('flavor list', 'Nova flavors.', {}, async (_a, { session }) => {
    const flavors = must(await session.compute.flavors(), 'Listing flavors');
    return list(
      ['ID', 'Name', 'RAM', 'Disk', 'Ephemeral', 'VCPUs', 'Is Public'],
      flavors.map(f => [
        f.id,
        f.name,
        f.ram,
        f.disk,
        f['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
        f.vcpus,
        f['os-flavor-access:is_public'] ?? true,
      ]),
    );
  }),
  command('image list', 'Glance images.', {}, async (_a, { session }) => {
    const images = must(await session.image.images(), 'Listing images');
    return list(
      ['ID', 'Name', 'Status'],
      images.map(i => [i.id, i.name ?? '', i.status]),
    );
  }),
  command('network list', 'Neutron networks.', {}, async (_a, { session }) => {
    const networks = must(
      await listNetworks(session.network.client),
      'Listing networks',
    );
    return list(
      ['ID', 'Name', 'Subnets'],
      networks.map(n => [n.id, n.name ?? '', n.subnets ?? []]),
    );
  }),
  command(
    'versions show',
    "API versions of every public endpoint of the site's region.",
    {},
    async (_a, { session, site }) => {
      const catalog = mustLookup(
        await session.catalog(),
        'Reading the catalog',
      );
      const endpoints = listEndpoints(catalog, {
        interface: 'public',
        region: site.region,
      });
      const rows = await Promise.all(
        endpoints.map(async endpoint => {
          const versions = await listRootVersions(
            session.service(endpoint.type, { region: endpoint.region }),
          );
          if (!versions.ok) {
            return [
              [
                endpoint.region ?? '',
                endpoint.type,
                '',
                describeError(versions.error),
                endpoint.url,
                '',
                '',
              ],
            ];
          }
          return versions.data.map(v => [
            endpoint.region ?? '',
            endpoint.type,
            v.id.replace(/^v/, ''),
            v.status.toUpperCase(),
            v.links?.find(l => l.rel === 'self')?.href ?? endpoint.url,
            v.min_version || null,
            v.version || null,
          ]);
        }),
      );
      return list(
        [
          'Region Name',
          'Service Type',
          'Version',
          'Status',
          'Endpoint',
          'Min Microversion',
          'Max Microversion',
        ],
        rows.flat(),
      );
    },
  ),
  command(
    'scan',
    'Scans this site now (its profiles), one line per finished check, then the score.',
    { output: false },
    async (_a, context, write) => {
      const setup = scanSetup(context, 'scan');
      let done = 0;
      const total = checksCount(setup);
      write(`Scanning ${context.site.name} for ${setup.profiles.join(', ')}…`);
      const onCheck = (check: FinishedCheck) => {
        done += 1;
        write(checkLine(check, [done, total], context.terminal?.colour));
      };
      const report = setup.runScan
        ? await setup.runScan(onCheck, context.signal)
        : await scanSite({
            site: context.site,
            sessions: setup.sessions,
            profiles: setup.profiles,
            profileSettings: setup.profileSettings,
            catalogue: setup.catalogue,
            settings: setup.settings,
            sources: setup.sources,
            signal: context.signal,
            onProgress: progress => {
              if (progress.phase === 'finished' && progress.result)
                onCheck(progress.result);
            },
          }).then(scanned => ({
            ...scanned,
            checks: scanned.results.length,
            scanId: undefined,
            joined: false,
          }));
      for (const line of renderTable(
        ['Profile', 'Score', 'Ready', 'Blocking', 'Not evaluated'],
        report.profiles.map(p => [
          p.profileId,
          p.score === null ? 'n/a' : `${p.score}%`,
          READINESS_WORDS[p.readiness],
          p.blocking.join('\n'),
          // Left out of the score; critical/major ones keep the site from READY.
          p.notEvaluated
            .map(c => `${c.checkId} (${c.severity}): ${c.reason}`)
            .join('\n'),
        ]),
        // Reasons are sentences: wrapped, so the table fits the terminal.
        { maxCellWidth: 60 },
      )) {
        write(line);
      }
      let stored = 'Not saved to the scan history (use "Scan now" for that).';
      if (report.scanId)
        stored = report.joined
          ? `Joined scan ${report.scanId}, which was already running; saved to the scan history.`
          : `Saved to the scan history as scan ${report.scanId}.`;
      write(
        `${report.checks} checks in ${(report.durationMs / 1000).toFixed(
          1,
        )} s, ${report.requests} requests. ${stored}`,
      );
    },
  ),
  command(
    'check',
    'Runs one check (and the checks it needs), with its evidence.',
    {
      positionals: ['CHECK'],
      schema: {
        // Whether it is a check is the site's catalogue's say (modules add checks).
        CHECK: checkIdSchema,
      },
      output: false,
    },
    async (args, context, write) => {
      const setup = scanSetup(context, 'check');
      const id = args.CHECK as string;
      const catalogue = setup.catalogue ?? ComplianceCatalogue.builtIn();
      if (!catalogue.check(id)) {
        throw new ConsoleRefusal(
          `${id} is not a check; checks: ${catalogue.checks
            .map(c => c.metadata.id)
            .join(', ')}`,
        );
      }
      const report = await scanSite({
        site: context.site,
        sessions: setup.sessions,
        profiles: [],
        profileSettings: setup.profileSettings,
        catalogue,
        settings: setup.settings,
        sources: setup.sources,
        onlyChecks: [id],
        signal: context.signal,
        onProgress: progress => {
          if (
            progress.phase === 'finished' &&
            progress.result &&
            progress.checkId !== id
          ) {
            write(
              `${checkLine(
                progress.result,
                undefined,
                context.terminal?.colour,
              )} (needed first)`,
            );
          }
        },
      });
      const result = report.results.find(r => r.checkId === id)!;
      for (const line of renderTable(
        ['Field', 'Value'],
        [
          ['check', result.checkId],
          ['title', result.title],
          ['status', result.status],
          ['severity', result.severity],
          ['message', result.message],
          ['remediation', result.remediation],
          ['docs', result.docsUrl],
          ['duration', `${result.durationMs} ms`],
        ],
        { maxCellWidth: SHOW_VALUE_WIDTH },
      )) {
        write(line);
      }
      write(`Evidence: ${result.evidence.length} request(s)`);
      for (const e of result.evidence) {
        const outcome =
          e.status !== undefined ? `HTTP ${e.status}` : e.error ?? 'no answer';
        write(`  ${e.method} ${e.url} → ${outcome} (${e.durationMs} ms)`);
      }
    },
  ),
];

function listedRoles(roles: Array<{ name: string }>): string {
  return roles
    .map(r => r.name)
    .sort()
    .join(', ');
}

/** A project by id or name; without one, the token's project. */
async function projectOf(
  session: OpenStackSession,
  wanted: string | undefined,
): Promise<{ id: string; name: string }> {
  if (!wanted) {
    const token = mustLookup(await session.token(), 'Reading the token');
    if (!token.project) {
      throw new ConsoleError('The reader account has no project scope.');
    }
    return { id: token.project.id, name: token.project.name ?? '' };
  }
  const byId = await session.identity.project(wanted);
  if (byId.ok) return byId.data;
  if (!notFound(byId.error)) must(byId, `Reading project ${wanted}`);
  const byName = must(
    await session.identity.projects({ name: wanted }),
    'Listing projects',
  );
  if (byName.length !== 1) {
    throw new ConsoleError(
      byName.length === 0
        ? `No project with a name or ID of '${wanted}' exists.`
        : `More than one project is named '${wanted}': give the ID.`,
    );
  }
  return byName[0];
}

/** A user by id or name. */
async function userOf(
  session: OpenStackSession,
  wanted: string,
): Promise<{ id: string; name: string }> {
  const byId = await session.identity.user(wanted);
  if (byId.ok) return byId.data;
  if (!notFound(byId.error)) must(byId, `Reading user ${wanted}`);
  const byName = must(
    await session.identity.users({ name: wanted }),
    'Listing users',
  );
  if (byName.length !== 1) {
    throw new ConsoleError(
      byName.length === 0
        ? `No user with a name or ID of '${wanted}' exists.`
        : `More than one user is named '${wanted}': give the ID.`,
    );
  }
  return byName[0];
}

function checksCount(setup: ConsoleScanSetup): number {
  return (setup.catalogue ?? ComplianceCatalogue.builtIn()).checksFor(
    setup.profiles,
    setup.profileSettings,
  ).length;
}

// The server's fields as `openstack server show` names them.
function serverFields(server: Record<string, unknown>) {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(server)) {
    if (key === 'links') continue;
    if (key === 'metadata') shown.properties = value;
    else if (key === 'tenant_id') shown.project_id = value;
    else if (key === 'flavor') shown.flavor = flavorText(value);
    else if (key === 'image') shown.image = imageText(value);
    else if (key === 'addresses') shown.addresses = addressesText(value);
    else if (key === 'security_groups' && Array.isArray(value)) {
      shown.security_groups = value
        .map(g => (g as { name?: string }).name)
        .join(', ');
    } else shown[key] = value;
  }
  return fieldsOf(shown);
}

function flavorText(flavor: unknown): string {
  const f = flavor as {
    id?: string;
    original_name?: string;
    vcpus?: number;
    ram?: number;
    disk?: number;
  };
  if (f?.original_name) {
    return `${f.original_name} (vcpus='${f.vcpus}', ram='${f.ram}', disk='${f.disk}')`;
  }
  return f?.id ?? '';
}

function imageText(image: unknown): string {
  if (typeof image === 'string' || !image) {
    return 'N/A (booted from volume)';
  }
  return (image as { id: string }).id;
}

function addressesText(addresses: unknown): string {
  if (!addresses || typeof addresses !== 'object') return '';
  return Object.entries(addresses as Record<string, Array<{ addr?: string }>>)
    .map(([net, ips]) => `${net}=${ips.map(ip => ip.addr).join(', ')}`)
    .join('; ');
}

/**
 * The columns `-c` (`--column`) takes, by command, for the browser's Tab: each list's columns as
 * it prints them, and the fields of the shows whose fields are fixed. Shows of a resource's own
 * fields (`server show`, `user show`, …) and `quota show` are left out: their fields are the
 * API's. `console.integration.test.ts` runs every command on the sandbox and compares.
 */
export const COMMAND_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'server list': ['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor'],
  'volume list': ['ID', 'Name', 'Status', 'Size', 'Attached to'],
  // Distributed and HA only when Neutron tells them (to admins).
  'router list': [
    'ID',
    'Name',
    'Status',
    'State',
    'Project',
    'Distributed',
    'HA',
  ],
  'floating ip list': [
    'ID',
    'Floating IP Address',
    'Fixed IP Address',
    'Port',
    'Floating Network',
    'Project',
  ],
  'limits show': ['Name', 'Value'],
  'usage show': [
    'Project',
    'Servers',
    'RAM MB-Hours',
    'CPU Hours',
    'Disk GB-Hours',
  ],
  'role assignment list': [
    'Role',
    'User',
    'Group',
    'Project',
    'Domain',
    'System',
    'Inherited',
  ],
  'domain list': ['ID', 'Name', 'Enabled', 'Description'],
  'user list': ['ID', 'Name'],
  'project list': ['ID', 'Name'],
  'identity provider list': ['ID', 'Enabled', 'Domain ID', 'Description'],
  'federation protocol list': ['id', 'mapping'],
  'mapping list': ['ID'],
  'catalog list': ['Name', 'Type', 'Endpoints'],
  'endpoint list': [
    'ID',
    'Region',
    'Service Name',
    'Service Type',
    'Enabled',
    'Interface',
    'URL',
  ],
  'region list': ['Region', 'Parent Region', 'Description'],
  'flavor list': [
    'ID',
    'Name',
    'RAM',
    'Disk',
    'Ephemeral',
    'VCPUs',
    'Is Public',
  ],
  'image list': ['ID', 'Name', 'Status'],
  'network list': ['ID', 'Name', 'Subnets'],
  'versions show': [
    'Region Name',
    'Service Type',
    'Version',
    'Status',
    'Endpoint',
    'Min Microversion',
    'Max Microversion',
  ],
};

/** A column as typed: quotes are refused, so a space is `_` (`-c Attached_to`; `-c` takes it). */
export const typedColumn = (column: string): string =>
  column.replace(/ /g, '_');

/**
 * The command table's grammar, as the browser's terminal completes with it (the backend serves
 * it at `GET /console/commands`): words, positionals and options (`-c` with the command's
 * columns), without how they run.
 */
export function consoleGrammar() {
  return COMMANDS.map(c => ({
    words: [...c.words],
    positionals: [...c.positionals],
    optionalPositionals: [...(c.optionalPositionals ?? [])],
    options: c.options.map(o => ({
      name: o.name,
      ...(o.short ? { short: o.short } : {}),
      ...(o.metavar ? { metavar: o.metavar } : {}),
      ...(o.repeatable ? { repeatable: true } : {}),
      ...(o.required ? { required: true } : {}),
      ...(o.values ? { values: [...o.values] } : {}),
      // `-c`'s values are the command's columns: Tab completes them as `-f`'s.
      ...(o === COLUMN && COMMAND_COLUMNS[c.words.join(' ')]
        ? { values: COMMAND_COLUMNS[c.words.join(' ')].map(typedColumn) }
        : {}),
    })),
    summary: c.summary,
  }));
}
