import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvidenceRecorder } from '../client/evidence';
import { OpenStackHttp } from '../client/http';
import { LocalServer, startLocalServer } from '../testing/localServer';
import {
  AccountedSite,
  AccountingPortalSource,
  CasoSpoolSource,
  lastrunSchema,
  portalColumnsWithUsage,
  portalRow,
  portalTableSchema,
} from './accounting';
import { portalTable } from './generatedDocuments';

const NOW = new Date('2026-11-23T18:00:00Z');
const DAY = 86_400_000;

const site: AccountedSite = {
  name: 'EXAMPLE-CLOUD',
  projects: [
    { id: 'f42fad5b8d4b450b931f936d227e6e53', name: 'ops', vo: 'ops' },
    {
      id: 'c21e15992b074fd186d922187ad95ea2',
      name: 'vo.access.egi.eu',
      vo: 'vo.access.egi.eu',
    },
    { id: '0aa1c3a7c2c84cdfa0c1d5d6b7a9e001', name: 'biomed', vo: 'biomed' },
  ],
};

/**
 * What cASO writes to `<spooldir>/lastrun.<project>` after extracting a project:
 * Python's `str(datetime.datetime.now(tz.tzutc()))` (caso/extract/manager.py, write_lastrun):
 * `YYYY-MM-DD HH:MM:SS.ffffff+00:00`, no newline, the fraction left out when it is zero.
 */
function casoTimestamp(date: Date, microseconds = 0): string {
  const iso = date.toISOString();
  const fraction =
    date.getUTCMilliseconds() * 1000 + microseconds
      ? `.${String(date.getUTCMilliseconds() * 1000 + microseconds).padStart(
          6,
          '0',
        )}`
      : '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}

function writeSpool(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
}

describe('lastrunSchema (cASO lastrun files)', () => {
  it.each([
    ['2026-11-23 18:47:35.143021+00:00', '2026-11-23T18:47:35.143Z'],
    ['2026-11-23 18:47:35+00:00', '2026-11-23T18:47:35.000Z'],
    // Written by older cASO without a zone: cASO reads it as UTC.
    ['2014-12-10 13:10:26.664598', '2014-12-10T13:10:26.664Z'],
    ['1999-12-11', '1999-12-11T00:00:00.000Z'],
    ['2026-11-23 20:47:35.5+02:00\n', '2026-11-23T18:47:35.500Z'],
  ])('reads %j', (text, iso) => {
    const parsed = lastrunSchema.safeParse(text);
    expect(parsed.success && parsed.data.toISOString()).toBe(iso);
  });

  it.each(['foo', '', '2026-13-45 99:99:99', 'invalid-date-format'])(
    'refuses %j',
    text => {
      expect(lastrunSchema.safeParse(text).success).toBe(false);
    },
  );
});

describe('CasoSpoolSource', () => {
  let dir: string;
  let server: LocalServer;
  let http: OpenStackHttp;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caso-spool-'));
    writeSpool(dir, {
      // Extracted by id (projects tagged `caso`), 2 and 10 days ago.
      [`lastrun.${site.projects[0].id}`]: casoTimestamp(
        new Date(NOW.getTime() - 2 * DAY),
        21,
      ),
      // cASO's `projects` option named this one.
      'lastrun.vo.access.egi.eu': casoTimestamp(
        new Date(NOW.getTime() - 10 * DAY),
      ),
      // Not a VO project of the site: ignored.
      'lastrun.someone-else': casoTimestamp(NOW),
      // cASO's own spool holds record files too.
      'ssm.outgoing': '',
    });
    // The spool exposed over http, as a static file server does: 404 for a missing file.
    server = await startLocalServer((req, res) => {
      const name = decodeURIComponent(
        (req.url ?? '/').replace(/^\/spool\//, ''),
      );
      const file = path.join(dir, path.basename(name));
      if (!req.url?.startsWith('/spool/') || !fs.existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fs.readFileSync(file));
    });
    http = new OpenStackHttp({ timeoutMs: 2000 });
  });
  afterAll(async () => {
    http.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe.each(['folder', 'http'] as const)('read from a %s', over => {
    const source = () =>
      new CasoSpoolSource(over === 'folder' ? dir : `${server.url}/spool/`, {
        http,
        now: () => NOW,
      });

    it(`finds the newest lastrun of the site's projects (${over})`, async () => {
      const recorder = new EvidenceRecorder();
      const newest = await new CasoSpoolSource(
        over === 'folder' ? dir : `${server.url}/spool/`,
        { http, recorder },
      ).newestRecord(site);
      expect(newest.ok).toBe(true);
      if (!newest.ok) return;
      expect(newest.date?.toISOString()).toBe(
        new Date(NOW.getTime() - 2 * DAY).toISOString(),
      );
      expect(newest.granularity).toBe('instant');
      expect(newest.vos).toEqual(['ops', 'vo.access.egi.eu']);
      expect(newest.details?.projects).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ project: 'biomed', missing: true }),
        ]),
      );
      // Every read is evidence: by id, then by name for projects not found by id.
      expect(recorder.evidence.map(e => e.url.split(/[\\/]/).pop())).toEqual(
        expect.arrayContaining([
          `lastrun.${site.projects[0].id}`,
          `lastrun.${site.projects[1].id}`,
          'lastrun.vo.access.egi.eu',
          'lastrun.biomed',
        ]),
      );
    });

    it(`answers for one VO (${over})`, async () => {
      const newest = await source().newestRecord(site, 'vo.access.egi.eu');
      expect(newest.ok && newest.date?.toISOString()).toBe(
        new Date(NOW.getTime() - 10 * DAY).toISOString(),
      );
      const none = await source().newestRecord(site, 'biomed');
      expect(none.ok && none.date).toBeUndefined();
    });

    it(`lists the VOs extracted since a period began (${over})`, async () => {
      const vos = await source().accountedVos(site, {
        start: new Date(NOW.getTime() - 5 * DAY),
        end: NOW,
      });
      expect(vos.ok && vos.vos).toEqual(['ops']);
      expect(vos.ok && vos.projects).toEqual([site.projects[0].id]);
    });
  });

  it('reports a spool folder that is not there', async () => {
    const newest = await new CasoSpoolSource(path.join(dir, 'nowhere'), {
      http,
    }).newestRecord(site);
    expect(!newest.ok && newest.reason).toContain('cannot be read');
  });

  it('reports a spool it cannot read instead of guessing', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'caso-spool-bad-'));
    try {
      writeSpool(broken, {
        [`lastrun.${site.projects[0].id}`]: 'invalid-date-format',
      });
      const newest = await new CasoSpoolSource(broken, { http }).newestRecord({
        ...site,
        projects: [site.projects[0]],
      });
      expect(newest.ok).toBe(false);
      expect(!newest.ok && newest.reason).toContain(
        'not a cASO lastrun timestamp',
      );
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});

