import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { OpenStackHttp } from '@fedstack/plugin-openstack-node';
import { OpenStackSiteProvider } from './OpenStackSiteProvider';
import { FolderSiteSource, SiteSource, UrlSiteSource } from './sources';
import {
  capturingLogger,
  fakeConnection,
  FakeConnection,
  serveFiles,
  TestServer,
} from './testHelpers';

// Site files in the format of EGI-Federation/fedcloud-catchall-operations `sites/*.yaml`
// (its README and schema.json): a file format, so writing them here is faithful. The first is
// shaped like that repository's IFCA-LCG2.yaml (list form of `vos`, a commented-out VO, a
// trailing slash on the endpoint); the second uses every optional key of schema.json; the third
// the older mapping form of `vos` that repository's early files used.
const IFCA = `---
gocdb: IFCA-LCG2
endpoint: https://api.cloud.ifca.es:5000/v3/
vos:
# VO decommissioned
#- name: acc-comp.egi.eu
#  auth:
#    project_id: 403847ab342247b89b0ba2ede2c82b39
- name: dteam
  auth:
    project_id: 5eb8959a799240a98f4f303f5fbd80be
- name: ops
  auth:
    project_id: a372c1e2fba040e58fd0cb524a3ccd34
- name: /vo.lifewatch.eu/openbiomap
  auth:
    project_id: ac7bc26131d248ecb6add521e648c331
`;

const FULL = `gocdb: CESNET-MCC
endpoint: https://identity.cloud.muni.cz/v3
region: brno1
protocol: oidc
images:
  sync: true
  formats:
    - qcow2
    - raw
accounting:
  enabled: true
  site_name: CESNET-MCC
vos:
- auth:
    project_id: 10b972eed97940089b234f6257d7db72
  name: demo.fedcloud.egi.eu
  defaultNetwork: private
  publicNetwork: public-muni-147-251-124-GROUP
- auth:
    project_id: 0aa5b696969c42988b18beda3f85b885
  name: dteam
`;

const LEGACY = `gocdb: SCAI
endpoint: https://fc.scai.fraunhofer.de:5000/v3
vos:
  fedcloud.egi.eu:
    auth:
      project_id: 162ecb7fe3ee450ca436935f87662858
`;

const SETTINGS = {
  credentials: 'egi-reader',
  profiles: ['egi-fedcloud'],
  owner: 'group:default/egi-operations',
};

function byName(connection: FakeConnection): Map<string, Entity> {
  const mutation = connection.mutations[connection.mutations.length - 1];
  expect(mutation.type).toBe('full');
  const entities =
    mutation.type === 'full' ? mutation.entities.map(e => e.entity) : [];
  return new Map(entities.map(e => [e.metadata.name, e]));
}

async function refreshWith(source: SiteSource) {
  const logger = capturingLogger();
  const provider = new OpenStackSiteProvider({
    id: 'catchall',
    source,
    settings: SETTINGS,
    logger,
  });
  const connection = fakeConnection();
  await provider.connect(connection);
  const summary = await provider.refresh();
  return { logger, connection, summary, provider };
}

