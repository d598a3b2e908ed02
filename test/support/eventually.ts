/**
 * Retries an assertion every `everyMs` until it passes or `timeoutMs` is over, then rethrows its
 * last failure: for what lags a write by a moment (read models, a restarted server catching up).
 */
export async function eventually<T>(assertion: () => Promise<T>, timeoutMs = 3000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
