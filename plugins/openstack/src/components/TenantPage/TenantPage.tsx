import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  openstackReplicationRunPermission,
  openstackScanTriggerPermission,
  ReplicationRun,
  TenantDetail,
  TenantStatus,
} from '@fedstack/plugin-openstack-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { apiErrorMessage, openstackApiRef } from '../../api';
import { relativeTime, ErrorText } from '../ScoreDisplay';
import { TenantStatusLabel } from '../TenantsPage/TenantStatusLabel';
import { useWorkspaces } from '../TenantsPage/useWorkspaces';
import { MembersCard } from './MembersCard';
import { humanRef } from '../humanRef';
import { TenantApprovals } from '../TenantApprovals';
import { QuotaTable, quotasInUse } from './QuotaTable';
import { ReplicationCard } from './ReplicationCard';
import { UsageChart } from './UsageChart';
import { WorkloadsTable } from './WorkloadsTable';

// States in which a tenant has (or gets) Keystone objects and can change or go.
const LIVE = ['requested', 'in-progress', 'successful', 'failed'];

function siteOf(tenant: TenantDetail) {
  const { namespace, name } = parseEntityRef(tenant.site);
  return { namespace, name };
}

/** The project's metering samples of the last 7 days (none before it exists in Keystone). */
function useProjectUsage(tenant: TenantDetail) {
  const openstackApi = useApi(openstackApiRef);
  const { namespace, name } = siteOf(tenant);
  const { projectId } = tenant;
  return useAsyncRetry(
    async () =>
      projectId
        ? openstackApi.getProjectUsage(namespace, name, projectId)
        : undefined,
    [openstackApi, namespace, name, projectId],
  );
}

/**
 * Samples the site's projects now and shows the new sample: for who may scan the site (metering
 * reads it, as a scan does), instead of waiting for the next hourly run.
 */
const MeterNowButton = (props: {
  tenant: TenantDetail;
  onMetered: () => void;
}) => {
  const openstackApi = useApi(openstackApiRef);
  const alertApi = useApi(alertApiRef);
  const { namespace, name } = siteOf(props.tenant);
  const scanner = usePermission({
    permission: openstackScanTriggerPermission,
    resourceRef: props.tenant.site,
  });
  const [metering, setMetering] = useState(false);
  if (!scanner.allowed) return null;
  return (
    <Button
      variant="outlined"
      size="small"
      disabled={metering}
      onClick={async () => {
        setMetering(true);
        try {
          await openstackApi.meterSite(namespace, name);
          props.onMetered();
        } catch (error) {
          alertApi.post({ message: apiErrorMessage(error), severity: 'error' });
        } finally {
          setMetering(false);
        }
      }}
    >
      {metering ? 'Metering…' : 'Meter now'}
    </Button>
  );
};

/** Who did something: a user by name; the backend itself (`replication`, a plugin) as it says. */
function humanActor(actor: string): string {
  return actor.includes(':') ? humanRef(actor, 'user') : actor;
}

const UsageCard = (props: {
  tenant: TenantDetail;
  usage: ReturnType<typeof useProjectUsage>;
}) => {
  const { usage } = props;
  let content;
  if (usage.error) content = <ResponseErrorPanel error={usage.error} />;
  else if (!usage.value) content = <Progress />;
  else if (usage.value.samples.length === 0)
    content = (
      <Typography variant="body2">
        No metering sample of this project in the last 7 days yet.
      </Typography>
    );
  else
    content = (
      <UsageChart samples={usage.value.samples} usage={usage.value.usage} />
    );
  return (
    <InfoCard
      title="Usage over the last 7 days"
      action={<MeterNowButton tenant={props.tenant} onMetered={usage.retry} />}
    >
      {content}
    </InfoCard>
  );
};

const Workloads = (props: { tenant: TenantDetail; projectId: string }) => {
  const openstackApi = useApi(openstackApiRef);
  const { namespace, name } = siteOf(props.tenant);
  const workloads = useAsync(
    () => openstackApi.getProjectWorkloads(namespace, name, props.projectId),
    [openstackApi, namespace, name, props.projectId],
  );
  if (workloads.error) return <ResponseErrorPanel error={workloads.error} />;
  if (!workloads.value) return <Progress />;
  const { takenAt, items } = workloads.value;
  return (
    <WorkloadsTable
      servers={items}
      subtitle={
        takenAt
          ? `Every server, from the sample of ${relativeTime(
              takenAt,
            )}; the Orchestrator columns are Infrastructure Manager's eu.egi.cloud.orchestrator properties`
          : 'Not sampled yet'
      }
    />
  );
};

const RunOutcome = (props: { run?: ReplicationRun; error?: string }) => {
  if (props.error) {
    return (
      <ErrorText role="alert" paragraph>
        Replication failed: {props.error}
      </ErrorText>
    );
  }
  if (!props.run) return null;
  const { run } = props;
  return (
    <Typography role="status" variant="body2" paragraph>
      Replication run {run.status}
      {run.error ? `: ${run.error}` : ''} ({run.keystoneCalls} Keystone calls,{' '}
      {run.tenants.length} tenant(s) of the site).
    </Typography>
  );
};