describe('OpenStackSiteProvider, folder of site files', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'fedstack-sites-'));
  });

  afterEach(async () => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  const write = (name: string, text: string) =>
    fs.writeFile(path.join(folder, name), text);

  it('imports each site file as an openstack-site Resource', async () => {
    await write('IFCA-LCG2.yaml', IFCA);
    await write('CESNET-MCC.yaml', FULL);
    await write('SCAI.yml', LEGACY);
    await write('README.md', '# not a site file');

    const { connection, summary, logger, provider } = await refreshWith(
      new FolderSiteSource(folder),
    );

    expect(provider.getProviderName()).toBe('OpenStackSiteProvider:catchall');
    expect(summary.problems).toEqual([]);
    expect(logger.warnings()).toEqual([]);
    const entities = byName(connection);
    expect([...entities.keys()].sort()).toEqual([
      'cesnet-mcc',
      'ifca-lcg2',
      'scai',
    ]);
    expect(
      connection.mutations[0].type === 'full' &&
        connection.mutations[0].entities[0].locationKey,
    ).toBe('OpenStackSiteProvider:catchall');

    const ifca = entities.get('ifca-lcg2')!;
    const ifcaFile = path.join(folder, 'IFCA-LCG2.yaml');
    expect(ifca).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'ifca-lcg2',
        title: 'IFCA-LCG2',
        description:
          'OpenStack site IFCA-LCG2, from the site file IFCA-LCG2.yaml',
        annotations: {
          'backstage.io/managed-by-location': `file:${ifcaFile}`,
          'backstage.io/managed-by-origin-location': `file:${ifcaFile}`,
          'openstack.fedstack.io/keystone-url':
            'https://api.cloud.ifca.es:5000/v3/',
          'openstack.fedstack.io/gocdb-name': 'IFCA-LCG2',
          'openstack.fedstack.io/profiles': 'egi-fedcloud',
          'openstack.fedstack.io/credentials': 'egi-reader',
          'openstack.fedstack.io/vos': 'dteam,ops,/vo.lifewatch.eu/openbiomap',
        },
      },
      spec: { type: 'openstack-site', owner: 'group:default/egi-operations' },
    });

    const cesnet = entities.get('cesnet-mcc')!.metadata.annotations!;
    expect(cesnet['openstack.fedstack.io/region']).toBe('brno1');
    expect(cesnet['openstack.fedstack.io/keystone-url']).toBe(
      'https://identity.cloud.muni.cz/v3',
    );
    expect(cesnet['openstack.fedstack.io/vos']).toBe(
      'demo.fedcloud.egi.eu,dteam',
    );

    const scai = entities.get('scai')!.metadata.annotations!;
    expect(scai['openstack.fedstack.io/vos']).toBe('fedcloud.egi.eu');
    expect(scai['openstack.fedstack.io/region']).toBeUndefined();
  });

  it('leaves a malformed file out, names it and the field, and keeps the others', async () => {
    await write('IFCA-LCG2.yaml', IFCA);
    await write('CESNET-MCC.yaml', FULL);
    await write(
      'BAD-URL.yaml',
      'gocdb: BAD-URL\nendpoint: ftp://x.example/v3\n',
    );
    await write('NO-ENDPOINT.yaml', 'gocdb: NO-ENDPOINT\nvos: []\n');
    await write('BROKEN.yaml', 'gocdb: BROKEN\nendpoint: [unclosed\n');

    const { connection, summary, logger } = await refreshWith(
      new FolderSiteSource(folder),
    );

    expect([...byName(connection).keys()].sort()).toEqual([
      'cesnet-mcc',
      'ifca-lcg2',
    ]);
    expect(summary.entities).toBe(2);
    const warnings = logger.warnings();
    expect(warnings).toHaveLength(3);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /BAD-URL\.yaml: endpoint: must be an http or https URL/,
      ),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/NO-ENDPOINT\.yaml: endpoint: is missing/),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/BROKEN\.yaml: not valid YAML/),
    );
    for (const warning of warnings) {
      expect(warning).toContain(folder);
      expect(warning).toMatch(/left out$/);
    }
  });

  it('gives sites that share a GOCDB name their file names', async () => {
    // As IISAS-FedCloud-cloud.yaml and IISAS-FedCloud-nova.yaml do in the catchall repository.
    await write(
      'IISAS-FedCloud-cloud.yaml',
      'gocdb: IISAS-FedCloud\nendpoint: https://cloud.ui.savba.sk:5000/v3/\n',
    );
    await write(
      'IISAS-FedCloud-nova.yaml',
      'gocdb: IISAS-FedCloud\nendpoint: https://keystone3.ui.savba.sk:5000/v3/\n',
    );
    const { connection } = await refreshWith(new FolderSiteSource(folder));
    const entities = byName(connection);
    expect([...entities.keys()].sort()).toEqual([
      'iisas-fedcloud-cloud',
      'iisas-fedcloud-nova',
    ]);
    expect(entities.get('iisas-fedcloud-nova')!.metadata.title).toBe(
      'IISAS-FedCloud (IISAS-FedCloud-nova)',
    );
  });

  it('changes nothing when the folder cannot be read', async () => {
    const logger = capturingLogger();
    const provider = new OpenStackSiteProvider({
      id: 'gone',
      source: new FolderSiteSource(path.join(folder, 'missing')),
      settings: SETTINGS,
      logger,
    });
    const connection = fakeConnection();
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(/cannot list/);
    expect(connection.mutations).toEqual([]);
    expect(logger.lines.some(l => l.level === 'error')).toBe(true);
  });

  it('refuses to refresh before the catalog connects it', async () => {
    const provider = new OpenStackSiteProvider({
      id: 'early',
      source: new FolderSiteSource(folder),
      settings: SETTINGS,
      logger: capturingLogger(),
    });
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });
});

