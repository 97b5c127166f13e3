import { InfoCard } from '@backstage/core-components';
import { TenantDetail } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { relativeTime } from '../ScoreDisplay';

const Messages = (props: {
  title: string;
  items: string[];
  color?: 'error' | 'textPrimary';
}) =>
  props.items.length === 0 ? null : (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        {props.title} ({props.items.length})
      </Typography>
      <List dense disablePadding>
        {props.items.map(item => (
          <ListItem key={item} disableGutters>
            <ListItemText
              primary={item}
              primaryTypographyProps={{
                color: props.color ?? 'textPrimary',
                // Remarks carry long external user ids.
                style: { overflowWrap: 'anywhere' },
              }}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );

/** The tenant's last replication: its outcome, the steps it took, remarks, warnings and errors. */
export const ReplicationCard = (props: {
  tenant: TenantDetail;
  action?: ReactNode;
  children?: ReactNode;
}) => {
  const last = props.tenant.lastReplication;
  return (
    <InfoCard
      title="Replication"
      subheader={
        last
          ? `Last change ${relativeTime(last.at)}: ${last.status}${
              last.checkedAt
                ? `; checked again ${relativeTime(
                    last.checkedAt,
                  )}, nothing to change`
                : ''
            }`
          : 'Not replicated yet'
      }
      action={props.action}
    >
      {props.children}
      {!last && (
        <Typography variant="body2">
          The tenant is replicated into the site's Keystone after it is
          approved, on the replication schedule, or now with "Replicate now".
        </Typography>
      )}
      {last && (
        <>
          <Typography variant="subtitle2" component="h3">
            Steps ({last.steps.length})
          </Typography>
          {last.steps.length === 0 ? (
            <Typography variant="body2">
              Nothing to change: Keystone already matched the tenant.
            </Typography>
          ) : (
            <List dense disablePadding>
              {last.steps.map((step, i) => (
                <ListItem key={i} disableGutters>
                  <ListItemText
                    primary={step.summary}
                    secondary={step.outcome}
                  />
                </ListItem>
              ))}
            </List>
          )}
          <Messages title="Remarks" items={last.remarks} />
          <Messages title="Warnings" items={last.warnings} />
          <Messages title="Errors" items={last.errors} color="error" />
        </>
      )}
    </InfoCard>
  );
};
