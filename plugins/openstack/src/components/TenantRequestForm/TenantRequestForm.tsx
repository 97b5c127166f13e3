import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  LandingZone,
  TenantDetail,
  TenantQuotas,
  tenantRequestSchema,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import DeleteIcon from '@material-ui/icons/Delete';
import { FormEvent, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { apiErrorMessage, openstackApiRef } from '../../api';
import {
  QuotaTable,
  quotaKeys,
  QuotaSet,
  quotaSetTitles,
  quotaUnitSuffix,
} from '../TenantPage/QuotaTable';
import { ErrorText } from '../ScoreDisplay';

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

interface MemberRow {
  euid: string;
  role: string;
}

/** Field path (as zod names it, e.g. `members.0.euid`) → the message shown next to that field. */
type FieldErrors = Record<string, string>;

function firstRole(zone?: LandingZone): string {
  return zone ? Object.keys(zone.roles)[0] ?? '' : '';
}

/**
 * The request of a tenant for a workspace: site, project id, landing zone (its quotas shown),
 * members with their roles, and optional quota overrides. Checked with the same schema as the
 * backend's before it is sent; each problem shows next to its field.
 */
export const TenantRequestForm = (props: {
  workspace: string;
  onCreated: (tenant: TenantDetail) => void;
  onCancel?: () => void;
}) => {
  const classes = useStyles();
  const openstackApi = useApi(openstackApiRef);
  const options = useAsync(async () => {
    const [sites, landingZones] = await Promise.all([
      openstackApi.listSites(),
      openstackApi.listLandingZones(),
    ]);
    return { sites: sites.items, landingZones };
  }, [openstackApi]);

  const [site, setSite] = useState('');
  const [project, setProject] = useState('');
  const [zoneId, setZoneId] = useState('');
  const [description, setDescription] = useState('');
  const [members, setMembers] = useState<MemberRow[]>([]);
  const [quotaOverrides, setQuotaOverrides] = useState<Record<string, string>>(
    {},
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitError, setSubmitError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const buildRequest = () => {
    const quotas: TenantQuotas = {};
    let anyQuota = false;
    for (const [path, text] of Object.entries(quotaOverrides)) {
      if (text.trim() === '') continue;
      const [set, key] = path.split('.') as [QuotaSet, string];
      quotas[set] = { ...quotas[set], [key]: Number(text) };
      anyQuota = true;
    }
    return {
      workspace: props.workspace,
      site,
      project: project.trim(),
      landingZone: zoneId,
      ...(description.trim() ? { description: description.trim() } : {}),
      members: members.map(m => ({ euid: m.euid.trim(), role: m.role })),
      ...(anyQuota ? { quotas } : {}),
    };
  };

  const validate = (request: ReturnType<typeof buildRequest>): FieldErrors => {
    const parsed = tenantRequestSchema.safeParse(request);
    const found: FieldErrors = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        found[path] ??= issue.message;
      }
    }
    // An empty choice is "required", not the pattern it fails.
    if (!request.site) found.site = 'Choose a site';
    if (!request.landingZone) found.landingZone = 'Choose a landing zone';
    if (!request.project) found.project = 'Enter a project id';
    return found;
  };

  // After a refused submit, each change checks again: a fixed field stops being red at once.
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    if (checking) setErrors(validate(buildRequest()));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checking, site, project, zoneId, description, members, quotaOverrides]);

  if (options.error) return <ResponseErrorPanel error={options.error} />;
  if (!options.value) return <Progress />;
  const { sites, landingZones } = options.value;
  const zone = landingZones.find(z => z.id === zoneId);
  const roles = zone ? Object.keys(zone.roles) : [];

  const fieldProps = (path: string, id: string) => ({
    id,
    error: !!errors[path],
    helperText: errors[path],
    variant: 'outlined' as const,
    size: 'small' as const,
    fullWidth: true,
    // Above the field from the start: selects show their empty choice, quotas their default.
    InputLabelProps: { className: classes.label, shrink: true },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(undefined);
    const request = buildRequest();
    const found = validate(request);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setChecking(true);
      return;
    }
    setSubmitting(true);
    try {
      props.onCreated(
        await openstackApi.requestTenant(tenantRequestSchema.parse(request)),
      );
    } catch (error) {
      setSubmitError(apiErrorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  const setMember = (index: number, change: Partial<MemberRow>) =>
    setMembers(rows =>
      rows.map((row, i) => (i === index ? { ...row, ...change } : row)),
    );

  return (
    <form onSubmit={submit} noValidate aria-label="Request a tenant">
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <TextField
            {...fieldProps('site', 'tenant-request-site')}
            select
            label="Site"
            value={site}
            onChange={e => setSite(e.target.value)}
            SelectProps={{ native: true }}
          >
            <option value="">Choose a site</option>
            {sites.map(s => (
              <option key={s.entityRef} value={s.entityRef}>
                {s.title ?? s.name}
              </option>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={6}>
          <TextField
            {...fieldProps('project', 'tenant-request-project')}
            label="Project id"
            value={project}
            onChange={e => setProject(e.target.value)}
            helperText={
              errors.project ??
              'Lower-case letters, digits and -; the Keystone name follows the landing zone.'
            }
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <TextField
            {...fieldProps('landingZone', 'tenant-request-landing-zone')}
            select
            label="Landing zone"
            value={zoneId}
            onChange={e => {
              const next = landingZones.find(z => z.id === e.target.value);
              setZoneId(e.target.value);
              setQuotaOverrides({});
              // Roles belong to the landing zone: keep a member's role only where it exists.
              setMembers(rows =>
                rows.map(row => ({
                  ...row,
                  role:
                    next && row.role in next.roles ? row.role : firstRole(next),
                })),
              );
            }}
            SelectProps={{ native: true }}
          >
            <option value="">Choose a landing zone</option>
            {landingZones.map(z => (
              <option key={z.id} value={z.id}>
                {z.title}
              </option>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={6}>
          <TextField
            {...fieldProps('description', 'tenant-request-description')}
            label="Description (optional)"
            value={description}
            onChange={e => setDescription(e.target.value)}
          />
        </Grid>

        {zone && (
          <Grid item xs={12}>
            <Typography variant="subtitle2" component="h3">
              Quotas of {zone.title}
            </Typography>
            {zone.description && (
              <Typography variant="body2" paragraph>
                {zone.description}
              </Typography>
            )}
            <QuotaTable
              caption={`Quotas of landing zone ${zone.title}`}
              columns={[
                { title: 'Default', quotas: zone.quotas },
                {
                  title: 'Approved at once up to',
                  quotas: zone.autoApproveUpTo,
                },
                { title: 'Maximum', quotas: zone.maxQuotas },
              ]}
            />
          </Grid>
        )}

        <Grid item xs={12}>
          <Typography variant="subtitle2" component="h3">
            Members
          </Typography>
          <Typography variant="body2" paragraph>
            A member is found in Keystone by their external user id once they
            have logged in to the site.
          </Typography>
          {members.map((member, index) => (
            <Box
              key={index}
              display="flex"
              alignItems="flex-start"
              mb={1}
              style={{ gap: 8 }}
            >
              <TextField
                {...fieldProps(
                  `members.${index}.euid`,
                  `tenant-request-member-${index}-euid`,
                )}
                label={`Member ${index + 1} external user id`}
                value={member.euid}
                onChange={e => setMember(index, { euid: e.target.value })}
              />
              <TextField
                {...fieldProps(
                  `members.${index}.role`,
                  `tenant-request-member-${index}-role`,
                )}
                fullWidth={false}
                style={{ minWidth: 160 }}
                select
                label={`Member ${index + 1} role`}
                value={member.role}
                onChange={e => setMember(index, { role: e.target.value })}
                SelectProps={{ native: true }}
              >
                {!roles.includes(member.role) && (
                  <option value={member.role}>
                    {member.role || 'Choose a landing zone first'}
                  </option>
                )}
                {roles.map(role => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </TextField>
              <IconButton
                aria-label={`Remove member ${index + 1}`}
                onClick={() =>
                  setMembers(rows => rows.filter((_, i) => i !== index))
                }
              >
                <DeleteIcon />
              </IconButton>
            </Box>
          ))}
          {errors.members && (
            <ErrorText variant="body2">{errors.members}</ErrorText>
          )}
          <Button
            variant="outlined"
            onClick={() =>
              setMembers(rows => [...rows, { euid: '', role: firstRole(zone) }])
            }
          >
            Add member
          </Button>
        </Grid>

        {zone && (
          <Grid item xs={12}>
            <Typography variant="subtitle2" component="h3">
              Quota overrides (optional)
            </Typography>
            <Typography variant="body2" paragraph>
              Leave a quota empty for the landing zone's default; -1 is
              unlimited. Requests above the auto-approval limits wait for an
              approver.
            </Typography>
            <Grid container spacing={2}>
              {quotaKeys(zone.quotas, zone.maxQuotas).map(({ set, key }) => {
                const path = `${set}.${key}`;
                return (
                  <Grid item xs={6} sm={4} md={3} key={path}>
                    <TextField
                      {...fieldProps(
                        `quotas.${path}`,
                        `tenant-request-quota-${set}-${key}`,
                      )}
                      label={`${quotaSetTitles[set]}: ${key}${quotaUnitSuffix(
                        set,
                        key,
                      )}`}
                      type="number"
                      placeholder={String(zone.quotas[set]?.[key] ?? '')}
                      value={quotaOverrides[path] ?? ''}
                      onChange={e =>
                        setQuotaOverrides(q => ({
                          ...q,
                          [path]: e.target.value,
                        }))
                      }
                    />
                  </Grid>
                );
              })}
            </Grid>
          </Grid>
        )}

        <Grid item xs={12}>
          {submitError && (
            <Box mb={2}>
              <ErrorText role="alert">{submitError}</ErrorText>
            </Box>
          )}
          {Object.keys(errors).length > 0 && (
            <Box mb={2}>
              <ErrorText role="alert">Correct the marked fields.</ErrorText>
            </Box>
          )}
          <Box display="flex" style={{ gap: 8 }}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={submitting}
            >
              {submitting ? 'Requesting…' : 'Request tenant'}
            </Button>
            {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
          </Box>
        </Grid>
      </Grid>
    </form>
  );
};
