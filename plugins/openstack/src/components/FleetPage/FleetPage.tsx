import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_PROFILE_IDS,
  ListSitesResponse,
  ProfileInfo,
  SiteSummary,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles, Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useSearchParams } from 'react-router-dom';
import { openstackApiRef } from '../../api';
import {
  describeChanges,
  ErrorText,
  errorTextColor,
  notEvaluatedReasons,
  notEvaluatedSummary,
  NotScannedLabel,
  ReadinessLabel,
  relativeTime,
  ScoreChip,
  scanTime,
} from '../ScoreDisplay';
import { downloadFile, fleetCsv, fleetJson } from './fleetExport';
import { FleetTable, FleetTableColumn, FleetTableSort } from './FleetTable';
import { Prefetched } from './prefetch';
import { FleetWaivers } from '../Waivers';
import { FleetRollup, RollupBy } from '../FleetRollup';
import { readinessTitles, SiteReadiness, siteReadiness } from './siteReadiness';

/** The `group` URL value of the sites that name no owner or NGI. */
const NO_GROUP = '-';

/** One table row; the string fields are what the table's search and sort read. */
interface FleetRow {
  id: string;
  /** The site's OpenStack tab (its scorecard); resolved when its row is drawn, not for all 1000 sites. */
  href: () => string;
  site: SiteSummary;
  name: string;
  keystone?: string;
  region?: string;
  lastScan: string;
  changes?: string;
  problems?: string;
}

function toRow(site: SiteSummary, href: () => string): FleetRow {
  const scan = site.latestScan;
  return {
    id: site.entityRef,
    href,
    site,
    name: site.title ?? site.name,
    keystone: site.keystoneUrl,
    region: site.region,
    lastScan: scan ? scanTime(scan) : '',
    changes: (scan && describeChanges(scan.changes)) || undefined,
    problems:
      [
        ...site.problems,
        ...(scan?.error ? [`Scan failed: ${scan.error}`] : []),
      ].join('; ') || undefined,
  };
}

function scoreOf(row: FleetRow, profileId: string): number {
  const profile = row.site.latestScan?.profiles.find(
    p => p.profileId === profileId,
  );
  return profile?.score ?? -1;
}

// Static classes rather than Box: a page of the table draws a hundred of these cells.
const useCellStyles = makeStyles(theme => ({
  profile: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: 4,
  },
  notEvaluated: {
    ...theme.typography.caption,
    color: theme.palette.text.secondary,
  },
  blocking: {
    ...theme.typography.caption,
    color: errorTextColor(theme),
    fontFamily: 'monospace',
  },
  more: {
    '& > summary': {
      cursor: 'pointer',
      fontFamily: theme.typography.fontFamily,
    },
  },
}));

/**
 * What keeps the site from ready, without opening its page: every blocking check, or on a phone
 * (where the column is narrow and each would take a line) the first and "+N more" to open.
 */
const BlockingChecks = (props: {
  blocking: readonly string[];
  compact: boolean;
}) => {
  const classes = useCellStyles();
  const { blocking, compact } = props;
  if (!compact || blocking.length === 1) {
    return (
      <span className={classes.blocking} title="Blocking checks">
        {blocking.join(', ')}
      </span>
    );
  }
  const [first, ...rest] = blocking;
  return (
    <div className={classes.blocking} title="Blocking checks">
      {first}
      <details className={classes.more}>
        <summary aria-label={`+${rest.length} more blocking checks`}>
          +{rest.length} more
        </summary>
        {rest.join(', ')}
      </details>
    </div>
  );
};

/** What a profile cell says in words, for the table's search: readiness and the checks named. */
function profileText(site: SiteSummary, profileId: string): string {
  const profile = site.latestScan?.profiles.find(
    p => p.profileId === profileId,
  );
  if (!profile) return '';
  return [
    profile.readiness,
    ...profile.blocking,
    ...profile.notEvaluated.map(check => check.checkId),
  ].join(' ');
}

