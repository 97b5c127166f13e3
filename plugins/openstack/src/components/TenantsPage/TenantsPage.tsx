import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  openstackTenantRequestPermission,
  Tenant,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openstackApiRef } from '../../api';
import { TenantApprovals } from '../TenantApprovals';
import { TenantRequestForm } from '../TenantRequestForm';
import { TenantTable } from './TenantTable';
import { humanRef } from '../humanRef';
import { useWorkspaces } from './useWorkspaces';

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

// Links from the list page are relative: the page sits at the tenants route, a tenant below it.
const linkTo = (tenant: Tenant) => tenant.id;

export const NOT_A_REQUESTER =
  'You may not request tenants: the permission openstack.tenant.request is needed.';

const WorkspaceTenants = (props: { workspace: string }) => {
  const { workspace } = props;
  const openstackApi = useApi(openstackApiRef);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requestAsked = params.get('request') === '1';
  const tenants = useAsyncRetry(
    () => openstackApi.listTenants({ workspace }),
    [openstackApi, workspace],
  );
  const setRequesting = (on: boolean) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        if (on) next.set('request', '1');
        else next.delete('request');
        return next;
      },
      { replace: true },
    );

  // The backend checks it too (403); disabled, without a reason, while the decision loads.
  const requester = usePermission({
    permission: openstackTenantRequestPermission,
  });
  const refused =
    !requester.loading && !requester.allowed ? NOT_A_REQUESTER : undefined;
  // A link with ?request=1 opens the form only for those who may request (the reason otherwise).
  const requesting = requestAsked && requester.allowed;

  const requestButton = (
    <Box>
      {/* A span: a disabled button gets no hover events for the tooltip. */}
      <Tooltip title={refused ?? ''}>
        <span>
          <Button
            variant="contained"
            color="primary"
            onClick={() => setRequesting(true)}
            disabled={requesting || requester.loading || !!refused}
          >
            Request a tenant
          </Button>
        </span>
      </Tooltip>
      {refused && (
        <Typography variant="body2" color="textSecondary">
          {refused}
        </Typography>
      )}
    </Box>
  );

  return (
    <Grid container spacing={3}>
      {requesting && (
        <Grid item xs={12}>
          <InfoCard
            title="Request a tenant"
            subheader={`For workspace ${humanRef(workspace, 'group')}`}
          >
            <TenantRequestForm
              workspace={workspace}
              onCreated={tenant => navigate(linkTo(tenant))}
              onCancel={() => setRequesting(false)}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        {tenants.error ? (
          <ResponseErrorPanel error={tenants.error} />
        ) : (
          <TenantTable
            title={`Tenants of ${humanRef(workspace, 'group')}`}
            tenants={tenants.value ?? []}
            isLoading={tenants.loading}
            linkTo={linkTo}
            emptyContent={
              <EmptyState
                missing="data"
                title="This workspace has no tenants yet"
                description="A tenant is a project of the workspace on one OpenStack site, replicated into its Keystone."
                action={requesting ? undefined : requestButton}
              />
            }
          />
        )}
      </Grid>
      <Grid item xs={12}>
        <TenantApprovals linkTo={linkTo} onDecided={tenants.retry} />
      </Grid>
      {!requesting && (tenants.value?.length ?? 0) > 0 && (
        <Grid item xs={12}>
          {requestButton}
        </Grid>
      )}
    </Grid>
  );
};

/**
 * A workspace's tenants (the workspace is one of the signed-in user's groups), the request of a
 * new one, and what waits for approval.
 */
export const TenantsPage = () => {
  const classes = useStyles();
  const workspaces = useWorkspaces();
  const [params, setParams] = useSearchParams();

  let body;
  if (workspaces.error) {
    body = <ResponseErrorPanel error={workspaces.error} />;
  } else if (!workspaces.value) {
    body = <Progress />;
  } else if (workspaces.value.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="You belong to no workspace"
        description="A workspace is a group of the catalog; tenants are requested by its members."
      />
    );
  } else {
    const asked = params.get('workspace')?.toLowerCase();
    const workspace =
      asked && workspaces.value.includes(asked) ? asked : workspaces.value[0];
    body = (
      <>
        <ContentHeader title="Workspace">
          <TextField
            select
            id="openstack-tenants-workspace"
            label="Workspace"
            variant="outlined"
            size="small"
            InputLabelProps={{ className: classes.label }}
            value={workspace}
            onChange={e =>
              setParams(
                current => {
                  const next = new URLSearchParams(current);
                  next.set('workspace', e.target.value);
                  next.delete('request');
                  return next;
                },
                { replace: true },
              )
            }
            SelectProps={{ native: true }}
          >
            {workspaces.value.map(ref => (
              <option key={ref} value={ref}>
                {humanRef(ref, 'group')}
              </option>
            ))}
          </TextField>
          <SupportButton>
            A tenant is one workspace project placed on one site. Requests
            within the landing zone's limits are approved at once; the others
            wait for an approver. Replication then creates the project, its
            groups and role grants in the site's Keystone.
          </SupportButton>
        </ContentHeader>
        <WorkspaceTenants key={workspace} workspace={workspace} />
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="OpenStack tenants"
        subtitle="Projects of your workspaces on the federation's sites"
      />
      <Content>{body}</Content>
    </Page>
  );
};
