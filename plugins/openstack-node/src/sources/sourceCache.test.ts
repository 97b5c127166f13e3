import { Evidence, EvidenceRecorder } from '../client/evidence';
import { createSourceCache, readShared } from './sourceCache';

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
  const evidence = (url: string): Evidence => ({
    at: '2026-12-06T10:00:00.000Z',
    method: 'GET',
    url,
    status: 200,
    durationMs: 1,
    requestHeaders: {},
    responseHeaders: {},
  });

  it("replays the read's evidence to every reader and says who made it", async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    const first = new EvidenceRecorder();
    const second = new EvidenceRecorder();
    const read = async (own: EvidenceRecorder) => {
      own.record(evidence('http://gocdb/list'));
      return { ok: true };
    };
    const a = await readShared(
      cache,
      'k',
      'http://gocdb/list',
      first,
      read,
      v => v.ok,
    );
    const b = await readShared(
      cache,
      'k',
      'http://gocdb/list',
      second,
      read,
      v => v.ok,
    );
    expect(a.note).toMatchObject({ url: 'http://gocdb/list', shared: false });
    expect(b.note).toEqual({ ...a.note, shared: true });
    expect(first.evidence.map(e => e.url)).toEqual(['http://gocdb/list']);
    expect(second.evidence).toEqual(first.evidence);
  });

  it('reads every time without a cache', async () => {
    let reads = 0;
    const read = async () => ++reads;
    await readShared(undefined, 'k', 'u', undefined, read, () => true);
    const again = await readShared(
      undefined,
      'k',
      'u',
      undefined,
      read,
      () => true,
    );
    expect(again.value).toBe(2);
    expect(again.note.shared).toBe(false);
  });
});
