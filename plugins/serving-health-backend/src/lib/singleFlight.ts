/** Concurrent calls with the same key share one run of `fn`; the next call after it settles runs again. */
export function createSingleFlight<T>() {
  const inFlight = new Map<string, Promise<T>>();
  return (key: string, fn: () => Promise<T>): Promise<T> => {
    const running = inFlight.get(key);
    if (running) return running;
    const started = fn().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
