import { Link, Table, TableColumn } from '@backstage/core-components';
import { WorkloadServer } from '@fedstack/plugin-openstack-common';
import Typography from '@material-ui/core/Typography';
import { wholeWordsColumns } from '../WideTable';

const ORCHESTRATOR = 'eu.egi.cloud.orchestrator';

interface WorkloadRow {
  id: string;
  name: string;
  status: string;
  flavor: string;
  orchestrator: string;
  infrastructure: string;
  url: string;
  user: string;
  createdAt: string;
}

function toRow(server: WorkloadServer): WorkloadRow {
  const { flavor, workload } = server;
  return {
    id: server.id,
    name: server.name,
    status: server.deleted ? `${server.status} (deleted)` : server.status,
    flavor: `${flavor.name ?? '?'} (${flavor.vcpus} vCPU, ${flavor.ram} MB)`,
    orchestrator: workload[ORCHESTRATOR] ?? '',
    infrastructure: workload[`${ORCHESTRATOR}.id`] ?? '',
    url: workload[`${ORCHESTRATOR}.url`] ?? '',
    user: workload[`${ORCHESTRATOR}.user`] ?? '',
    createdAt: server.createdAt,
  };
}

const workloadColumns: TableColumn<WorkloadRow>[] = [
  { title: 'Server', field: 'name', highlight: true },
  { title: 'Status', field: 'status' },
  { title: 'Flavor', field: 'flavor' },
  // Infrastructure Manager's properties (eu.egi.cloud.orchestrator*), named as people say them.
  { title: 'Orchestrator', field: 'orchestrator', emptyValue: '—' },
  { title: 'Infrastructure', field: 'infrastructure', emptyValue: '—' },
  {
    title: 'Orchestrator URL',
    field: 'url',
    emptyValue: '—',
    // Only http(s) links: the property is set by whoever created the server.
    render: ({ url }) =>
      /^https?:\/\//.test(url) ? <Link to={url}>{url}</Link> : url || '—',
  },
  { title: 'Orchestrator user', field: 'user', emptyValue: '—' },
  { title: 'Created', field: 'createdAt', defaultSort: 'desc' },
];
// Whole words: on a phone the table scrolls sideways rather than splitting them.
const columns = wholeWordsColumns(workloadColumns);

/**
 * The project's servers; those EGI's Infrastructure Manager made show its properties
 * (`eu.egi.cloud.orchestrator`, `.id`, `.url`, `.user`) as the Orchestrator columns.
 */
export const WorkloadsTable = (props: {
  servers: WorkloadServer[];
  subtitle?: string;
}) => (
  <Table<WorkloadRow>
    title="Workloads"
    subtitle={props.subtitle}
    options={{ paging: false, search: false }}
    columns={columns}
    data={props.servers.map(toRow)}
    emptyContent={
      <Typography variant="body2" style={{ padding: 16 }}>
        This project has no server.
      </Typography>
    }
  />
);