const ProfileCell = (props: {
  site: SiteSummary;
  profileId: string;
  compact: boolean;
}) => {
  const classes = useCellStyles();
  const { site, profileId, compact } = props;
  if (!site.profiles.includes(profileId)) {
    return <>—</>;
  }
  const profile = site.latestScan?.profiles.find(
    p => p.profileId === profileId,
  );
  if (!profile) {
    return site.problems.length > 0 ? <>—</> : <NotScannedLabel />;
  }
  return (
    <div className={classes.profile}>
      <ScoreChip score={profile.score} />
      <ReadinessLabel readiness={profile.readiness} />
      {profile.blocking.length > 0 && (
        <BlockingChecks blocking={profile.blocking} compact={compact} />
      )}
      {profile.notEvaluated.length > 0 && (
        // The reasons on hover: a native title costs nothing on a page of a hundred cells.
        <span
          className={classes.notEvaluated}
          title={notEvaluatedReasons(profile)}
        >
          {notEvaluatedSummary(profile)}
        </span>
      )}
    </div>
  );
};

/**
 * The table's columns: one per profile shown (built in, or added by the backend's modules).
 * Made again only when those change, or the screen turns narrow or wide (`compact`: a phone's):
 * the table's rows re-render when the columns change identity.
 */
function fleetColumns(
  profiles: readonly ShownProfile[],
  compact: boolean,
): FleetTableColumn<FleetRow>[] {
  return [
    {
      title: 'Site',
      text: row => row.name,
      highlight: true,
      // The Link EntityRefLink draws, its href resolved only for the rows shown.
      render: ({ href, name }) => <Link to={href()}>{name}</Link>,
    },
    { title: 'Keystone', text: row => row.keystone, emptyValue: '—' },
    { title: 'Region', text: row => row.region, emptyValue: '—' },
    ...profiles.map(
      ({ id: profileId }): FleetTableColumn<FleetRow> => ({
        // The id: sort links (`sort=<column>:asc`) name it, and it is what sites declare.
        title: profileId,
        // Searched by readiness and check id ("keystone.tls" finds the sites it blocks).
        text: row => profileText(row.site, profileId),
        compare: (a, b) => scoreOf(a, profileId) - scoreOf(b, profileId),
        render: ({ site }) => (
          <ProfileCell site={site} profileId={profileId} compact={compact} />
        ),
      }),
    ),
    {
      title: 'Last scan',
      text: row => row.lastScan,
      // ISO times: their text order is their time order.
      compare: (a, b) => {
        if (a.lastScan === b.lastScan) {
          return 0;
        }
        return a.lastScan < b.lastScan ? -1 : 1;
      },
      render: ({ site, lastScan }) => {
        if (!site.latestScan) {
          return 'never';
        }
        return (
          <span title={lastScan}>
            {site.latestScan.status === 'running'
              ? `running since ${relativeTime(site.latestScan.startedAt)}`
              : relativeTime(lastScan)}
          </span>
        );
      },
    },
    {
      title: 'Changes since previous scan',
      text: row => row.changes,
      emptyValue: '—',
    },
    {
      title: 'Problems',
      text: row => row.problems,
      render: ({ problems }) =>
        problems ? <ErrorText variant="body2">{problems}</ErrorText> : '—',
    },
  ];
}
const fleetRowKey = (row: FleetRow) => row.id;

function sortFromParam(
  param: string | null,
  columns: readonly FleetTableColumn<FleetRow>[],
): FleetTableSort {
  const match = /^(.*):(asc|desc)$/.exec(param ?? '');
  const column = match
    ? columns.findIndex(candidate => candidate.title === match[1])
    : -1;
  return column >= 0 && match
    ? { column, direction: match[2] as 'asc' | 'desc' }
    : // The latest scans first.
      {
        column: columns.findIndex(candidate => candidate.title === 'Last scan'),
        direction: 'desc',
      };
}

