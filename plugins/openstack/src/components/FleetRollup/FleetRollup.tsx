import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  ReadinessCounts,
  RollupGroup,
  RollupResponse,
  toCsv,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';
import { downloadFile } from '../FleetPage/fleetExport';
import { humanRef } from '../humanRef';

export type RollupBy = 'owner' | 'ngi';

const GROUP_WORDS: Record<RollupBy, string> = { owner: 'Owner', ngi: 'NGI' };

/** A group's name as people say it: the owner's short ref, the NGI as GOCDB writes it. */
export function groupName(by: RollupBy, key: string): string {
  if (!key) return by === 'owner' ? '(no owner)' : '(no NGI)';
  return by === 'owner' ? humanRef(key, 'group') : key;
}

/** "3 ready (+1)": the count now and its change since the comparison time. */
export function withTrend(now: number, before: number): string {
  const delta = now - before;
  return delta === 0
    ? `${now}`
    : `${now} (${delta > 0 ? '+' : '−'}${Math.abs(delta)})`;
}

function cells(counts: { now: ReadinessCounts; before: ReadinessCounts }) {
  return [
    `${withTrend(counts.now.ready, counts.before.ready)} ready`,
    `${withTrend(counts.now.notReady, counts.before.notReady)} not ready`,
    `${withTrend(
      counts.now.notEvaluated,
      counts.before.notEvaluated,
    )} incomplete`,
    `${withTrend(counts.now.notScanned, counts.before.notScanned)} not scanned`,
  ];
}

/** The rollup as a spreadsheet: one row per group and profile, counts now and before. */
export function rollupCsv(rollup: RollupResponse): string {
  const rows: unknown[][] = [
    [
      rollup.by,
      'sites',
      'profile',
      'ready',
      'not ready',
      'not evaluated',
      'not scanned',
      `ready on ${rollup.since.slice(0, 10)}`,
      `not ready on ${rollup.since.slice(0, 10)}`,
      `not evaluated on ${rollup.since.slice(0, 10)}`,
      `not scanned on ${rollup.since.slice(0, 10)}`,
    ],
  ];
  for (const group of rollup.groups) {
    for (const [profile, { now, before }] of Object.entries(group.profiles)) {
      rows.push([
        group.key,
        group.sites,
        profile,
        now.ready,
        now.notReady,
        now.notEvaluated,
        now.notScanned,
        before.ready,
        before.notReady,
        before.notEvaluated,
        before.notScanned,
      ]);
    }
  }
  return toCsv(rows);
}

/**
 * The fleet by owner or NGI (what a federation manager asks first): per group and profile how
 * many sites are ready, not ready, incomplete or not scanned, with the change over `days` days.
 * Choosing a group filters the fleet's table to it (`onSelect`).
 */
export const FleetRollup = (props: {
  by: RollupBy;
  profileIds: readonly string[];
  selected?: string;
  onSelect: (key: string | undefined) => void;
  days?: number;
}) => {
  const { by, profileIds } = props;
  const days = props.days ?? 7;
  const openstackApi = useApi(openstackApiRef);
  const rollup = useAsync(
    () => openstackApi.getRollups(by, days),
    [openstackApi, by, days],
  );

  const columns: TableColumn<RollupGroup>[] = [
    {
      title: GROUP_WORDS[by],
      render: group => (
        <Link
          component="button"
          variant="body2"
          onClick={() =>
            props.onSelect(props.selected === group.key ? undefined : group.key)
          }
          aria-pressed={props.selected === group.key}
        >
          {groupName(by, group.key)}
        </Link>
      ),
    },
    { title: 'Sites', render: group => group.sites },
    ...profileIds.map(
      (profileId): TableColumn<RollupGroup> => ({
        title: profileId,
        render: group => {
          const counts = group.profiles[profileId];
          if (!counts) return '—';
          return (
            <Box display="flex" flexDirection="column">
              {cells(counts).map(line => (
                <Typography key={line} variant="body2" noWrap>
                  {line}
                </Typography>
              ))}
            </Box>
          );
        },
      }),
    ),
  ];

  return (
    <InfoCard
      title={`Sites by ${GROUP_WORDS[by]}`}
      subheader={`Changes in brackets: since ${days} days ago. Choose a group to filter the sites below.`}
      action={
        <Box
          display="flex"
          alignItems="center"
          style={{ gap: 8 }}
          mt={1}
          mr={1}
        >
          <Button
            variant="outlined"
            disabled={!rollup.value}
            onClick={() =>
              rollup.value &&
              downloadFile(
                `openstack-fleet-by-${by}-${new Date()
                  .toISOString()
                  .slice(0, 10)}.csv`,
                'text/csv',
                rollupCsv(rollup.value),
              )
            }
          >
            Export groups CSV
          </Button>
        </Box>
      }
    >
      {rollup.loading && <Progress />}
      {rollup.error && <ResponseErrorPanel error={rollup.error} />}
      {rollup.value && (
        <Table<RollupGroup>
          options={{
            paging: false,
            search: false,
            sorting: false,
            draggable: false,
            toolbar: false,
            padding: 'dense',
          }}
          columns={columns.map(column => ({ ...column, sorting: false }))}
          data={rollup.value.groups}
        />
      )}
    </InfoCard>
  );
};
