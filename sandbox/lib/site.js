'use strict';
// What the sandbox sites hold: one place for seed, verify and record to agree on.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

// site-a lives on 127.0.0.1, site-b on 127.0.0.2: both with the default ports. site-b has a Nova
// API of its own (nova-api-b); its other service endpoints are TCP forwarders to site-a's
// services (sandbox/start).
const HOST_A = 'http://127.0.0.1';
const HOST_B = 'http://127.0.0.2';
const SITES = {
  a: {
    name: 'site-a',
    host: HOST_A,
    keystoneUrl: `${HOST_A}:5000/v3`,
    region: 'RegionOne',
    serviceUsers: ['glance', 'nova', 'cinder', 'neutron', 'swift'],
    resources: true,
    meteringSystemReader: true,
  },
  b: {
    name: 'site-b',
    host: HOST_B,
    keystoneUrl: `${HOST_B}:5000/v3`,
    region: 'RegionTwo',
    // Its own Nova API (nova-api-b) needs its service user; the other services are site-a's.
    serviceUsers: ['nova'],
    resources: false,
    ownNova: true,
    meteringSystemReader: false,
  },
};

// Public endpoints a site's catalog lists.
function serviceUrls(host) {
  return {
    compute: `${host}:8774/v2.1`,
    computeAlt: `${host}:18774/v2.1`, // defect nonstandard-compute-port (forwarder to site-b's Nova)
    volumev3: `${host}:8776/v3/%(project_id)s`,
    image: `${host}:9292`,
    network: `${host}:9696`,
    objectStore: `${host}:8080/v1/AUTH_%(project_id)s`,
    deadOrchestration: `${host}:8004/v1/%(project_id)s`, // defect unreachable-endpoint: Heat's port, nothing listens
  };
}
const SERVICE_URLS = serviceUrls(HOST_A);

const IDP = 'egi.eu';
const ISSUER = 'https://aai.egi.eu/auth/realms/egi';
const MAPPING_ID = 'egi-mapping';
const entitlement = vo =>
  `urn:mace:egi.eu:group:${vo}:role=vm_operator#aai.egi.eu`;

// VO projects: ops is mandatory, vo.access.egi.eu is the community VO.
const VOS = [
  { name: 'ops', project: 'ops', group: 'ops', community: false },
  {
    name: 'vo.access.egi.eu',
    project: 'vo.access.egi.eu',
    group: 'vo.access.egi.eu',
    community: true,
  },
];
const MISSING_VO = {
  name: 'vo.missing.egi.eu',
  project: 'vo.missing.egi.eu',
  group: 'vo.missing.egi.eu',
  community: true,
};

// A mapping rule as EGI documents it: user name {0} of HTTP_OIDC_SUB, issuer guard, entitlement
// regex. The ops rule names its group by id (as in EGI's docs), the others by name + domain,
// so consumers see both forms Keystone accepts.
function mappingRule(vo, group, { issuerGuard }) {
  const groupRef =
    vo.name === 'ops' && group
      ? { id: group.id }
      : { name: vo.group, domain: { id: 'default' } };
  const remote = [{ type: 'HTTP_OIDC_SUB' }];
  if (issuerGuard) remote.push({ type: 'HTTP_OIDC_ISS', any_one_of: [ISSUER] });
  remote.push({
    type: 'HTTP_OIDC_EDUPERSON_ENTITLEMENT',
    regex: true,
    any_one_of: [`^${escapeRegex(entitlement(vo.name))}$`],
  });
  return {
    local: [{ user: { name: '{0}', type: 'ephemeral' }, group: groupRef }],
    remote,
  };
}
// site-b's mapping, with its mapping defects. mapping-admits-everyone adds a rule that lets
// every VO's vm_operator into the ops group (the regex pins no VO); mapping-no-ops-rule leaves
// ops out (the monitoring cannot log in).
const CATCH_ALL_ENTITLEMENT =
  '^urn:mace:egi\\.eu:group:.+:role=vm_operator#aai\\.egi\\.eu$';
function siteMappingRules(vos, voGroups, has) {
  const issuerGuard = !has('mapping-no-issuer-guard');
  const rules = vos
    .filter(vo => !(vo.name === 'ops' && has('mapping-no-ops-rule')))
    .map(vo => mappingRule(vo, voGroups[vo.name], { issuerGuard }));
  if (has('mapping-missing-group'))
    rules.push(mappingRule(MISSING_VO, null, { issuerGuard }));
  if (has('mapping-admits-everyone') && voGroups.ops) {
    const remote = [{ type: 'HTTP_OIDC_SUB' }];
    if (issuerGuard)
      remote.push({ type: 'HTTP_OIDC_ISS', any_one_of: [ISSUER] });
    remote.push({
      type: 'HTTP_OIDC_EDUPERSON_ENTITLEMENT',
      regex: true,
      any_one_of: [CATCH_ALL_ENTITLEMENT],
    });
    rules.push({
      local: [
        {
          user: { name: '{0}', type: 'ephemeral' },
          group: { id: voGroups.ops.id },
        },
      ],
      remote,
    });
  }
  return rules;
}

