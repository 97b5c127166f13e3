import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Shown on the scaffolder's actions page (/create/actions). */
export const examples: TemplateExample[] = [
  {
    description:
      "Set a tenant's members (the whole list: members left out lose their roles)",
    example: yaml.stringify({
      steps: [
        {
          id: 'members',
          action: 'openstack:tenant:members',
          name: 'Set the members',
          input: {
            tenantId: '2f0c5b8e-3a51-4a4e-9d0e-6c1f5d7a9b11',
            members: [
              { euid: '1a2b3c4d5e6f@egi.eu', role: 'admin' },
              { euid: '9f8e7d6c5b4a@egi.eu', role: 'reader' },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'After openstack:tenant:request, members from a second form page',
    example: yaml.stringify({
      steps: [
        {
          id: 'members',
          action: 'openstack:tenant:members',
          name: 'Set the members',
          input: {
            tenantId: '${{ steps.tenant.output.tenantId }}',
            members: '${{ parameters.members }}',
          },
        },
      ],
    }),
  },
];
