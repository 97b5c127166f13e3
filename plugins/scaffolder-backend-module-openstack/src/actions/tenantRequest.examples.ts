import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Shown on the scaffolder's actions page (/create/actions). */
export const examples: TemplateExample[] = [
  {
    description:
      "Request a project for a workspace on a site, in a landing zone, with the landing zone's quotas",
    example: yaml.stringify({
      steps: [
        {
          id: 'tenant',
          action: 'openstack:tenant:request',
          name: 'Request the tenant',
          input: {
            workspace: 'group:default/team-a',
            site: 'resource:default/site-a',
            project: 'analysis',
            landingZone: 'standard',
          },
        },
      ],
      output: {
        links: [
          { title: 'Tenant', url: '${{ steps.tenant.output.tenantUrl }}' },
        ],
      },
    }),
  },
  {
    description:
      "From a template's form: members with roles, quotas above the landing zone's (more than its auto-approval waits for an approver)",
    example: yaml.stringify({
      steps: [
        {
          id: 'tenant',
          action: 'openstack:tenant:request',
          name: 'Request the tenant',
          input: {
            workspace: '${{ parameters.workspace }}',
            site: '${{ parameters.site }}',
            project: '${{ parameters.project }}',
            landingZone: '${{ parameters.landingZone }}',
            description: '${{ parameters.description }}',
            members: [
              { euid: '1a2b3c4d5e6f@egi.eu', role: 'admin' },
              { euid: '9f8e7d6c5b4a@egi.eu', role: 'user' },
            ],
            quotas: {
              compute: { cores: 16, ram: 32768 },
              blockStorage: { gigabytes: 200 },
            },
          },
        },
      ],
    }),
  },
];
