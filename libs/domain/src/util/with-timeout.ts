/**
 * The one deadline helper: settles as `work` does, or rejects with `onTimeout()` once `ms` have
 * passed (default: an Error "no answer within <ms> ms") and the I/O received by then has been read. The timer is cleared either way, so
 * nothing keeps the process alive. `work` itself is not cancelled; `onTimeout` may do that (close
 * a socket) before returning the error.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error = () => new Error(`no answer within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // Judged after the I/O already received is read (setImmediate runs after the poll phase): when
    // the event loop was blocked past the deadline (a large topology reload, a busy moment), an
    // answer that arrived in time is waiting in the socket and must win, not a late timer.
    timer = setTimeout(() => setImmediate(() => reject(onTimeout())), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