interface ShownProfile {
  id: string;
  title: string;
}

/**
 * The profiles the page shows: those the backend defines, in its order, that some site declares,
 * then any a site declares that the backend does not know (its scans say so). Without the
 * backend's list (an older backend), the built-in ones.
 */
function shownProfiles(
  sites: readonly SiteSummary[],
  defined: readonly ProfileInfo[] | undefined,
): { columns: ShownProfile[]; choices: ShownProfile[] } {
  const choices: ShownProfile[] =
    defined?.map(({ id, title }) => ({ id, title })) ??
    BUILT_IN_PROFILE_IDS.map(id => ({ id, title: id }));
  const declared = new Set(sites.flatMap(site => site.profiles));
  const known = new Set(choices.map(profile => profile.id));
  const unknown = [...declared]
    .filter(id => !known.has(id))
    .sort()
    .map(id => ({ id, title: `${id} (not defined by the backend)` }));
  return {
    columns: [
      ...choices.filter(profile => declared.has(profile.id)),
      ...unknown,
    ],
    choices: [...choices, ...unknown],
  };
}

type ReadinessFilter = 'any' | SiteReadiness;
const readinessFilters: ReadinessFilter[] = [
  'any',
  'ready',
  'not-ready',
  'not-evaluated',
  'not-scanned',
  'misconfigured',
];

/** The fleet overview: every OpenStack site, its scores and what changed, from one `/sites` call. */
// The outlined label's default grey is too faint on Backstage's page background (axe).
const useStyles = makeStyles(theme => ({
  filterLabel: { color: theme.palette.text.primary },
}));

const RESULT_FORMATS = {
  csv: 'CSV (one row per check)',
  json: 'JSON',
  junit: 'JUnit XML (one suite per site)',
} as const;

