/**
 * The one deadline helper: settles as `work` does, or rejects with `onTimeout()` once `ms` have
 * passed (default: an Error "no answer within <ms> ms"). The timer is cleared either way, so
 * nothing keeps the process alive. `work` itself is not cancelled; `onTimeout` may do that (close
 * a socket) before returning the error.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error = () => new Error(`no answer within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
