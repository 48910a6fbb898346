import type { HookKind, RouterFaults } from './faults';
import type { MenuStore, Row } from './menu-store';
import { unsupportedScriptCommand, type RouterVersion } from './router-version';
import { parseFetch, performFetch, scriptRunTarget, type ParsedFetch, type ScriptEnv, type WebhookAttempt } from './script-runner';

/** A script the router would not run: a command its version lacks, or text the simulator cannot read. */
export interface ScriptFailure {
  at: string;
  kind: HookKind;
  error: string;
}

const KEEP = 500;

/**
 * Where a router's event hooks run (PPP on-up/on-down, lease-script, Netwatch up/down-script):
 * resolves `/system script run` indirection, applies the version's script dialect and the
 * webhook faults, and makes the POST the script would make (script-runner.ts reads the text).
 */
export class ScriptHost {
  /** every POST the scripts made or had dropped by a fault (newest last, capped) */
  readonly webhooks: WebhookAttempt[] = [];
  /** hooks that did not run (newest last, capped) */
  readonly failures: ScriptFailure[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  /** POSTs held by the hold-webhooks fault, in the order the scripts made them */
  private held: ParsedFetch[] = [];

  constructor(
    private readonly menus: MenuStore,
    private readonly version: RouterVersion,
    private readonly faults: RouterFaults,
    private readonly webhookTimeoutMs: number,
    /** false while the router is off (stopped, rebooting): no hook runs */
    private readonly running: () => boolean,
  ) {}

  /** Runs a hook's script text the way RouterOS would, as far as the snitch scripts go. */
  run(kind: HookKind, source: string | undefined, vars: Row, ifname?: string): void {
    if (!source?.trim() || !this.running()) return;
    let text = source;
    const target = scriptRunTarget(text);
    if (target) {
      const script = this.menus.table('/system/script').findBy('name', target);
      if (!script) return;
      script['run-count'] = String(Number(script['run-count'] ?? '0') + 1);
      text = script.source ?? '';
    }
    const refused = unsupportedScriptCommand(text, this.version);
    if (refused) return this.fail(kind, refused);
    const env: ScriptEnv = { vars, ifname, rosMajor: this.version.major, now: this.faults.now() };
    let req;
    try {
      req = parseFetch(text, env);
    } catch (err) {
      return this.fail(kind, (err as Error).message); // a broken script does nothing on a router either
    }
    if (!req) return;
    if (this.faults.takeWebhookDrop(kind)) {
      this.record({ at: new Date().toISOString(), url: req.url, headers: req.headers, body: req.body, dropped: true });
      return;
    }
    if (this.faults.holdWebhooks) {
      this.held.push(req); // its body already carries the router's time of the event
      return;
    }
    this.send(req);
  }

  /** How many POSTs the hold-webhooks fault is holding. */
  get heldCount(): number {
    return this.held.length;
  }

  /**
   * Delivers the held POSTs one after the other (each answered before the next leaves), in the
   * order they were made or the reverse: a later event delivered before an earlier one.
   */
  async releaseHeld(order: 'made' | 'reverse' = 'made'): Promise<void> {
    const batch = order === 'reverse' ? [...this.held].reverse() : [...this.held];
    this.held = [];
    for (const req of batch) {
      this.send(req);
      await this.settled();
    }
  }

  private send(req: ParsedFetch): void {
    const work = performFetch(req, this.webhookTimeoutMs).then((attempt) => this.record(attempt));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Resolves when the POSTs started so far have finished. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private record(attempt: WebhookAttempt): void {
    this.webhooks.push(attempt);
    if (this.webhooks.length > KEEP) this.webhooks.shift();
  }

  private fail(kind: HookKind, error: string): void {
    this.failures.push({ at: new Date().toISOString(), kind, error });
    if (this.failures.length > KEEP) this.failures.shift();
  }
}