// A VO project's attributes: ops loses its VO property (ops-no-vo-property) or is disabled
// (ops-project-disabled) on site-b.
function voProjectAttributes(vo, has) {
  const ops = vo.name === 'ops';
  return {
    description: `EGI VO ${vo.name}`,
    'egi.VO': ops && has('ops-no-vo-property') ? null : vo.name,
    enabled: !(ops && has('ops-project-disabled')),
  };
}

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Federated users as Keystone names them at first login: <32 hex>@egi.eu (stable across seeds).
const FEDERATED_USERS = ['alice', 'bob', 'carol'].map(
  n =>
    `${crypto.createHash('md5').update(`fedstack-${n}`).digest('hex')}@egi.eu`,
);
const BAD_FEDERATED_USERS = ['jdoe', 'alice.smith'];

const ACCOUNTS = [
  {
    name: 'replicator',
    passwordVar: 'FEDSTACK_SANDBOX_REPLICATOR_PASSWORD',
    defaultPassword: 'replicator-secret',
    description: 'Tenant replication (admin on the admin project)',
  },
  {
    name: 'metering',
    passwordVar: 'FEDSTACK_SANDBOX_METERING_PASSWORD',
    defaultPassword: 'metering-secret',
    description: 'Metering (reader on every project)',
  },
  {
    name: 'accounting',
    passwordVar: 'FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD',
    defaultPassword: 'accounting-secret',
    description: 'cASO-like accounting (reader on VO projects, system reader)',
  },
  {
    // What a federation gives fedstack to read a site: no admin anywhere. Keystone's identity
    // reads (federation, role assignments, users, projects) want a system-scoped reader token;
    // Nova, Glance, Cinder and Neutron take project-scoped tokens only, hence reader on admin.
    name: 'site-reader',
    passwordVar: 'FEDSTACK_SANDBOX_SITE_READER_PASSWORD',
    defaultPassword: 'site-reader-secret',
    description:
      'Read-only site reader (system reader, reader on project admin)',
  },
  {
    name: 'ops-demo',
    passwordVar: 'FEDSTACK_SANDBOX_DEMO_PASSWORD',
    defaultPassword: 'demo-secret',
    description:
      'Local member of the ops VO group (owns the sandbox resources)',
  },
];
const SERVICE_USERS = SITES.a.serviceUsers;

const FLAVORS = [
  { name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
  { name: 'm1.monitoring', vcpus: 1, ram: 2048, disk: 10 },
];
const IMAGE = {
  name: 'egi-probe-image',
  disk_format: 'raw',
  container_format: 'bare',
  visibility: 'public',
  os_distro: 'ubuntu',
  os_version: '22.04',
};
const SERVER = {
  name: 'monitoring-probe-vm',
  flavor: 'm1.monitoring',
  // What EGI's Infrastructure Manager puts on the VMs it creates.
  metadata: {
    'eu.egi.cloud.orchestrator': 'es.upv.grycap.im',
    'eu.egi.cloud.orchestrator.id': '0afdc7ba-bf5d-11ed-9e89-86ce117c3fcf',
    'eu.egi.cloud.orchestrator.url': 'https://appsgrycap.i3m.upv.es:31443/im',
    'eu.egi.cloud.orchestrator.user': '__OPENID__sandbox',
  },
};
// site-b: one server per VO project in its own Nova, running since N days (sandbox/seed).
const VO_SERVER = {
  name: 'worker',
  flavor: 'm1.small',
  launched_days_ago: 3,
  metadata: {},
};
// The metadata key marking the servers sandbox/lib/nova-b-servers.py wrote.
const SEEDED_SERVER_MARK = 'fedstack.sandbox';
const VOLUME = {
  name: 'ops-data',
  size: 1,
  description: 'sandbox volume (stays in creating: no volume service)',
};
const CONTAINER = 'ops-backups';

const DEFECTS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'defects.json'), 'utf8'),
).defects;

module.exports = {
  SITES,
  SERVICE_URLS,
  serviceUrls,
  IDP,
  ISSUER,
  MAPPING_ID,
  entitlement,
  VOS,
  MISSING_VO,
  mappingRule,
  siteMappingRules,
  voProjectAttributes,
  CATCH_ALL_ENTITLEMENT,
  FEDERATED_USERS,
  BAD_FEDERATED_USERS,
  ACCOUNTS,
  SERVICE_USERS,
  FLAVORS,
  IMAGE,
  SERVER,
  VO_SERVER,
  SEEDED_SERVER_MARK,
  VOLUME,
  CONTAINER,
  DEFECTS,
};
