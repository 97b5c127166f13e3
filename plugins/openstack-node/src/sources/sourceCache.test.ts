import { Evidence, EvidenceRecorder } from '../client/evidence';
import {
  createSourceCache,
  entriesUnder,
  evidenceForSite,
  looseKey,
  readShared,
} from './sourceCache';

describe('createSourceCache', () => {
  it('shares one read among concurrent readers of a key, and keeps it for ttlMs', async () => {
    let clock = 0;
    const cache = createSourceCache({ ttlMs: 1000, now: () => clock });
    let reads = 0;
    const read = async () => {
      reads++;
      await new Promise(resolve => setTimeout(resolve, 5));
      return { ok: true, n: reads };
    };
    const keep = (v: { ok: boolean }) => v.ok;
    const [a, b] = await Promise.all([
      cache.read('k', read, keep),
      cache.read('k', read, keep),
    ]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    clock = 999;
    expect(await cache.read('k', read, keep)).toBe(a);
    expect(await cache.read('other', read, keep)).toEqual({ ok: true, n: 2 });
    clock = 1000 + 5;
    expect(await cache.read('k', read, keep)).toEqual({ ok: true, n: 3 });
    expect(reads).toBe(3);
  });

  it('does not keep a value keep refuses, nor a read that throws', async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    let reads = 0;
    const failing = async () => ({ ok: ++reads > 1 });
    expect(await cache.read('k', failing, v => v.ok)).toEqual({ ok: false });
    expect(await cache.read('k', failing, v => v.ok)).toEqual({ ok: true });
    expect(await cache.read('k', failing, v => v.ok)).toEqual({ ok: true });
    expect(reads).toBe(2);

    let throws = true;
    const flaky = async () => {
      if (throws) throw new Error('down');
      return 'up';
    };
    await expect(cache.read('t', flaky, () => true)).rejects.toThrow('down');
    throws = false;
    expect(await cache.read('t', flaky, () => true)).toBe('up');
  });

  it('refuses a ttl that is not a number ≥ 0', () => {
    expect(() => createSourceCache({ ttlMs: -1 })).toThrow('ttlMs');
    expect(() => createSourceCache({ ttlMs: NaN })).toThrow('ttlMs');
  });
});

describe('readShared', () => {
  const evidence = (url: string, more: Partial<Evidence> = {}): Evidence => ({
    at: '2026-12-06T10:00:00.000Z',
    method: 'GET',
    url,
    status: 200,
    durationMs: 1,
    requestHeaders: {},
    responseHeaders: {},
    ...more,
  });

  it("replays the read's evidence to every reader and says who made it", async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    const first = new EvidenceRecorder();
    const second = new EvidenceRecorder();
    const read = async (own: EvidenceRecorder) => {
      own.record(evidence('http://gocdb/list'));
      return { ok: true };
    };
    const options = {
      cache,
      key: 'k',
      url: 'http://gocdb/list',
      read,
      ok: (v: { ok: boolean }) => v.ok,
    };
    const a = await readShared({ ...options, recorder: first });
    const b = await readShared({ ...options, recorder: second });
    expect(a.note).toMatchObject({ url: 'http://gocdb/list', shared: false });
    expect(b.note).toEqual({ ...a.note, shared: true });
    expect(first.evidence.map(e => e.url)).toEqual(['http://gocdb/list']);
    expect(second.evidence).toEqual(first.evidence);
  });

  it('reads every time without a cache', async () => {
    let reads = 0;
    const options = {
      cache: undefined,
      key: 'k',
      url: 'u',
      recorder: undefined,
      read: async () => ++reads,
      ok: () => true,
    };
    await readShared(options);
    const again = await readShared(options);
    expect(again.value).toBe(2);
    expect(again.note.shared).toBe(false);
  });

  // The whole list, as the excerpt of its body.
  const LIST = JSON.stringify([
    { name: 'SITE-A', url: 'https://a.example.org:5000/v3' },
    { name: 'SITE-B', url: 'https://b.example.org:5000/v3' },
  ]);
  const list = JSON.parse(LIST) as Array<{ name: string; url: string }>;

  it("records each reader's part of a shared answer, not the whole answer", async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    const read = async (own: EvidenceRecorder) => {
      // A redirect, then the list.
      own.record(
        evidence('http://info/sites', {
          status: 302,
          responseBody: 'moved',
          responseHeaders: { location: '/v2/sites' },
        }),
      );
      own.record(
        evidence('http://info/v2/sites', {
          responseBody: LIST,
          responseHeaders: { 'content-type': 'application/json' },
        }),
      );
      return list;
    };
    const readFor = (site: string, recorder: EvidenceRecorder) =>
      readShared({
        cache,
        key: 'info',
        url: 'http://info/sites',
        recorder,
        read,
        ok: () => true,
        about: sites => ({
          site,
          of: sites.length,
          entries: sites.filter(s => s.name === site),
        }),
      });
    const [a, b, c] = [0, 1, 2].map(() => new EvidenceRecorder());
    await readFor('SITE-A', a);
    await readFor('SITE-B', b);
    await readFor('SITE-C', c);

    // The requests as they went, for every reader alike.
    for (const recorder of [a, b, c]) {
      expect(
        recorder.evidence.map(e => [e.method, e.url, e.status, e.at]),
      ).toEqual([
        ['GET', 'http://info/sites', 302, '2026-12-06T10:00:00.000Z'],
        ['GET', 'http://info/v2/sites', 200, '2026-12-06T10:00:00.000Z'],
      ]);
      // The redirect as it came; the list's headers kept.
      expect(recorder.evidence[0].responseBody).toBe('moved');
      expect(recorder.evidence[1].responseHeaders).toEqual({
        'content-type': 'application/json',
      });
      expect(recorder.evidence[1].truncated).toBe(true);
    }
    const body = (recorder: EvidenceRecorder) =>
      JSON.parse(recorder.evidence[1].responseBody!);
    expect(body(a)).toEqual({
      kept: 'the 1 of 2 entries about SITE-A: the answer lists every site and is read once for all of them',
      site: 'SITE-A',
      of: 2,
      entries: [list[0]],
    });
    expect(a.evidence[1].responseBody).not.toContain('SITE-B');
    expect(body(b).entries).toEqual([list[1]]);
    // A site the answer does not list: its evidence says so.
    expect(body(c)).toMatchObject({ site: 'SITE-C', entries: [] });
    expect(body(c).kept).toContain('the 0 of 2 entries about SITE-C');
  });

  it("records a failed read's answers as they came", async () => {
    const recorder = new EvidenceRecorder();
    await readShared({
      cache: createSourceCache({ ttlMs: 60_000 }),
      key: 'k',
      url: 'http://gocdb/list',
      recorder,
      read: async own => {
        own.record(
          evidence('http://gocdb/list', {
            status: 200,
            responseBody: '<html>maintenance</html>',
          }),
        );
        return { ok: false };
      },
      ok: v => v.ok,
      about: () => ({ site: 'SITE-A', of: 0, entries: [] }),
    });
    expect(recorder.evidence[0].responseBody).toBe('<html>maintenance</html>');
  });
});