/** Why a tenant in this state is not replicated on demand. */
export const NOT_REPLICABLE: Partial<Record<TenantStatus, string>> = {
  'requires-approval':
    'Waiting for approval: it is replicated once an approver approves the request.',
  rejected: 'The request was rejected: nothing is replicated.',
  'deletion-requested':
    'Its deletion waits for approval; once approved, replication removes its groups.',
  deleted: 'The tenant is deleted.',
};

export const NOT_A_REPLICATOR =
  'You may not run a replication: the permission openstack.replication.run is needed.';

const TenantDetails = (props: {
  tenant: TenantDetail;
  reload: () => void;
  setTenant: (tenant: TenantDetail) => void;
}) => {
  const { tenant, reload, setTenant } = props;
  const openstackApi = useApi(openstackApiRef);
  const workspaces = useWorkspaces();
  const zones = useAsync(() => openstackApi.listLandingZones(), [openstackApi]);
  const [replicating, setReplicating] = useState(false);
  // The backend checks it too (403); disabled, without a reason, while the decision loads.
  const replicator = usePermission({
    permission: openstackReplicationRunPermission,
  });
  const mayNotReplicate =
    !replicator.loading && !replicator.allowed ? NOT_A_REPLICATOR : undefined;
  const [run, setRun] = useState<{ run?: ReplicationRun; error?: string }>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();

  const zone = zones.value?.find(z => z.id === tenant.landingZone);
  const member = !!workspaces.value?.includes(tenant.workspace.toLowerCase());
  const live = LIVE.includes(tenant.status);
  // Why "Replicate now" cannot run, said beside it: a permission, or the tenant's state.
  const notReplicable = live
    ? undefined
    : NOT_REPLICABLE[tenant.status] ?? 'Only an approved tenant is replicated.';
  const usage = useProjectUsage(tenant);
  const samples = usage.value?.samples ?? [];
  const latestSample =
    samples.length > 0 ? samples[samples.length - 1] : undefined;

  const replicateNow = async () => {
    setReplicating(true);
    setRun({});
    try {
      const { namespace, name } = siteOf(tenant);
      setRun({ run: await openstackApi.replicateSite(namespace, name) });
      reload();
    } catch (error) {
      setRun({ error: apiErrorMessage(error) });
    } finally {
      setReplicating(false);
    }
  };

  const requestDeletion = async () => {
    setDeleteError(undefined);
    try {
      setTenant(await openstackApi.requestTenantDeletion(tenant.id));
      setConfirmDelete(false);
    } catch (error) {
      setDeleteError(apiErrorMessage(error));
    }
  };

  const waitsForApproval =
    tenant.status === 'requires-approval' ||
    (tenant.status === 'deletion-requested' && !tenant.deletionApproved);

  return (
    <Grid container spacing={3}>
      {waitsForApproval && (
        // An approver decides here too, with what the request asks above its landing zone.
        <Grid item xs={12}>
          <TenantApprovals
            linkTo={t => t.id}
            workspace={tenant.workspace}
            tenantId={tenant.id}
            onDecided={reload}
          />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Tenant"
          action={
            member &&
            (live || tenant.status === 'requires-approval') && (
              <Button variant="outlined" onClick={() => setConfirmDelete(true)}>
                Request deletion
              </Button>
            )
          }
        >
          <StructuredMetadataTable
            metadata={{
              Status: <TenantStatusLabel status={tenant.status} />,
              Workspace: (
                <EntityRefLink
                  entityRef={tenant.workspace}
                  defaultKind="group"
                />
              ),
              Site: (
                <EntityRefLink entityRef={tenant.site} defaultKind="resource" />
              ),
              Project: tenant.project,
              'Landing zone': zone?.title ?? tenant.landingZone,
              'Keystone project': tenant.projectName,
              'Keystone domain': tenant.domainName,
              'Project id': tenant.projectId ?? 'not created yet',
              Description: tenant.description ?? '—',
              'Requested by': humanRef(tenant.requestedBy, 'user'),
              Requested: relativeTime(tenant.createdAt),
              Updated: relativeTime(tenant.updatedAt),
            }}
          />
          {deleteError && !confirmDelete && (
            <ErrorText role="alert">{deleteError}</ErrorText>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ReplicationCard
          tenant={tenant}
          action={
            /* A span: a disabled button gets no hover events for the tooltip. */
            <Tooltip title={mayNotReplicate ?? notReplicable ?? ''}>
              <span>
                <Button
                  variant="contained"
                  color="primary"
                  disabled={
                    replicating ||
                    !live ||
                    replicator.loading ||
                    !!mayNotReplicate
                  }
                  onClick={replicateNow}
                >
                  {replicating ? 'Replicating…' : 'Replicate now'}
                </Button>
              </span>
            </Tooltip>
          }
        >
          {(mayNotReplicate ?? notReplicable) && (
            <Typography variant="body2" color="textSecondary" paragraph>
              {mayNotReplicate ?? notReplicable}
            </Typography>
          )}
          {replicating && <Progress />}
          <RunOutcome {...run} />
        </ReplicationCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <MembersCard
          tenant={tenant}
          roles={zone?.roles ?? {}}
          editable={
            member && (live || tenant.status === 'requires-approval') && !!zone
          }
          onSaved={setTenant}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Quotas">
          <QuotaTable
            caption="Quotas of the tenant"
            columns={[
              // In use: from the latest metering sample, beside the limit it counts against.
              ...(latestSample
                ? [
                    {
                      title: 'In use',
                      quotas: quotasInUse(latestSample.totals, tenant.quotas),
                    },
                  ]
                : []),
              { title: 'Limit', quotas: tenant.quotas },
            ]}
          />
          {latestSample && (
            <Typography variant="caption" color="textSecondary">
              In use as of {relativeTime(latestSample.takenAt)}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      {tenant.projectId ? (
        <>
          <Grid item xs={12}>
            <UsageCard tenant={tenant} usage={usage} />
          </Grid>
          <Grid item xs={12}>
            <Workloads tenant={tenant} projectId={tenant.projectId} />
          </Grid>
        </>
      ) : (
        <Grid item xs={12}>
          <InfoCard title="Usage">
            <Typography variant="body2">
              Usage is metered once the project exists in Keystone.
            </Typography>
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="History">
          <List dense disablePadding>
            {tenant.events.map((event, i) => (
              <ListItem key={i} disableGutters>
                <ListItemText
                  primary={`${event.action}${
                    event.comment ? `: “${event.comment}”` : ''
                  }`}
                  secondary={`${humanActor(event.actor)}, ${relativeTime(
                    event.at,
                  )}`}
                />
              </ListItem>
            ))}
          </List>
        </InfoCard>
      </Grid>
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        aria-labelledby="tenant-delete-title"
      >
        <DialogTitle id="tenant-delete-title">
          Delete {tenant.projectName}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {tenant.status === 'requires-approval'
              ? 'The request is withdrawn; nothing was written to Keystone yet.'
              : `The project's role bindings are disabled at once; after approval its groups and grants are removed${
                  zone?.deleteProjects ? ' and the project is deleted' : ''
                }. Resources inside the project are never touched.`}
          </DialogContentText>
          {deleteError && <ErrorText role="alert">{deleteError}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
          <Button color="primary" variant="contained" onClick={requestDeletion}>
            Request deletion
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
};

/** How often the page asks again while a change's replication is under way. */
export const FOLLOW_REPLICATION_MS = 3_000;

/** One tenant: status, Keystone names, replication, members, quotas, usage and workloads. */
export const TenantPage = () => {
  const { id = '' } = useParams();
  const openstackApi = useApi(openstackApiRef);
  const loaded = useAsyncRetry(
    () => openstackApi.getTenant(id),
    [openstackApi, id],
  );
  // Answers of changes (members, deletion) replace the loaded tenant until the next load.
  const [tenant, setTenant] = useState<TenantDetail>();
  useEffect(() => setTenant(loaded.value), [loaded.value]);
  // After a change the backend replicates soon after: the page reloads until that run shows
  // (its replication, or a check, newer than the change), for at most a minute.
  const [changedAt, setChangedAt] = useState<number>();
  useEffect(() => {
    if (changedAt === undefined) return undefined;
    const last = loaded.value?.lastReplication;
    const seen = [last?.at, last?.checkedAt].some(
      at => at !== undefined && Date.parse(at) >= changedAt,
    );
    if (seen || Date.now() - changedAt > 60_000) {
      setChangedAt(undefined);
      return undefined;
    }
    const timer = setTimeout(loaded.retry, FOLLOW_REPLICATION_MS);
    return () => clearTimeout(timer);
  }, [changedAt, loaded.value, loaded.retry]);
  const changed = (saved: TenantDetail) => {
    setTenant(saved);
    // Only a live tenant is replicated on a change (a request or deletion waits for approval).
    if (
      ['requested', 'in-progress', 'successful', 'failed'].includes(
        saved.status,
      )
    )
      setChangedAt(Date.now());
  };

  let body;
  if (loaded.error) body = <ResponseErrorPanel error={loaded.error} />;
  else if (!tenant) body = <Progress />;
  else
    body = (
      <TenantDetails
        tenant={tenant}
        reload={loaded.retry}
        setTenant={changed}
      />
    );

  return (
    <Page themeId="tool">
      <Header
        title={tenant ? tenant.projectName : 'Tenant'}
        subtitle={
          tenant
            ? `${humanRef(tenant.workspace, 'group')} on ${humanRef(
                tenant.site,
                'resource',
              )}`
            : undefined
        }
        type="OpenStack tenants"
        // Back to the tenants of this tenant's workspace, not the first one of the user's.
        typeLink={
          tenant ? `..?workspace=${encodeURIComponent(tenant.workspace)}` : '..'
        }
      />
      <Content>{body}</Content>
    </Page>
  );
};
