/**
 * Polls `check` until it returns something other than undefined or false, and returns that. The
 * give-up time only turns a hang into a failure that names what never happened; it is no
 * assertion about speed (timings belong to `deno task bench`).
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  giveUpAfterMs = 30_000,
): Promise<T> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `promise`, or a failure naming `what` if it has not settled after `giveUpAfterMs`: for waits
 * that only the code under test can end (its own deadline), so a broken deadline fails the test
 * instead of hanging the suite. No assertion about speed.
 */
export async function orGiveUp<T>(
  what: string,
  promise: Promise<T>,
  giveUpAfterMs = 30_000,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up: ${what}`)), giveUpAfterMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
