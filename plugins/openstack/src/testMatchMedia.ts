/**
 * For component tests: a `window.matchMedia` for jsdom, which has none. `matches` answers each
 * media query when it is asked; the answer never changes, so no listener is ever called.
 */
export function matchMediaStub(
  matches: (query: string) => boolean,
): typeof window.matchMedia {
  return (query: string) =>
    ({
      matches: matches(query),
      media: query,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
    } as unknown as MediaQueryList);
}