describe('OpenStackSiteProvider, site files at a URL', () => {
  let server: TestServer;
  let http: OpenStackHttp;

  beforeEach(() => {
    http = new OpenStackHttp({ timeoutMs: 5_000 });
  });

  afterEach(async () => {
    http.close();
    await server?.close();
  });

  it('reads an index of file names and fetches each file', async () => {
    server = await serveFiles({
      '/sites/index.txt':
        '# the catchall sites\nIFCA-LCG2.yaml\nCESNET-MCC.yaml\nGONE.yaml\nBROKEN.yaml\nREADME.md\n',
      '/sites/IFCA-LCG2.yaml': IFCA,
      '/sites/CESNET-MCC.yaml': FULL,
      '/sites/BROKEN.yaml': 'gocdb: BROKEN\nendpoint: not a url\n',
    });
    const indexUrl = `${server.url}/sites/index.txt`;
    const { connection, logger } = await refreshWith(
      new UrlSiteSource(indexUrl, http),
    );

    const entities = byName(connection);
    expect([...entities.keys()].sort()).toEqual(['cesnet-mcc', 'ifca-lcg2']);
    const ifca = entities.get('ifca-lcg2')!.metadata.annotations!;
    expect(ifca['backstage.io/managed-by-location']).toBe(
      `url:${server.url}/sites/IFCA-LCG2.yaml`,
    );
    expect(ifca['openstack.fedstack.io/keystone-url']).toBe(
      'https://api.cloud.ifca.es:5000/v3/',
    );
    const warnings = logger.warnings();
    expect(warnings).toHaveLength(2);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /GONE\.yaml: listed in .* but not found \(HTTP 404\)/,
      ),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /BROKEN\.yaml: endpoint: must be an http or https URL/,
      ),
    );
    // README.md is not a site file, so it is not even fetched.
    expect(server.requests).not.toContain('/sites/README.md');
  });

  it('reads a YAML list index', async () => {
    server = await serveFiles({
      '/index.yaml': '- sites/IFCA-LCG2.yaml\n- sites/SCAI.yaml\n',
      '/sites/IFCA-LCG2.yaml': IFCA,
      '/sites/SCAI.yaml': LEGACY,
    });
    const { connection } = await refreshWith(
      new UrlSiteSource(`${server.url}/index.yaml`, http),
    );
    expect([...byName(connection).keys()].sort()).toEqual([
      'ifca-lcg2',
      'scai',
    ]);
  });

  it('reads a single site file', async () => {
    server = await serveFiles({ '/CESNET-MCC.yaml': FULL });
    const { connection } = await refreshWith(
      new UrlSiteSource(`${server.url}/CESNET-MCC.yaml`, http),
    );
    const entities = byName(connection);
    expect([...entities.keys()]).toEqual(['cesnet-mcc']);
    expect(
      entities.get('cesnet-mcc')!.metadata.annotations![
        'backstage.io/managed-by-origin-location'
      ],
    ).toBe(`url:${server.url}/CESNET-MCC.yaml`);
  });

  it('changes nothing when the index cannot be fetched', async () => {
    server = await serveFiles({});
    const logger = capturingLogger();
    const provider = new OpenStackSiteProvider({
      id: 'url',
      source: new UrlSiteSource(`${server.url}/index.txt`, http),
      settings: SETTINGS,
      logger,
    });
    const connection = fakeConnection();
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(/HTTP 404/);
    expect(connection.mutations).toEqual([]);
  });
});
