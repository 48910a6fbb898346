import type { TopologyGraph } from './topology-graph';

/**
 * Is a router's held set of DOWN facts a burst under one parent, to be diagnosed now instead of
 * after the hold-down?
 *
 * The hold-down exists for one subscriber's session ending and coming back (a CPE reboot, a
 * redial): that is churn, not an outage. Many subscribers under one device ending together is a
 * different thing: the device (or a hop above it) is the likely cause and waiting buys nothing,
 * so the batch is diagnosed at once and the walk probes their common parent.
 *
 * A parent counts when the held nodes below it (on their primary chains) are at least `minNodes`
 * AND at least `minFraction` of everything below it. Both are needed: the count keeps a small
 * station (three subscribers both dropping) on the hold-down, where a wrong early call would
 * open incidents for sessions about to come back; the fraction keeps ordinary churn scattered
 * over a big sector or backhaul (ten of five thousand within seconds) from looking like a burst.
 * Only devices are parents: every subscriber of a router sits under the router, and a router
 * posting the events is alive (its own sessions all ending together is a restart of its PPPoE
 * server, which the hold-down is there to absorb).
 */
export interface BurstPolicy {
  /** Held nodes below one parent needed to call it a burst; 0 turns burst detection off. */
  minNodes: number;
  /** Share of the nodes below that parent (0..1) that must be held. */
  minFraction: number;
}

export interface Burst {
  /** The device the held nodes have in common. */
  parent: string;
  /** Held nodes below it. */
  held: number;
  /** Nodes below it (subscribers and devices, through any uplink). */
  below: number;
}

/** The parent the held set bursts under (the one with most held nodes, then the smallest), if any. */
export function findBurst(graph: TopologyGraph, held: Iterable<string>, policy: BurstPolicy): Burst | undefined {
  if (policy.minNodes <= 0) return undefined;
  const counts = new Map<string, number>();
  for (const id of new Set(held)) {
    if (!graph.get(id)) continue;
    for (const a of graph.ancestors(id)) {
      if (graph.get(a)?.kind === 'device') counts.set(a, (counts.get(a) ?? 0) + 1);
    }
  }
  let best: Burst | undefined;
  for (const [parent, n] of counts) {
    if (n < policy.minNodes) continue;
    const below = graph.countBelow(parent);
    if (n < policy.minFraction * below) continue;
    if (!best || n > best.held || (n === best.held && below < best.below)) best = { parent, held: n, below };
  }
  return best;
}

/**
 * Whether the held set, having just grown to `held` nodes, is worth checking for a burst. Every
 * check reads the whole set, so checking on every DOWN of a large outage costs the square of its
 * size. Each new size is seen by exactly one DOWN (the add that made it), so checking every size
 * up to twice `minNodes` and then about every 5% of growth (twenty checks per doubling) misses
 * no burst by more than 5% of the set.
 */
export function burstCheckDue(held: number, minNodes: number): boolean {
  if (minNodes <= 0 || held < minNodes) return false;
  if (held < 2 * minNodes) return true;
  // The largest power of two not above 5% of the size: twenty checks per doubling of the set.
  const step = 2 ** Math.max(0, Math.floor(Math.log2(held / 20)));
  return held % step === 0;
}
