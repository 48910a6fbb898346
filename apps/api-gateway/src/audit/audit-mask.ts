import { isDeepStrictEqual } from 'node:util';

/** What a masked value reads as in the audit trail: the field stays visible, its value does not. */
export const SECRET_MARK = '[secret]';

/**
 * Field names whose values are secrets wherever they appear (request bodies, stored documents,
 * responses): passwords and their hashes, tokens, encrypted values, webhook URLs (a chat or Teams
 * webhook URL is itself the credential), keys and cookies.
 */
const SECRET_KEY = /pass(word|phrase|wd)?($|[^a-z])|password|secret|token|webhook|hash|encrypted|credential|authorization|cookie|api[-_]?key|private[-_]?key/i;
/** Timestamps and counters named after a secret (`webhookTokenIssuedAt`) are not one. */
const NOT_SECRET_SUFFIX = /(At|Count|Version)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_SUFFIX.test(key);
}

/** `scheme://user:password@` and `scheme://token@`: the credentials part of a URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]*)(?::[^\s/@?#]*)?@/gi;
/** Query parameters that carry credentials (`?token=`, `&api_key=`, `&sig=`...). */
const URL_SECRET_PARAM = /([?&][^=&#\s]*(?:token|key|secret|sig|signature|pass|auth|ticket|code)[^=&#\s]*=)[^&#\s]*/gi;
/** An http(s) URL: one naming a webhook (Slack's hooks host, a /webhook/ path) has its credential in the path. */
const HTTP_URL = /\b(https?:\/\/[^\s/?#]+)([/?#][^\s]*)?/gi;
/** A JWT anywhere in a string. */
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+/g;

/** A string with the credentials it may carry (URLs with userinfo or secret parameters, webhook paths, JWTs) cut out. */
export function maskString(s: string): string {
  return s
    .replace(JWT, SECRET_MARK)
    .replace(HTTP_URL, (url: string, origin: string, rest?: string) => (rest && /hook/i.test(url) ? `${origin}/${SECRET_MARK}` : url))
    .replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${SECRET_MARK}@`)
    .replace(URL_SECRET_PARAM, `$1${SECRET_MARK}`);
}

export interface MaskOptions {
  /** Dotted paths marked secret (a schema path with `secret: true`), besides the secret-looking names. */
  secretPaths?: ReadonlySet<string>;
}

const MAX_DEPTH = 8;
const MAX_ARRAY = 200;
const MAX_STRING = 2000;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A key the store accepts as a field name (not empty, no leading `$`, no dots, no NUL), so any request body can be kept. */
function safeKey(key: string): string {
  return key.replace(/^\$/, '_$').replace(/[.\0]/g, '_') || '_';
}

/**
 * A JSON-safe copy of `value` with every secret masked: values under secret-looking names or
 * marked paths become SECRET_MARK (null and undefined stay, so "no password" reads as such), and
 * every string loses the credentials it may carry. Ids and dates become strings. Depth, array
 * length and string length are bounded, so a hostile request body cannot bloat the trail.
 */
export function maskSecrets(value: unknown, opts: MaskOptions = {}, path = '', depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (typeof value === 'string') return maskString(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY).map((v) => maskSecrets(v, opts, path, depth + 1));
    if (value.length > MAX_ARRAY) items.push(`[${value.length - MAX_ARRAY} more]`);
    return items;
  }
  if (typeof value === 'object') {
    // ObjectIds, Decimal128, Buffers...: their JSON form (an id's hex string).
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function' && !isPlainObject(json.call(value))) return maskSecrets(json.call(value), opts, path, depth + 1);
    if (typeof (value as { toHexString?: unknown }).toHexString === 'function') return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      const p = path ? `${path}.${k}` : k;
      // A flag (`hasPassword`) says whether there is a secret, never what it is.
      const secret = v !== null && typeof v !== 'boolean' && (isSecretKey(k) || opts.secretPaths?.has(p));
      out[safeKey(k)] = secret ? SECRET_MARK : maskSecrets(v, opts, p, depth + 1);
    }
    return out;
  }
  return null; // functions, symbols
}

/** Paths a Mongoose schema marks secret (`{ type: String, secret: true }`): masked whatever they are called. */
export interface SchemaPaths {
  eachPath(fn: (path: string, type: { options?: { secret?: unknown } }) => void): unknown;
}

export function secretPathsOf(schema: SchemaPaths): Set<string> {
  const paths = new Set<string>();
  schema.eachPath((p, type) => {
    if (type.options?.secret === true) paths.add(p);
  });
  return paths;
}

/** Bookkeeping fields every write touches: not a change anyone made. */
const IGNORED = new Set(['updatedAt', '__v']);

export interface Change {
  /** Dotted paths of the fields that differ. */
  changed: string[];
  /** The changed fields as they were (nested like the document), or the whole document when created. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let t = target;
  for (const k of path.slice(0, -1)) t = (t[k] ??= {}) as Record<string, unknown>;
  t[path[path.length - 1]] = value;
}

function walk(before: Record<string, unknown>, after: Record<string, unknown>, prefix: string[], out: { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> }): void {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!prefix.length && IGNORED.has(key)) continue;
    const b = before[key];
    const a = after[key];
    const path = [...prefix, key];
    if (isPlainObject(b) && isPlainObject(a)) walk(b, a, path, out);
    else if (!isDeepStrictEqual(b ?? null, a ?? null)) {
      out.changed.push(path.join('.'));
      setPath(out.before, path, b ?? null);
      setPath(out.after, path, a ?? null);
    }
  }
}

/**
 * What a write changed, from the document before and after it (either may be null: created,
 * deleted). Compared on the raw values, so a re-encrypted password counts as changed even though
 * both sides are then masked alike; only changed fields are kept, nested as in the document.
 * Secrets are masked on the way out.
 */
export function diffDocuments(before: unknown, after: unknown, opts: MaskOptions = {}): Change {
  // JSON-safe first (ids and dates as strings) so equal values compare equal, unmasked.
  const plain = (v: unknown) => (v === null || v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Record<string, unknown>));
  const b = plain(before);
  const a = plain(after);
  const mask = (v: unknown) => maskSecrets(v, opts) as Record<string, unknown> | null;
  if (!b || !a) {
    const whole = (d: Record<string, unknown> | null) => (d ? Object.keys(d).filter((k) => !IGNORED.has(k)) : []);
    return { changed: whole(a ?? b), before: mask(b), after: mask(a) };
  }
  const out = { changed: [] as string[], before: {}, after: {} };
  walk(b, a, [], out);
  return { changed: out.changed, before: out.changed.length ? mask(out.before) : null, after: out.changed.length ? mask(out.after) : null };
}
