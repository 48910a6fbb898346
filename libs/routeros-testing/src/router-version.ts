/**
 * The RouterOS release a simulated router runs, and what follows from it: the login dialect,
 * `!empty` replies, the script dialect (which scripting commands exist) and what
 * `/system/resource/print` says. Sources for the version facts: docs/routeros.md.
 */

export interface RouterVersion {
  /** full version string, e.g. "7.15.3" */
  version: string;
  major: 6 | 7;
  minor: number;
  /** before 6.43 the API login is the MD5 challenge-response */
  challengeLogin: boolean;
  /** from 7.18 an empty print answers `!empty` before `!done` */
  emptyReplies: boolean;
}

const ALIASES: Record<string, string> = { v6: '6.49.10', v7: '7.15.3', 'v7.18': '7.18.2', '6': '6.49.10', '7': '7.15.3', '7.18+': '7.18.2' };

/** "6.49.10" (or "v6"), "6.40", "7.15" ("v7"), "7.18.2" ("v7.18"). */
export function parseRouterVersion(v: string): RouterVersion {
  const version = ALIASES[v] ?? v;
  const [maj, min] = version.split('.').map((x) => parseInt(x, 10));
  if (!Number.isFinite(maj) || !Number.isFinite(min)) throw new Error(`simulated router: version "${v}" is not a RouterOS version (e.g. 6.48.6, 7.10, 7.16)`);
  return {
    version,
    major: maj >= 7 ? 7 : 6,
    minor: min,
    challengeLogin: maj < 6 || (maj === 6 && min < 43),
    emptyReplies: maj > 7 || (maj === 7 && min >= 18),
  };
}

export function atLeast(v: RouterVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/**
 * Scripting commands a router refuses before the release that added them. A script using one
 * fails to parse on the router, so none of it runs (its `:do { } on-error={ }` included).
 */
const SCRIPT_FEATURES: { pattern: RegExp; name: string; since: [number, number] }[] = [
  // docs/routeros.md, "Script dialects": added in 7.13.
  { pattern: /:serialize\b/, name: ':serialize', since: [7, 13] },
  { pattern: /:deserialize\b/, name: ':deserialize', since: [7, 13] },
];

/** The RouterOS-style error for the first command `source` uses that `v` lacks, if any. */
export function unsupportedScriptCommand(source: string, v: RouterVersion): string | undefined {
  for (const f of SCRIPT_FEATURES) {
    if (f.pattern.test(source) && !atLeast(v, f.since[0], f.since[1])) return `bad command name ${f.name.slice(1)} (RouterOS ${v.version}; needs ${f.since.join('.')}+)`;
  }
  return undefined;
}

export interface Hardware {
  boardName: string;
  architectureName: string;
}

export const DEFAULT_HARDWARE: Hardware = { boardName: 'CHR', architectureName: 'x86_64' };
