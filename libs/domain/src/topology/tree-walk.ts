import { impactedBy, type ProbeState } from './classification';
import type { TopologyGraph } from './topology-graph';

/**
 * The tree-walk planner as a step function: given the nodes reported down together and what is
 * known so far (probe results, facts such as "the reporting router is up"), it either asks for
 * the next probes or concludes. The caller probes and calls again, so the logic stays pure.
 *
 * Strategy, per group of failing nodes: take their lowest common ancestor L and probe it. If L is
 * up, split the group by L's children and repeat below L. If L is down, probe its parent: up means
 * L is the root cause (two probes, the minimum); down means walk the chain above top-down to the
 * highest down node whose parent is up. A sector taking 1,000 subscribers costs a couple of
 * probes, not 1,000 walks.
 *
 * UNKNOWN (the owning router could not be asked: breaker open, no address, API unavailable) is
 * not evidence: only a node a probe found DOWN (or a subscriber whose own session ended) is
 * blamed. When the chain offers nothing DOWN to blame, the finding is undetermined: each reported
 * subscriber stands on its own event (Level 1) and reported devices are left for the next report.
 */
export interface WalkInput {
  graph: TopologyGraph;
  /** Nodes reported down (subscribers whose session ended, devices netwatch saw fail). */
  failing: readonly string[];
  known: ReadonlyMap<string, ProbeState>;
}

export interface RootCauseFinding {
  root: string;
  /** Top-down hops the decision rests on (each with a known state), ending at the root. */
  evidence: string[];
  /** Everything below the root that is unreachable because of it. */
  impacted: string[];
  /** The reported nodes this root accounts for (the root itself included if it was reported). */
  explains: string[];
  /** A reported subscriber standing on its own event because a hop above it was UNKNOWN. */
  undetermined?: boolean;
}

export interface WalkOutcome {
  roots: RootCauseFinding[];
  /** Reported nodes a probe found up: a flap or a lost ping, not an outage. */
  cleared: string[];
  /** Reported devices nothing could be concluded about (a hop above them was UNKNOWN). */
  undetermined: string[];
}

export type WalkStep = { done: false; probes: string[] } | { done: true; outcome: WalkOutcome };

