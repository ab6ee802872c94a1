/**
 * Time as the retry code sees it. Injected so that unit tests run strategies and the composer on a
 * fake clock: nothing in a test waits for real time to pass.
 */

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        // The abort's own reason, as node:timers/promises rejects with it (an AbortError by default).
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

let current: Clock = realClock;

/**
 * The clock the provider runs on: the Graph client's retry waits, consistency waits and job
 * creation's looks all read it. Real time, unless a test has set another with setClock, so that
 * provider tests against the emulator drive every wait without waiting for real time.
 */
export const providerClock: Clock = {
  now: () => current.now(),
  sleep: (ms, signal) => current.sleep(ms, signal),
};

/** For tests: run the provider on `clock`. Returns a function that restores the previous clock. */
export function setClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}
