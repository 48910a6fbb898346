import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_ROUTING_RULES, validateRoutingRules, type RoutingRules } from '@isp/domain';

/**
 * The routing rules in force: the file named by ROUTING_RULES_FILE (JSON or YAML; YAML is a
 * superset of JSON, so one parser reads both), else the built-in defaults. A bad file stops
 * start-up with every problem named, rather than paging the wrong people.
 */
export function loadRoutingRules(file?: string): { rules: RoutingRules; source: string } {
  if (!file) return { rules: DEFAULT_ROUTING_RULES, source: 'built-in defaults' };
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`ROUTING_RULES_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return { rules: validateRoutingRules(doc), source: file };
  } catch (err) {
    throw new Error(`ROUTING_RULES_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
}