// The portal's answers here are generated (see generatedDocuments.ts): the only recorded answers
// found are of another shape (REGION by Year, fixtures/real-world/accounting-portal), read below.

describe('AccountingPortalSource (generated SITE tables)', () => {
  let server: LocalServer;
  let http: OpenStackHttp;
  const answers = new Map<string, unknown>();

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = req.url ?? '/';
      // The portal redirects summary URLs on its own host; the source follows that.
      if (url.startsWith('/redirected/')) {
        res.writeHead(302, { location: url.replace('/redirected/', '/') });
        res.end();
        return;
      }
      const key = [...answers.keys()].find(k => url.includes(k));
      if (!key) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>not found</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers.get(key)));
    });
    http = new OpenStackHttp({ timeoutMs: 2000 });
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });

  it('asks in the portal URL style and finds the newest month with usage', async () => {
    answers.set(
      '/SITE/DATE/',
      portalTable('SITE', 'DATE', {
        'EXAMPLE-CLOUD': { '2026-09': 1200.5, '2026-10': 980, '2026-11': 0 },
        'OTHER-SITE': { '2026-11': 50 },
      }),
    );
    const source = new AccountingPortalSource(`${server.url}/redirected`, {
      http,
      now: () => NOW,
    });
    const newest = await source.newestRecord(site);
    expect(newest.ok).toBe(true);
    if (!newest.ok) return;
    expect(newest.where).toBe(
      `${server.url}/redirected/cloud/sum_elap_processors/SITE/DATE/2025/11/2026/11/all/onlyinfrajobs/JSON/`,
    );
    // October is the newest month with records: its last moment.
    expect(newest.date?.toISOString()).toBe('2026-10-31T23:59:59.999Z');
    expect(newest.granularity).toBe('month');
    expect(newest.evidence.map(e => e.status)).toEqual([302, 200]);
  });

  it('asks for one VO with the custom-<vo> selector', async () => {
    const source = new AccountingPortalSource(server.url, {
      http,
      now: () => NOW,
    });
    await source.newestRecord(site, 'ops');
    expect(server.requests[server.requests.length - 1].url).toContain(
      '/SITE/DATE/2025/11/2026/11/custom-ops/onlyinfrajobs/JSON/',
    );
  });

  it('says when the site has no record, and lists accounted VOs', async () => {
    answers.set(
      '/SITE/VO/',
      portalTable('SITE', 'VO', {
        'EXAMPLE-CLOUD': { ops: 12.5, 'vo.access.egi.eu': 300, biomed: 0 },
      }),
    );
    const source = new AccountingPortalSource(server.url, {
      http,
      now: () => NOW,
    });
    const vos = await source.accountedVos(site, {
      start: new Date(NOW.getTime() - 30 * DAY),
      end: NOW,
    });
    expect(vos.ok && vos.vos).toEqual(['ops', 'vo.access.egi.eu']);
    const unknown = await source.newestRecord({ ...site, name: 'NOT-THERE' });
    expect(unknown.ok && unknown.date).toBeUndefined();
  });

  it('refuses a table of another shape', async () => {
    answers.set(
      '/SITE/DATE/',
      portalTable('VO', 'DATE', { ops: { '2026-11': 1 } }),
    );
    const source = new AccountingPortalSource(server.url, {
      http,
      now: () => NOW,
    });
    const newest = await source.newestRecord(site);
    expect(newest.ok).toBe(false);
    expect(!newest.ok && newest.reason).toContain('not SITE by DATE');
    answers.set('/SITE/DATE/', { not: 'a table' });
    const garbled = await source.newestRecord(site);
    expect(!garbled.ok && garbled.reason).toContain('unexpected answer');
  });
});