export const FleetPage = (props: {
  /** The `/sites` call the page's loader started, if any. */
  prefetchedSites?: Prefetched<ListSitesResponse>;
}) => {
  const { prefetchedSites } = props;
  const classes = useStyles();
  const openstackApi = useApi(openstackApiRef);
  const entityLink = useEntityRefLink();
  const sites = useAsync(
    () => prefetchedSites?.take() ?? openstackApi.listSites(),
    [openstackApi, prefetchedSites],
  );
  // Asked beside the sites; without it (an older backend) the built-in profiles are shown.
  const definedProfiles = useAsync(
    () =>
      Promise.resolve()
        .then(() => openstackApi.listProfiles())
        .catch(() => undefined),
    [openstackApi],
  );
  const profiles = useMemo(
    () => shownProfiles(sites.value?.items ?? [], definedProfiles.value?.items),
    [sites.value, definedProfiles.value],
  );
  const columnKey = profiles.columns.map(p => p.id).join(' ');
  // A phone's width: blocking checks shown compact (asked once here, not in every cell).
  const compact = useMediaQuery(
    (theme: Theme) => theme.breakpoints.down('xs'),
    {
      noSsr: true,
    },
  );
  const columns = useMemo(
    () => fleetColumns(profiles.columns, compact),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columnKey, compact],
  );
  // The choices live in the URL: a filtered, sorted fleet can be linked, bookmarked, reloaded.
  const [params, setParams] = useSearchParams();
  // Several at once in one update: a second update in the same event would start from the
  // parameters the page rendered with, undoing the first.
  const setParamValues = (values: Record<string, string | undefined>) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(values)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  const setParam = (name: string, value: string | undefined) =>
    setParamValues({ [name]: value });
  const profileParam = params.get('profile') ?? '';
  const profile: string = profiles.choices.some(p => p.id === profileParam)
    ? profileParam
    : 'any';
  const readinessParam = params.get('readiness') as ReadinessFilter | null;
  const readiness: ReadinessFilter =
    readinessParam && readinessFilters.includes(readinessParam)
      ? readinessParam
      : 'any';
  const setProfile = (value: string) =>
    setParam('profile', value === 'any' ? undefined : value);
  // The rollup's grouping, and the group it filters the table to ('' = sites naming none).
  const byParam = params.get('by');
  const by: RollupBy | undefined =
    byParam === 'owner' || byParam === 'ngi' ? byParam : undefined;
  const group = params.get('group') ?? undefined;
  const setGroup = (key: string | undefined) =>
    setParam('group', key === undefined ? undefined : key || NO_GROUP);
  const setReadiness = (value: ReadinessFilter) =>
    setParam('readiness', value === 'any' ? undefined : value);
  // `sort=<column title>:<asc|desc>`, by title: column positions are not for users.
  // Read when the table mounts (again when the profile columns change: it is keyed by them).
  const initialTableSort = sortFromParam(params.get('sort'), columns);
  const initialTableSearch = params.get('q') ?? '';

  const allRows = useMemo(
    () =>
      (sites.value?.items ?? [])
        .map(site =>
          toRow(site, () => `${entityLink(site.entityRef)}/openstack`),
        )
        .sort((a, b) => a.id.localeCompare(b.id)),
    [sites.value, entityLink],
  );
  const profileId = profile === 'any' ? undefined : profile;
  const rows = useMemo(
    () =>
      allRows.filter(
        row =>
          (profileId === undefined || row.site.profiles.includes(profileId)) &&
          (by === undefined ||
            group === undefined ||
            ((by === 'owner' ? row.site.owner : row.site.ngi) ?? '') ===
              (group === NO_GROUP ? '' : group)) &&
          (readiness === 'any' ||
            siteReadiness(row.site, profileId) === readiness),
      ),
    [allRows, profileId, readiness, by, group],
  );
  const tally = useMemo(() => {
    const counts = new Map<SiteReadiness, number>();
    for (const row of rows) {
      const state = siteReadiness(row.site, profileId);
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    return (Object.keys(readinessTitles) as SiteReadiness[])
      .filter(state => counts.has(state))
      .map(
        state => `${counts.get(state)} ${readinessTitles[state].toLowerCase()}`,
      )
      .join(', ');
  }, [rows, profileId]);

  const [exportMenu, setExportMenu] = useState<HTMLElement | null>(null);
  const [exportError, setExportError] = useState<Error | undefined>();
  // Every check of every site, made by the backend (`/export`): one row, or test case, per check.
  const exportResults = async (format: 'json' | 'csv' | 'junit') => {
    setExportMenu(null);
    setExportError(undefined);
    try {
      const file = await openstackApi.exportResults(format);
      downloadFile(file.filename, file.type, file.content);
    } catch (error) {
      setExportError(error as Error);
    }
  };

  const exportSites = (format: 'json' | 'csv') => {
    const shown = rows.map(row => row.site);
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === 'json') {
      downloadFile(
        `openstack-fleet-${stamp}.json`,
        'application/json',
        fleetJson(shown),
      );
    } else {
      downloadFile(
        `openstack-fleet-${stamp}.csv`,
        'text/csv',
        fleetCsv(
          shown,
          profiles.columns.map(p => p.id),
        ),
      );
    }
  };

  return (
    <Page themeId="tool">
      <Header
        title="OpenStack fleet"
        subtitle="Compliance of the federation's OpenStack sites"
      />
      <Content>
        <ContentHeader title="Sites">
          <Button
            variant="outlined"
            onClick={() => exportSites('json')}
            disabled={rows.length === 0}
          >
            Export JSON
          </Button>
          <Button
            variant="outlined"
            onClick={() => exportSites('csv')}
            disabled={rows.length === 0}
          >
            Export CSV
          </Button>
          <Button
            variant="outlined"
            aria-haspopup="menu"
            aria-controls="openstack-fleet-results-export"
            onClick={event => setExportMenu(event.currentTarget)}
            disabled={rows.length === 0}
          >
            Export check results
          </Button>
          <Menu
            id="openstack-fleet-results-export"
            anchorEl={exportMenu}
            open={Boolean(exportMenu)}
            onClose={() => setExportMenu(null)}
          >
            {(['csv', 'json', 'junit'] as const).map(format => (
              <MenuItem key={format} onClick={() => exportResults(format)}>
                {RESULT_FORMATS[format]}
              </MenuItem>
            ))}
          </Menu>
          <SupportButton>
            Every catalog Resource of type openstack-site: its score and
            readiness per profile from the latest scan, and what changed since
            the scan before. Checks that could not be evaluated (a source not
            configured, nothing declared to check) are left out of the score;
            when critical or major ones are, the site is incomplete, not ready.
            Exports JSON and CSV hold the sites the filters show; check results
            hold every check of every site's latest scan.
          </SupportButton>
        </ContentHeader>
        {exportError && (
          <Box mb={2}>
            <ResponseErrorPanel
              title="The check results could not be exported"
              error={exportError}
            />
          </Box>
        )}
        {/* Wrapping: on a phone the filters go on two lines rather than cutting their choices. */}
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <TextField
            select
            label="Profile"
            id="openstack-fleet-profile"
            variant="outlined"
            size="small"
            InputLabelProps={{ className: classes.filterLabel }}
            value={profile}
            onChange={event => setProfile(event.target.value)}
            SelectProps={{ native: true }}
          >
            <option value="any">All profiles</option>
            {profiles.choices.map(({ id, title }) => (
              <option key={id} value={id}>
                {title === id ? id : `${title} (${id})`}
              </option>
            ))}
          </TextField>
          <TextField
            select
            label="Group by"
            id="openstack-fleet-group-by"
            variant="outlined"
            size="small"
            InputLabelProps={{ className: classes.filterLabel }}
            value={by ?? 'none'}
            onChange={event => {
              const value = event.target.value;
              setParamValues({
                by: value === 'none' ? undefined : value,
                group: undefined,
              });
            }}
            SelectProps={{ native: true }}
          >
            <option value="none">Nothing</option>
            <option value="owner">Owner</option>
            <option value="ngi">NGI</option>
          </TextField>
          <TextField
            select
            label="Readiness"
            id="openstack-fleet-readiness"
            variant="outlined"
            size="small"
            InputLabelProps={{ className: classes.filterLabel }}
            value={readiness}
            onChange={event =>
              setReadiness(event.target.value as ReadinessFilter)
            }
            SelectProps={{ native: true }}
          >
            {readinessFilters.map(state => (
              <option key={state} value={state}>
                {state === 'any' ? 'Any' : readinessTitles[state]}
              </option>
            ))}
          </TextField>
        </Box>
        {sites.value && by && (
          <Box mb={2}>
            <FleetRollup
              by={by}
              profileIds={profiles.columns.map(p => p.id)}
              selected={group === NO_GROUP ? '' : group}
              onSelect={setGroup}
            />
          </Box>
        )}
        {sites.error ? (
          <ResponseErrorPanel error={sites.error} />
        ) : (
          <FleetTable<FleetRow>
            key={columnKey}
            title={`${rows.length} of ${allRows.length} sites`}
            subtitle={tally}
            loading={sites.loading || definedProfiles.loading}
            columns={columns}
            rows={rows}
            rowKey={fleetRowKey}
            initialSort={initialTableSort}
            initialSearch={initialTableSearch}
            onSearchChange={search => setParam('q', search || undefined)}
            onSortChange={sort =>
              setParam(
                'sort',
                `${columns[sort.column].title}:${sort.direction}`,
              )
            }
            initialPageSize={50}
            pageSizeOptions={[20, 50, 100, 500]}
          />
        )}
        {sites.value && (
          <Box mt={3}>
            <FleetWaivers />
          </Box>
        )}
      </Content>
    </Page>
  );
};
