/**
 * A request started before the page that needs it has loaded, handed to that page once: the
 * first `take()` gets it, later ones (the page opened again) get undefined and ask afresh.
 */
export interface Prefetched<T> {
  take(): Promise<T> | undefined;
}

export function prefetched<T>(start: () => Promise<T>): Prefetched<T> {
  let pending: Promise<T> | undefined = start();
  // Whoever takes it sees a failure; until then it is not an unhandled rejection.
  pending.catch(() => {});
  return {
    take() {
      const taken = pending;
      pending = undefined;
      return taken;
    },
  };
}
