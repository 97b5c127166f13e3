import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSiteFromEntity } from '@fedstack/plugin-openstack-common';
import { siteEntities } from './entities';
import { KNOWN_KEYS } from './siteFile';
import { FolderSiteSource } from './sources';

/*
 * Every site file of EGI-Federation/fedcloud-catchall-operations `sites/` and its schema.json,
 * at the commit named in the node library's fixtures/real-world/catchall-sites/README.md, plus
 * two older files that show keys the current ones no longer use (an accounting site name, the
 * oidc protocol), all through the importer as the entity provider reads a folder.
 */
const CATCHALL = path.resolve(
  __dirname,
  '../../openstack-node/fixtures/real-world/catchall-sites',
);
const SITES = path.join(CATCHALL, 'sites');
const SETTINGS = {
  credentials: 'egi-reader',
  profiles: ['egi-fedcloud'],
  owner: 'group:default/egi-operations',
};

async function importFolder(folder: string) {
  const read = await new FolderSiteSource(folder).read();
  const { entities, problems } = siteEntities(read.sites, SETTINGS);
  return { read, entities, problems };
}

describe('the site-file importer on every current catchall site file', () => {
  const files = fs.readdirSync(SITES).filter(name => name.endsWith('.yaml'));

  it('has the 25 files of the named commit', () => {
    expect(files).toHaveLength(25);
  });

  it('loses no site and logs no key of the schema as unknown', async () => {
    const { read, entities, problems } = await importFolder(SITES);
    expect(read.problems).toEqual([]);
    expect(problems).toEqual([]);
    expect(read.notes).toEqual([]);
    expect(entities).toHaveLength(files.length);
    for (const entity of entities) {
      expect(readSiteFromEntity(entity).ok).toBe(true);
    }
    // Two files share `gocdb: fedcloud.srce.hr`: each keeps its own entity, by file name.
    expect(
      entities
        .filter(e => e.metadata.title?.startsWith('fedcloud.srce.hr'))
        .map(e => e.metadata.name)
        .sort(),
    ).toEqual(['fedcloud.srce.hr', 'fedcloud.srce.hr-2']);
  });

  it('knows exactly the top-level keys the schema allows (auth, not auth_type)', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(CATCHALL, 'schema.json'), 'utf8'),
    );
    expect(schema.additionalProperties).toBe(false);
    expect([...KNOWN_KEYS].sort()).toEqual(
      Object.keys(schema.properties).sort(),
    );
  });

  it("keeps CREODIAS's per-VO region (auth.region) and its auth method", async () => {
    const { entities } = await importFolder(SITES);
    const creodias = entities.find(e => e.metadata.name === 'creodias')!;
    expect(creodias.metadata.annotations).toMatchObject({
      'openstack.fedstack.io/region': 'WAW4-1',
      'openstack.fedstack.io/vos': 'ops,vo.eosc-data-commons.eu',
    });
  });

  it('emits the protocol a site file declares (INFN-CLOUD-BARI: openid)', async () => {
    const { entities } = await importFolder(SITES);
    const bari = entities.find(e => e.metadata.name === 'infn-cloud-bari')!;
    expect(
      bari.metadata.annotations?.['openstack.fedstack.io/federation-protocol'],
    ).toBe('openid');
  });
});

describe('the site-file importer on older catchall files (history/)', () => {
  let folder: string;
  beforeAll(() => {
    // The file names carry the commit; the importer names entities after the GOCDB name.
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'catchall-history-'));
    for (const name of fs.readdirSync(path.join(CATCHALL, 'history'))) {
      fs.copyFileSync(
        path.join(CATCHALL, 'history', name),
        path.join(folder, name.replace(/@\w+/, '')),
      );
    }
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("emits accounting.site_name (TR-FC1-ULAKBIM's records under EGI-NOTEBOOKS) and protocol: oidc", async () => {
    const { read, entities, problems } = await importFolder(folder);
    expect([read.problems, problems, read.notes]).toEqual([[], [], []]);
    const ulakbim = entities.find(e => e.metadata.name === 'tr-fc1-ulakbim')!;
    expect(
      ulakbim.metadata.annotations?.['openstack.fedstack.io/accounting-name'],
    ).toBe('EGI-NOTEBOOKS');
    const bari = entities.find(e => e.metadata.name === 'infn-cloud-bari')!;
    expect(
      bari.metadata.annotations?.['openstack.fedstack.io/federation-protocol'],
    ).toBe('oidc');
    // And the site registry reads them into the site descriptor the scan uses.
    const descriptor = readSiteFromEntity(ulakbim);
    expect(descriptor.ok && descriptor.site.accountingName).toBe(
      'EGI-NOTEBOOKS',
    );
  });
});
