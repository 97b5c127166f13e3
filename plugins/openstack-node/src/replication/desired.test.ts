import {
  DesiredTenant,
  MAX_NAME_LENGTH,
  describeInvalidTenant,
  renderName,
} from './desired';

describe('renderName', () => {
  it('fills the placeholders and replaces characters Keystone names should not carry', () => {
    expect(
      renderName('{workspace}.{project}-{role}', {
        workspace: 'data team',
        project: 'étl',
        role: 'admin',
      }),
    ).toBe('data-team.-tl-admin');
    expect(renderName('{workspace}.{unknown}', { workspace: 'w' })).toBe(
      'w.-unknown-',
    );
  });

  it('keeps long names within 64 characters, unique and the same on every run', () => {
    const long = 'x'.repeat(80);
    const a = renderName('{workspace}.{project}', {
      workspace: long,
      project: 'a',
    });
    const b = renderName('{workspace}.{project}', {
      workspace: long,
      project: 'b',
    });
    expect(a).toHaveLength(MAX_NAME_LENGTH);
    expect(b).toHaveLength(MAX_NAME_LENGTH);
    expect(a).not.toBe(b);
    expect(
      renderName('{workspace}.{project}', { workspace: long, project: 'a' }),
    ).toBe(a);
  });
});

describe('describeInvalidTenant', () => {
  const tenant: DesiredTenant = {
    key: 't1',
    domain: { id: 'default' },
    projectName: 'ws.app',
    tags: ['ok_tag-1'],
    phase: 'active',
    groups: [
      {
        role: 'admin',
        name: 'ws.app-admin',
        openstackRole: 'member',
        members: [],
      },
    ],
  };

  it('accepts a well-formed tenant', () => {
    expect(describeInvalidTenant(tenant)).toEqual([]);
  });

  it('names every problem: long or odd names, bad tags, too many tags, a role twice', () => {
    expect(
      describeInvalidTenant({
        ...tenant,
        projectName: 'y'.repeat(65),
        domain: { name: 'with space' },
        tags: ['a,b', ...Array.from({ length: 80 }, (_, i) => `t${i}`)],
        groups: [tenant.groups[0], tenant.groups[0]],
      }),
    ).toEqual([
      `name "${'y'.repeat(65)}" must have 1 to 64 characters`,
      'name "with space" has characters other than A-Z a-z 0-9 . _ -',
      '81 tags, at most 80',
      'tag "a,b" may only have letters, digits, - and _',
      'role "admin" twice',
    ]);
  });
});