describe('recorded portal answers (fixtures/real-world/accounting-portal)', () => {
  const DIR = path.resolve(
    __dirname,
    '../../fixtures/real-world/accounting-portal',
  );
  const read = (vo: string): unknown =>
    JSON.parse(
      fs.readFileSync(
        path.join(DIR, `okrs-REGION-Year-2025-01-2025-02-${vo}.json`),
        'utf8',
      ),
    );
  const VOS = ['vo.usegalaxy.eu', 'eiscat.se'];

  it.each(VOS)(
    'reads the table of %s: its rows, not the totals or legends',
    vo => {
      const parsed = portalTableSchema.safeParse(read(vo));
      expect(parsed.success).toBe(true);
      if (!parsed.success) return;
      const table = parsed.data;
      // ylegend's year is a number in the real answer, not a string.
      expect(table.find(row => row.id === 'ylegend')?.['0']).toBe(2025);
      const rows = table.find(row => row.id === 'xlegend')!;
      const ids = Object.entries(rows)
        .filter(([key]) => key !== 'id')
        .map(([, id]) => String(id));
      expect(ids.length).toBeGreaterThan(1);
      for (const id of ids) {
        const row = portalRow(table, id);
        expect(row?.id).toBe(id);
        // The year with usage; not Total or Percent, numbers too.
        expect(portalColumnsWithUsage(row!)).toEqual(['2025']);
      }
      // Ignoring case, as a site's name may be written otherwise in GOCDB.
      expect(portalRow(table, ids[0].toLowerCase())?.id).toBe(ids[0]);
      for (const id of ['Total', 'Percent', 'xlegend', 'ylegend', 'var'])
        expect(portalRow(table, id)).toBeUndefined();
    },
  );

  it("refuses it where a SITE table is asked for, naming the answer's shape", async () => {
    const answer = read('vo.usegalaxy.eu');
    const server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    const http = new OpenStackHttp({ timeoutMs: 2000 });
    try {
      const source = new AccountingPortalSource(server.url, {
        http,
        now: () => NOW,
      });
      const vos = await source.accountedVos(
        { ...site, name: 'NGI_IT' },
        { start: new Date('2025-01-01T00:00:00Z'), end: NOW },
      );
      expect(vos.ok).toBe(false);
      expect(!vos.ok && vos.reason).toBe(
        'the accounting portal answered REGION by Year, not SITE by VO',
      );
      const newest = await source.newestRecord({ ...site, name: 'NGI_IT' });
      expect(!newest.ok && newest.reason).toBe(
        'the accounting portal answered REGION by Year, not SITE by DATE',
      );
    } finally {
      http.close();
      await server.close();
    }
  });
});