describe('evidenceForSite', () => {
  it("shows the site's part once, on the last page of a paged answer", () => {
    const page = (n: number): Evidence => ({
      at: `2026-12-06T10:00:0${n}.000Z`,
      method: 'GET',
      url: `http://gocdb/?next_cursor=${n}`,
      status: 200,
      durationMs: 1,
      requestHeaders: {},
      responseHeaders: {},
      responseBody: `<results>page ${n} of every site</results>`,
    });
    const shown = evidenceForSite([page(1), page(2), page(3)], {
      site: 'SITE-A',
      of: 250,
      entries: [{ siteName: 'SITE-A' }],
    });
    expect(shown.map(e => e.url)).toEqual([
      'http://gocdb/?next_cursor=1',
      'http://gocdb/?next_cursor=2',
      'http://gocdb/?next_cursor=3',
    ]);
    expect(shown.slice(0, 2).map(e => e.responseBody)).toEqual([
      undefined,
      undefined,
    ]);
    expect(JSON.parse(shown[2].responseBody!).entries).toEqual([
      { siteName: 'SITE-A' },
    ]);
  });
});

describe('entriesUnder', () => {
  const keysOf = (entry: { name: string; url: string }) => [
    `name:${looseKey(entry.name)}`,
    `url:${looseKey(entry.url)}`,
  ];
  const list = [
    { name: 'SITE-A', url: 'https://a.example.org/v3' },
    { name: 'OTHER', url: 'https://A.example.org/v3/' },
    { name: 'site-a', url: 'https://c.example.org/v3' },
    { name: 'SITE-D', url: 'https://d.example.org/v3' },
  ];

  it("finds the entries under any key, in the answer's order, each once", () => {
    expect(
      entriesUnder(list, keysOf, [
        'name:site-a',
        `url:${looseKey('https://a.example.org/v3')}`,
      ]),
    ).toEqual(list.slice(0, 3));
    expect(entriesUnder(list, keysOf, ['name:nowhere'])).toEqual([]);
  });

  it('answers from the index built for the answer', () => {
    let calls = 0;
    const counted = (entry: { name: string; url: string }) => {
      calls++;
      return keysOf(entry);
    };
    entriesUnder(list, counted, ['name:site-d']);
    entriesUnder(list, counted, ['name:site-a']);
    expect(calls).toBe(list.length);
  });
});
