import { formatDuration, relativeTime } from './scanTime';

describe('formatDuration', () => {
  it('says a scan under a second took milliseconds, not "0 s"', () => {
    expect(formatDuration(247)).toBe('247 ms');
    expect(formatDuration(0)).toBe('0 ms');
  });

  it('gives seconds with a decimal under ten, whole above, minutes past one', () => {
    expect(formatDuration(4_230)).toBe('4.2 s');
    expect(formatDuration(42_600)).toBe('43 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');

  it('never says a bare "now": under a minute is said in words', () => {
    expect(relativeTime('2026-12-06T12:00:00Z', now)).toBe(
      'less than a minute ago',
    );
    expect(relativeTime('2026-12-06T11:59:15Z', now)).toBe(
      'less than a minute ago',
    );
  });

  it('counts minutes, hours and days past that', () => {
    expect(relativeTime('2026-12-06T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-12-06T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-12-05T12:00:00Z', now)).toBe('yesterday');
  });
});
