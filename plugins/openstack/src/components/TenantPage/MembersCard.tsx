import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  TenantDetail,
  TenantMember,
  tenantMembersUpdateSchema,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { useState } from 'react';
import { apiErrorMessage, openstackApiRef } from '../../api';
import { WideTable } from '../WideTable';
import { ErrorText } from '../ScoreDisplay';

/** Why a tenant's admins do not get OpenStack's admin role (the landing zone maps it). */
export const adminRoleNote = (role: string) =>
  `A tenant admin gets OpenStack's ${role} role on the project: Keystone's admin role is not limited to one project (it administers the whole site), so the landing zone maps tenant roles to project-scoped ones.`;

/**
 * The tenant's members and their roles. Members of the workspace may change them: the list is
 * authoritative, a member removed here leaves the project's groups at the next replication.
 */
export const MembersCard = (props: {
  tenant: TenantDetail;
  /** The landing zone's tenant roles → OpenStack roles; empty when the zone is unknown. */
  roles: Record<string, string>;
  editable: boolean;
  onSaved: (tenant: TenantDetail) => void;
}) => {
  const { tenant, roles } = props;
  const openstackApi = useApi(openstackApiRef);
  const [draft, setDraft] = useState<TenantMember[]>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const roleNames = Object.keys(roles);

  const save = async () => {
    if (!draft) return;
    setSaveError(undefined);
    const members = draft.map(m => ({ ...m, euid: m.euid.trim() }));
    const parsed = tenantMembersUpdateSchema.safeParse({ members });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        found[issue.path.map(String).join('.')] ??= issue.message;
      setErrors(found);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      props.onSaved(
        await openstackApi.updateTenantMembers(tenant.id, parsed.data.members),
      );
      setDraft(undefined);
    } catch (error) {
      setSaveError(apiErrorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const change = (index: number, member: Partial<TenantMember>) =>
    setDraft(rows =>
      rows?.map((row, i) => (i === index ? { ...row, ...member } : row)),
    );

  const action =
    props.editable && !draft ? (
      <Button variant="outlined" onClick={() => setDraft(tenant.members)}>
        Edit members
      </Button>
    ) : undefined;

  return (
    <InfoCard title="Members and roles" action={action}>
      <WideTable size="small" aria-label="Members and roles">
        <TableHead>
          <TableRow>
            <TableCell>External user id</TableCell>
            <TableCell>Role</TableCell>
            <TableCell>OpenStack role</TableCell>
            {draft && <TableCell>Remove</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {!draft &&
            tenant.members.map(member => (
              <TableRow key={`${member.euid} ${member.role}`}>
                <TableCell>{member.euid}</TableCell>
                <TableCell>{member.role}</TableCell>
                <TableCell>{roles[member.role] ?? '—'}</TableCell>
              </TableRow>
            ))}
          {draft?.map((member, index) => (
            <TableRow key={index}>
              <TableCell>
                <TextField
                  id={`tenant-member-${index}-euid`}
                  label={`Member ${index + 1} external user id`}
                  size="small"
                  fullWidth
                  value={member.euid}
                  error={!!errors[`members.${index}.euid`]}
                  helperText={errors[`members.${index}.euid`]}
                  onChange={e => change(index, { euid: e.target.value })}
                />
              </TableCell>
              <TableCell>
                <TextField
                  id={`tenant-member-${index}-role`}
                  label={`Member ${index + 1} role`}
                  size="small"
                  select
                  SelectProps={{ native: true }}
                  value={member.role}
                  error={!!errors[`members.${index}.role`]}
                  helperText={errors[`members.${index}.role`]}
                  onChange={e => change(index, { role: e.target.value })}
                >
                  {[
                    ...new Set([
                      ...roleNames,
                      ...(member.role ? [member.role] : []),
                    ]),
                  ].map(role => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </TextField>
              </TableCell>
              <TableCell>{roles[member.role] ?? '—'}</TableCell>
              <TableCell>
                <IconButton
                  aria-label={`Remove member ${index + 1}`}
                  onClick={() =>
                    setDraft(rows => rows?.filter((_, i) => i !== index))
                  }
                >
                  <DeleteIcon />
                </IconButton>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </WideTable>
      {!draft && tenant.members.length === 0 && (
        <Typography variant="body2">No members.</Typography>
      )}
      {roles.admin && roles.admin !== 'admin' && (
        <Typography variant="caption" color="textSecondary" component="p">
          {adminRoleNote(roles.admin)}
        </Typography>
      )}
      {draft && (
        <Box mt={2} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          <Button
            variant="outlined"
            onClick={() =>
              setDraft(rows => [
                ...(rows ?? []),
                { euid: '', role: roleNames[0] ?? '' },
              ])
            }
          >
            Add member
          </Button>
          <Button
            variant="contained"
            color="primary"
            disabled={saving}
            onClick={save}
          >
            Save members
          </Button>
          <Button
            onClick={() => {
              setDraft(undefined);
              setErrors({});
              setSaveError(undefined);
            }}
          >
            Cancel
          </Button>
        </Box>
      )}
      {saveError && <ErrorText role="alert">{saveError}</ErrorText>}
    </InfoCard>
  );
};
