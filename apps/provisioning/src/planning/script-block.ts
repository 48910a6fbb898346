import { isManagedScript } from '@isp/routeros';
import { isOwnScript } from './managed-tag';

/**
 * Our part of a hook script an operator also uses (a PPP profile's on-up/on-down, a DHCP server's
 * lease-script: one text field each, docs/routeros.md §1): it lives between these two comment
 * lines, first, and the operator's lines follow untouched. A comment must start its line, with
 * nothing before the `#` (docs/routeros.md, "Our block in an operator's script").
 */
export const BLOCK_BEGIN = '# isp-netops begin';
export const BLOCK_END = '# isp-netops end';

const nl = (s: string) => s.replace(/\r\n?/g, '\n');

/** The field split into our block (if any) and everything else (the operator's lines). */
export function splitScript(value: string | undefined): { ours?: string; rest: string } {
  const lines = nl(value ?? '').split('\n');
  const begin = lines.indexOf(BLOCK_BEGIN);
  const end = begin >= 0 ? lines.indexOf(BLOCK_END, begin + 1) : -1;
  if (begin < 0 || end < 0) return { rest: lines.join('\n').trim() };
  return { ours: lines.slice(begin + 1, end).join('\n').trim(), rest: [...lines.slice(0, begin), ...lines.slice(end + 1)].join('\n').trim() };
}

export type ScriptMerge =
  /** the field already says what it should */
  | { action: 'keep'; ours: string }
  /** write `value` (ours alone, or our block and the operator's lines); `ours`: our part as found ('' when absent) */
  | { action: 'write'; value: string; ours: string }
  /** someone else's managed script (another deployment): not ours to touch */
  | { action: 'conflict'; ours: string };

/**
 * What a hook field should hold given what it holds and our script `text`. An empty field or
 * one holding only our script gets our script alone (as before blocks existed); a field with
 * the operator's own lines gets our block first and their lines after, unchanged. Idempotent:
 * applied to its own result it answers `keep`.
 */
export function mergeScript(current: string | undefined, text: string): ScriptMerge {
  const same = (a: string, b: string) => nl(a).trim() === nl(b).trim();
  const { ours, rest } = splitScript(current);
  if (ours !== undefined) {
    if (isManagedScript(ours) && !isOwnScript(ours)) return { action: 'conflict', ours };
    const want = rest ? `${BLOCK_BEGIN}\n${nl(text).trim()}\n${BLOCK_END}\n${rest}` : nl(text).trim();
    return same(current ?? '', want) ? { action: 'keep', ours } : { action: 'write', value: want, ours };
  }
  if (!rest) return { action: 'write', value: text, ours: '' };
  if (isManagedScript(rest)) {
    if (!isOwnScript(rest)) return { action: 'conflict', ours: rest };
    return same(rest, text) ? { action: 'keep', ours: rest } : { action: 'write', value: text, ours: rest };
  }
  // The operator's own script: ours goes in as a block before it.
  return { action: 'write', value: `${BLOCK_BEGIN}\n${nl(text).trim()}\n${BLOCK_END}\n${rest}`, ours: '' };
}
