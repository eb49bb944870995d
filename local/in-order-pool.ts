// Runs work items side by side while handing their results on in list order, for `ownstats sync`: each
// download starts as soon as any slot is free, so one slow object holds up only its own slot, while
// what is recorded as done still advances only past a run of items that are all finished.

/**
 * Runs `run` on each item, `width` at a time, starting the next item as soon as any one finishes.
 * `done` is handed the items with their results in list order, in chunks of `width` (the last one
 * shorter), each once all of its items and every item before them have finished; one call at a time.
 * On a failure of `run` or `done` no item is started any more; those in flight are waited for
 * (nothing is left running once this returns), then the first error is thrown and chunks not
 * handed yet are not.
 */
export async function runInOrder<T, R>(
  items: readonly T[],
  width: number,
  run: (item: T) => Promise<R>,
  done: (chunk: { item: T; result: R }[]) => Promise<void>,
): Promise<void> {
  const slots = Math.max(1, width);
  const results = new Map<number, R>();
  const inFlight = new Map<number, Promise<number>>();
  let failure: { error: unknown } | undefined;
  let started = 0;
  let handed = 0;
  for (;;) {
    if (failure) {
      await Promise.all(inFlight.values());
      throw failure.error;
    }
    if (handed === items.length) return;
    while (started < items.length && inFlight.size < slots) {
      const index = started++;
      const running = run(items[index] as T).then(
        (result) => void results.set(index, result),
        (error: unknown) => {
          failure ??= { error };
        },
      );
      inFlight.set(
        index,
        running.then(() => index),
      );
    }
    inFlight.delete(await Promise.race(inFlight.values()));
    while (!failure) {
      const end = Math.min(handed + slots, items.length);
      const chunk = [];
      for (let i = handed; i < end && results.has(i); i++)
        chunk.push({ item: items[i] as T, result: results.get(i) as R });
      if (chunk.length === 0 || chunk.length < end - handed) break;
      for (let i = handed; i < end; i++) results.delete(i);
      handed = end;
      // A failure here (the state not written) also stops the pool once the items in flight finish.
      await done(chunk).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  }
}
