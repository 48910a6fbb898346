import { Inject, Injectable } from '@nestjs/common';
import { ROUTER_API, type RouterApi } from '../router-access/router-api';
import { classifyFailure, errorMessage } from '../router-access/router-failure';
import { Menu, type RouterOp } from '../planning/router-ops';

export interface ApplyResult {
  writes: number;
  kicked: number;
  /** subscribers whose writes the router refused (`!trap`): userId -> message */
  refused: Map<string, string>;
  /** refused writes that belong to no subscriber (profiles, scripts, orphans) */
  otherErrors: string[];
  /** subscribers whose session the router refused to end: userId -> message (planned again next read) */
  unkicked: Map<string, string>;
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * Applies a plan in dependency order: profiles first (a secret may name the suspended profile),
 * then removals (free names), then adds and sets, then kicks (so the new session sees the new
 * secret). A refused write is recorded against its subscriber and the rest goes on; a router
 * that goes away aborts the whole pass (the caller retries).
 */
@Injectable()
export class PlanExecutor {
  constructor(@Inject(ROUTER_API) private readonly api: RouterApi) {}

  async apply(routerId: string, ops: RouterOp[], parallel = 4): Promise<ApplyResult> {
    const result: ApplyResult = { writes: 0, kicked: 0, refused: new Map(), otherErrors: [], unkicked: new Map() };
    const unordered = (o: RouterOp) => o.op !== 'kick' && o.menu !== Menu.PROFILE && o.menu !== Menu.FILTER;
    const phases: [RouterOp[], number][] = [
      [ops.filter((o) => o.op !== 'kick' && o.menu === Menu.PROFILE), parallel],
      [ops.filter((o) => unordered(o) && o.op === 'remove'), parallel],
      [ops.filter((o) => unordered(o) && o.op !== 'remove'), parallel],
      // Firewall rules: order matters (place-before, move), so one at a time as planned.
      [ops.filter((o) => o.op !== 'kick' && o.menu === Menu.FILTER), 1],
    ];
    for (const [phase, lanes] of phases) {
      await inParallel(phase, lanes, async (op) => {
        try {
          await this.write(routerId, op);
          result.writes++;
        } catch (err) {
          this.recordRefusal(result, op, err);
        }
      });
    }
    const kicks = ops.filter((o): o is Extract<RouterOp, { op: 'kick' }> => o.op === 'kick' && !(o.userId && result.refused.has(o.userId)));
    if (kicks.length) await this.kick(routerId, kicks, result, parallel);
    return result;
  }

  private write(routerId: string, op: RouterOp): Promise<void> {
    switch (op.op) {
      case 'add':
        return this.api.add(routerId, op.menu, op.props);
      case 'set':
        return this.api.set(routerId, op.menu, op.id, op.props);
      case 'remove':
        return this.api.remove(routerId, op.menu, op.id);
      case 'move':
        return this.api.move(routerId, op.menu, op.id, op.before);
      default:
        return Promise.resolve();
    }
  }

  private recordRefusal(result: ApplyResult, op: RouterOp, err: unknown): void {
    if (classifyFailure(err) !== 'permanent') throw err;
    const msg = `${op.why}: ${errorMessage(err)}`;
    if (op.userId) result.refused.set(op.userId, msg);
    else result.otherErrors.push(msg);
  }

  private async kick(routerId: string, kicks: Extract<RouterOp, { op: 'kick' }>[], result: ApplyResult, parallel: number): Promise<void> {
    const { kicked, refused } = await this.api.kick(routerId, kicks.map((k) => k.username), parallel);
    result.writes += kicked;
    result.kicked += kicked;
    for (const [username, err] of refused) {
      const op = kicks.find((k) => k.username === username)!;
      if (classifyFailure(err) !== 'permanent') throw err;
      const msg = `${op.why}: session not ended: ${errorMessage(err)}`;
      if (op.userId) result.unkicked.set(op.userId, msg);
      else result.otherErrors.push(msg);
    }
  }
}