export function walkStep(input: WalkInput): WalkStep {
  const { graph, known } = input;
  const failing = new Set(input.failing.filter((id) => graph.get(id)));
  const needs = new Set<string>();
  const roots: RootCauseFinding[] = [];
  const cleared: string[] = [];
  const undetermined: string[] = [];
  const knownDown = new Set([...known].filter(([, s]) => s === 'DOWN').map(([id]) => id));

  const stateOf = (id: string): ProbeState | undefined => {
    const k = known.get(id);
    if (k) return k;
    const n = graph.get(id)!;
    // A subscriber's session ending is itself the evidence; it is never pinged by the walk.
    if (n.kind === 'subscriber' && failing.has(id)) return 'DOWN';
    // Buildings are not probed: up unless every router in them is known not to be.
    if (n.kind === 'building') {
      const routers = graph.routersOf(id);
      return routers.length && routers.every((r) => known.get(r) === 'DOWN') ? 'DOWN' : 'UP';
    }
    if (n.kind === 'subscriber') return 'UP';
    return undefined;
  };
  const isUp = (s: ProbeState) => s === 'UP';
  const isDown = (s: ProbeState | undefined) => s === 'DOWN';

  const childTowards = (ancestor: string, id: string): string => {
    const path = graph.pathFromTop(id);
    return path[path.indexOf(ancestor) + 1];
  };

  const partition = (ids: string[], under: string): string[][] => {
    const groups = new Map<string, string[]>();
    for (const id of ids) {
      const c = childTowards(under, id);
      groups.set(c, [...(groups.get(c) ?? []), id]);
    }
    return [...groups.values()];
  };

  const record = (root: string, group: string[], chain: string[]) => {
    const impacted = impactedBy(graph, root, knownDown);
    const covered = new Set([root, ...impacted]);
    const evidence = chain.slice(0, chain.indexOf(root) + 1).filter((id) => stateOf(id) !== undefined);
    roots.push({ root, evidence, impacted, explains: group.filter((id) => covered.has(id)) });
    // Reported nodes still reachable over a redundant uplink: examine them from the first
    // node on their path that is not covered.
    const leftover = group.filter((id) => !covered.has(id));
    const byEscape = new Map<string, string[]>();
    for (const id of leftover) {
      const path = graph.pathFromTop(id);
      const escape = path.slice(path.indexOf(root) + 1).find((p) => !covered.has(p))!;
      byEscape.set(escape, [...(byEscape.get(escape) ?? []), id]);
    }
    for (const [escape, ids] of byEscape) resolveCandidate(ids, escape, [...chain.slice(0, chain.indexOf(root) + 1), escape]);
  };

  // Nothing DOWN to blame above `unknown`: reported subscribers stand on their own event.
  const undecided = (group: string[], unknown: string, chain: string[]) => {
    const upTo = chain.slice(0, chain.indexOf(unknown) + 1).filter((id) => stateOf(id) !== undefined);
    for (const id of group) {
      if (graph.get(id)!.kind === 'subscriber') roots.push({ root: id, evidence: [...upTo, id], impacted: [], explains: [id], undetermined: true });
      else undetermined.push(id);
    }
  };

  // `candidate` is a node whose parent is not up but which may still be reachable.
  const resolveCandidate = (group: string[], candidate: string, chain: string[]) => {
    const s = stateOf(candidate);
    if (s === undefined) return void needs.add(candidate);
    if (isUp(s)) return resolve(group.filter((id) => id !== candidate), candidate);
    if (!isDown(s)) return undecided(group, candidate, chain);
    record(candidate, group, chain);
  };

  const resolve = (group: string[], up: string | undefined): void => {
    if (!group.length) return;
    const lca = graph.lowestCommonAncestor(group);
    if (!lca) {
      // Different trees (no common building): each on its own.
      const tops = new Map<string, string[]>();
      for (const id of group) {
        const top = graph.pathFromTop(id)[0];
        tops.set(top, [...(tops.get(top) ?? []), id]);
      }
      for (const ids of tops.values()) resolve(ids, undefined);
      return;
    }
    if (lca === up) {
      for (const part of partition(group, up)) resolve(part, up);
      return;
    }
    const full = graph.pathFromTop(lca);
    const chain = up ? full.slice(full.indexOf(up)) : full;
    const below = up ? chain.slice(1) : chain;
    const sL = stateOf(lca);
    if (sL === undefined) return void needs.add(lca);
    if (isUp(sL)) {
      if (failing.has(lca)) cleared.push(lca);
      resolve(group.filter((id) => id !== lca), lca);
      return;
    }
    // L is not up: the root is the highest DOWN node on the chain below the last up node
    // (UNKNOWN hops are passed over: nobody could ask them).
    const blameL = () => (isDown(sL) ? record(lca, group, chain) : undecided(group, lca, chain));
    if (below.length === 1) return blameL();
    const parent = below[below.length - 2];
    const sP = stateOf(parent);
    if (sP === undefined) return void needs.add(parent);
    if (isUp(sP)) return blameL();
    for (const hop of below.slice(0, -2)) {
      const s = stateOf(hop);
      if (s === undefined) return void needs.add(hop);
      if (isDown(s)) return record(hop, group, chain);
    }
    if (isDown(sP)) return record(parent, group, chain);
    // The parent could not be asked: a subscriber's own event still counts, for itself only.
    if (graph.get(lca)!.kind === 'subscriber') return undecided(group, parent, chain);
    blameL();
  };

  resolve([...failing], undefined);
  if (needs.size) return { done: false, probes: [...needs] };
  return { done: true, outcome: { roots, cleared, undetermined } };
}

/** Runs the walk to the end with an async prober (the diagnostics service does this). */
export async function runWalk(
  graph: TopologyGraph,
  failing: readonly string[],
  known: Map<string, ProbeState>,
  probe: (ids: string[]) => Promise<Map<string, ProbeState>>,
  maxRounds = 32,
): Promise<WalkOutcome> {
  for (let round = 0; round < maxRounds; round++) {
    const step = walkStep({ graph, failing, known });
    if (step.done) return step.outcome;
    const results = await probe(step.probes);
    for (const id of step.probes) known.set(id, results.get(id) ?? 'UNKNOWN');
  }
  throw new Error(`tree walk did not converge in ${maxRounds} rounds`);
}
