/**
 * What the simulator does instead of a RouterOS script interpreter: it understands the shape of
 * the scripts the snitch generator writes (and `/system script run <name>` indirection) well
 * enough to POST what the router would POST. URL, headers and body fields come from the
 * installed text, so a script that is missing, edited or pointing elsewhere behaves like it
 * would on a router: no POST, a different body, or a POST that goes elsewhere.
 */

export interface WebhookAttempt {
  at: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  status?: number;
  error?: string;
  /** the script ran but its POST never left the router (drop-webhooks fault) */
  dropped?: true;
}

export interface ScriptEnv {
  /** RouterOS variables visible to the script: user, remote-address, leaseActMAC... */
  vars: Record<string, string>;
  /** value of `$ifname` (the generator reads the interface name into it) */
  ifname?: string;
  rosMajor: 6 | 7;
  now: Date;
}

export interface ParsedFetch {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads a RouterOS double-quoted string starting at `s[i] === '"'`; returns [value, next index]. */
export function readRosString(s: string, i: number): [string, number] {
  let out = '';
  let j = i + 1;
  const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$', '?': '?' };
  while (j < s.length && s[j] !== '"') {
    if (s[j] === '\\' && j + 1 < s.length) {
      out += esc[s[j + 1]] ?? s[j + 1];
      j += 2;
    } else out += s[j++];
  }
  return [out, j + 1];
}

/** Splits on `sep` outside strings, brackets, braces and parentheses. */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = readRosString(s, i)[1] - 1;
      continue;
    }
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i).trim());
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts.filter((p) => p.length);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function clock(now: Date, major: 6 | 7): { date: string; time: string } {
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
  const date = major === 7 ? `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}` : `${MONTHS[now.getMonth()]}/${p(now.getDate())}/${now.getFullYear()}`;
  return { date, time };
}

/** RFC 3986 unreserved kept, other printable ASCII and every byte from 0x80 %XX, control characters dropped; what the v6 script's encoder produces. */
export function rosUrlEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (/[A-Za-z0-9\-._~]/.test(ch)) out += ch;
    else if ((code >= 32 && code <= 126) || (code >= 0x80 && code <= 0xff)) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function evaluate(expr: string, env: ScriptEnv): string {
  const e = expr.trim();
  if (e.startsWith('"')) return readRosString(e, 0)[0];
  if (e.includes('/system clock get date')) {
    const { date, time } = clock(env.now, env.rosMajor);
    const sep = /\. "%20" \./.test(e) ? '%20' : ' ';
    return `${date}${sep}${time}`;
  }
  const enc = /^\[\$urlencode (.*)\]$/.exec(e);
  if (enc) return rosUrlEncode(evaluate(enc[1], env));
  const tostr = /^\[:tostr (.*)\]$/.exec(e);
  if (tostr) return evaluate(tostr[1], env);
  if (e === '$ifname') return env.ifname ?? '';
  const v = /^\$(?:"([^"]+)"|([A-Za-z][\w-]*))$/.exec(e);
  if (v) return env.vars[v[1] ?? v[2]] ?? '';
  throw new Error(`simulator cannot evaluate ${e}`);
}

/** From script text to the request it would make, or undefined when it would make none. */
export function parseFetch(source: string, env: ScriptEnv): ParsedFetch | undefined {
  const fetchAt = source.indexOf('/tool fetch');
  if (fetchAt < 0) return undefined;
  const fetchLine = source.slice(fetchAt).split('\n')[0];
  const urlAt = fetchLine.indexOf('url="');
  if (urlAt < 0) return undefined;
  const url = readRosString(fetchLine, urlAt + 4)[0];
  const headers: Record<string, string> = {};
  const hAt = fetchLine.indexOf('http-header-field="');
  if (hAt >= 0) {
    for (const h of readRosString(fetchLine, hAt + 18)[0].split(',')) {
      const colon = h.indexOf(':');
      if (colon > 0) headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    }
  }
  let body = '';
  const payload = /^\s*:local payload \{(.*)\}\s*$/m.exec(source);
  const formBody = /^\s*:local body \((.*)\)\s*$/m.exec(source);
  if (payload && source.includes(':serialize')) {
    const obj: Record<string, string> = {};
    for (const entry of splitTop(payload[1], ';')) {
      const eq = entry.indexOf('=');
      const key = entry.slice(0, eq).trim().replace(/^"|"$/g, '');
      obj[key] = evaluate(entry.slice(eq + 1), env);
    }
    body = JSON.stringify(obj);
  } else if (formBody) {
    body = splitTop(formBody[1], ' . ')
      .map((p) => evaluate(p, env))
      .join('');
  } else {
    const data = /http-data=("(?:[^"\\]|\\.)*")/.exec(fetchLine);
    if (data) body = readRosString(data[1], 0)[0];
  }
  return { url, headers, body };
}

/** `/system script run name` (either path spelling) points at another script. */
export function scriptRunTarget(source: string): string | undefined {
  const m = /^\s*\/system(?:\/|\s+)script(?:\/|\s+)run\s+(?:"([^"]+)"|(\S+))\s*$/.exec(source.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Runs a fetch like the script's `:do { } on-error={ }`: failures are recorded, never thrown. */
export async function performFetch(req: ParsedFetch, timeoutMs: number): Promise<WebhookAttempt> {
  const attempt: WebhookAttempt = { at: new Date().toISOString(), url: req.url, headers: req.headers, body: req.body };
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'User-Agent': 'RouterOS simulator', ...req.headers },
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    attempt.status = res.status;
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    attempt.error = (err as Error).message;
  }
  return attempt;
}