describe('CasoSpoolSource on real spool layouts (fixtures/real-world/caso)', () => {
  const CASO = path.resolve(__dirname, '../../fixtures/real-world/caso');
  const ROOT = path.join(CASO, 'catchall-spool');
  const AT = new Date('2026-11-23T18:00:00Z');
  // TR-FC1-ULAKBIM as its site file of d4a1ffa declares it: records kept under EGI-NOTEBOOKS.
  const ulakbim: AccountedSite = {
    name: 'EGI-NOTEBOOKS',
    otherNames: ['TR-FC1-ULAKBIM'],
    projects: [
      { id: '64abd71f8a1e42b6a3be1d1a172d96b6', name: 'ops', vo: 'ops' },
      {
        id: '2fa316a05d364de9b5a55ac78a45f8bf',
        name: 'vo.access.egi.eu',
        vo: 'vo.access.egi.eu',
      },
    ],
  };
  let server: LocalServer;
  let http: OpenStackHttp;

  beforeAll(async () => {
    // The fixtures served as a static file server does (404 for what is not a file).
    server = await startLocalServer((req, res) => {
      const relative = decodeURIComponent(
        (req.url ?? '/').replace(/^\/caso\//, ''),
      );
      const file = path.join(CASO, path.normalize(relative));
      if (
        !file.startsWith(CASO) ||
        !fs.existsSync(file) ||
        !fs.statSync(file).isFile()
      ) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fs.readFileSync(file));
    });
    http = new OpenStackHttp({ timeoutMs: 2000 });
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });

  describe.each([
    ['the spool root', ROOT, 'catchall-spool'],
    [
      'the site folder',
      path.join(ROOT, 'TR-FC1-ULAKBIM'),
      'catchall-spool/TR-FC1-ULAKBIM',
    ],
  ])("EGI's per-record-type runs, pointed at %s", (_what, folder, urlPath) => {
    it.each(['folder', 'http'] as const)(
      'reads every record type, each of which must cover a project (%s)',
      async over => {
        const source = new CasoSpoolSource(
          over === 'folder' ? folder : `${server.url}/caso/${urlPath}/`,
          { http, now: () => AT },
        );
        const newest = await source.newestRecord(ulakbim);
        expect(newest.ok).toBe(true);
        if (!newest.ok) return;
        // Each type's newest run; the site is as fresh as the stalest type.
        expect(newest.details?.newestByRecordType).toEqual({
          compute: '2026-11-22T17:00:03.551Z',
          block: '2026-11-22T17:00:02.019Z',
        });
        expect(newest.date?.toISOString()).toBe('2026-11-22T17:00:02.019Z');
        expect(newest.recordType).toBe('block');
        const covered = await source.accountedVos(ulakbim, {
          start: new Date('2026-11-10T00:00:00Z'),
          end: AT,
        });
        // vo.access.egi.eu's block run predates the period: not every record type covers it.
        expect(covered.ok && covered.projects).toEqual([
          '64abd71f8a1e42b6a3be1d1a172d96b6',
        ]);
      },
    );
  });

  it("reads a plain cASO spool folder (one lastrun per project, cASO's own layout)", async () => {
    const newest = await new CasoSpoolSource(path.join(CASO, 'caso-spool'), {
      http,
    }).newestRecord({
      name: 'BIFI',
      projects: [
        { id: '038db3eeca5c4960a443a89b92373cd2', name: 'ops', vo: 'ops' },
      ],
    });
    expect(newest.ok && newest.date?.toISOString()).toBe(
      '2026-11-23T11:00:01.734Z',
    );
    expect(newest.ok && newest.recordType).toBeUndefined();
  });

  it('reports a folder that is none of the layouts, naming what it holds', async () => {
    const newest = await new CasoSpoolSource(CASO, { http }).newestRecord(
      ulakbim,
    );
    expect(newest.ok).toBe(false);
    expect(!newest.ok && newest.reason).toMatch(
      /is not a spool folder .* nor a spool root with a folder for site EGI-NOTEBOOKS or TR-FC1-ULAKBIM: it holds caso-spool\/, catchall-spool\/, README.md \(caso-spool\/ holds lastrun files: is that the spool folder\?\)/,
    );
  });

  it("reports another site's folder instead of reading no records", async () => {
    const newest = await new CasoSpoolSource(path.join(ROOT, 'BIFI'), {
      http,
    }).newestRecord(ulakbim);
    expect(!newest.ok && newest.reason).toContain(
      'record-type folders of a site named BIFI',
    );
  });

  it('reports a spool URL where no layout has a file of the site', async () => {
    const newest = await new CasoSpoolSource(`${server.url}/caso/`, {
      http,
    }).newestRecord(ulakbim);
    expect(!newest.ok && newest.reason).toContain(
      "has no lastrun file of any of site EGI-NOTEBOOKS's 2 project(s)",
    );
  });
});
