import { WEBHOOK_TOKEN_HEADER, WebhookKind, webhookPath } from '@isp/domain/events/webhook-events';

/**
 * RouterOS scripts ("snitches") that report events to webhook-ingest with `/tool fetch`.
 * Field names are the ingest contract in libs/domain (webhook-events.ts). Rules every script
 * follows:
 * - first line is a marker comment, so the reconciler knows the script is ours and which one;
 * - the whole body sits in `:do { } on-error={ }`, so a failed POST never breaks the PPP,
 *   DHCP or Netwatch work the router is doing;
 * - values from users (usernames, hostnames) are encoded, never pasted into the body:
 *   7.13+ builds JSON with `:serialize`; older releases have no serializer, so they send
 *   application/x-www-form-urlencoded with every dynamic value percent-encoded by a small
 *   function in the script. Values known at generation time (Netwatch host and name) are
 *   escaped here instead.
 *
 * One dialect per family of releases that differ (docs/routeros.md, "Script dialects"):
 * - `v6`: form body, `/tool fetch ... keep-result=no`;
 * - `v7-form` (7.0 to 7.12): form body like v6, v7's `/tool fetch ... output=none`;
 * - `v7-json` (7.13+): JSON body from `:serialize`, `output=none`.
 */

export const MANAGED_TAG = 'isp-netops';
export const SNITCH_VERSION = 1;
/** The header as written in scripts; HTTP header names are case-insensitive. */
export const SNITCH_TOKEN_HEADER = 'X-Webhook-Token';
if (SNITCH_TOKEN_HEADER.toLowerCase() !== WEBHOOK_TOKEN_HEADER) throw new Error('snitch token header drifted from the ingest contract');

export type SnitchKind = 'ppp-up' | 'ppp-down' | 'dhcp-lease' | 'netwatch-up' | 'netwatch-down';

export type SnitchDialect = 'v6' | 'v7-form' | 'v7-json';
export const SNITCH_DIALECTS: readonly SnitchDialect[] = ['v6', 'v7-form', 'v7-json'];

/**
 * The dialect a router of this version understands, from the version it reports
 * (`/system/resource` `version`, e.g. "6.48.6", "7.10.2", "7.16 (stable)"); undefined when the
 * version is unknown or unreadable.
 */
export function snitchDialect(version: string | undefined): SnitchDialect | undefined {
  const m = /^(\d+)\.(\d+)/.exec((version ?? '').trim());
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 7) return 'v6';
  return major === 7 && minor < 13 ? 'v7-form' : 'v7-json';
}

export interface SnitchOptions {
  /** where webhook-ingest listens, as the router reaches it, e.g. "https://ingest.isp.example" */
  ingestBaseUrl: string;
  /** the router's webhook token (shown once when issued) */
  token: string;
  dialect: SnitchDialect;
}

export interface NetwatchSnitchOptions extends SnitchOptions {
  /** the Device's IP, as in the Netwatch entry */
  host: string;
  /** the Device's name, sent as `name` */
  deviceName?: string;
}

const TS_V7 = '([/system clock get date] . " " . [/system clock get time])';
// Router-produced date and time hold only [a-z0-9/:-], safe in a form body without encoding.
const TS_V6 = '([/system clock get date] . "%20" . [/system clock get time])';
const IFNAME = [':local ifname ""', ':do { :set ifname [/interface get $interface name] } on-error={}'];

/** A RouterOS double-quoted string literal holding exactly `value`. */
export function rosString(value: string): string {
  const escaped = value.replace(/[\\"$?\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', $: '\\$', '?': '\\?', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
  // eslint-disable-next-line no-control-regex
  return `"${escaped.replace(/[\x00-\x1f\x7f]/g, '')}"`;
}

export function snitchMarker(kind: SnitchKind): string {
  return `# managed-by=${MANAGED_TAG} kind=${kind} v=${SNITCH_VERSION}`;
}

/** Reads the marker line back: which snitch a script is, or undefined if it is not ours. */
export function parseSnitchMarker(source: string | undefined): { kind: SnitchKind; version: number } | undefined {
  const m = /^# managed-by=isp-netops kind=(ppp-up|ppp-down|dhcp-lease|netwatch-up|netwatch-down) v=(\d+)/m.exec(source ?? '');
  return m ? { kind: m[1] as SnitchKind, version: Number(m[2]) } : undefined;
}

export function isManagedScript(source: string | undefined): boolean {
  return parseSnitchMarker(source) !== undefined;
}

function checkOptions(o: SnitchOptions): void {
  if (!/^https?:\/\/[^\s"\\$,]+$/.test(o.ingestBaseUrl)) throw new Error(`snitch: ingestBaseUrl must be an http(s) URL without quotes, "$", "\\" or commas`);
  // The token goes inside http-header-field, where a comma separates headers.
  if (!/^[A-Za-z0-9_.-]+$/.test(o.token)) throw new Error('snitch: token must be [A-Za-z0-9_.-]');
  if (!SNITCH_DIALECTS.includes(o.dialect)) throw new Error(`snitch: dialect must be one of ${SNITCH_DIALECTS.join(', ')}`);
}

function url(o: SnitchOptions, kind: WebhookKind): string {
  return o.ingestBaseUrl.replace(/\/+$/, '') + webhookPath(kind);
}

/** The body is JSON built by `:serialize` (7.13+), or a form body encoded by the script. */
const json = (o: SnitchOptions) => o.dialect === 'v7-json';

function fetchLine(o: SnitchOptions, kind: WebhookKind): string {
  const target = rosString(url(o, kind));
  const type = json(o) ? 'application/json' : 'application/x-www-form-urlencoded';
  const tail = o.dialect === 'v6' ? 'keep-result=no' : 'output=none';
  return `/tool fetch url=${target} http-method=post http-header-field="Content-Type: ${type},${SNITCH_TOKEN_HEADER}: ${o.token}" http-data=$body ${tail}`;
}

/**
 * v6: percent-encodes $1 byte by byte (RFC 3986 unreserved kept). RouterOS strings are bytes in
 * the router's charset (win1252, as Winbox and the API write them), so an accented name leaves
 * as %E9 and ingest decodes it back; only control characters are dropped. `:find` in a string of
 * every printable ASCII byte, then of every byte from 0x80 up ("\80" is RouterOS's hex escape),
 * gives the byte's value: v6 has no ord().
 */
const HIGH_BYTES = Array.from({ length: 128 }, (_, i) => `\\${(128 + i).toString(16).toUpperCase()}`).join('');
const URLENCODE_V6 = [
  ':local urlencode do={',
  '  :local hex "0123456789ABCDEF"',
  '  :local ascii " !\\"#\\$%&\'()*+,-./0123456789:;<=>\\?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"',
  `  :local high "${HIGH_BYTES}"`,
  '  :local out ""',
  '  :if ([:len $1] > 0) do={',
  '    :for i from=0 to=([:len $1] - 1) do={',
  '      :local c [:pick $1 $i]',
  '      :local p [:find $ascii $c]',
  '      :if ([:typeof $p] = "num") do={',
  '        :if (($p >= 16 && $p <= 25) || ($p >= 33 && $p <= 58) || ($p >= 65 && $p <= 90) || $p = 13 || $p = 14 || $p = 63 || $p = 94) do={',
  '          :set out ($out . $c)',
  '        } else={',
  '          :set out ($out . "%" . [:pick $hex (($p + 32) / 16)] . [:pick $hex (($p + 32) % 16)])',
  '        }',
  '      } else={',
  '        :local q [:find $high $c]',
  '        :if ([:typeof $q] = "num") do={',
  '          :set out ($out . "%" . [:pick $hex (($q + 128) / 16)] . [:pick $hex (($q + 128) % 16)])',
  '        }',
  '      }',
  '    }',
  '  }',
  '  :return $out',
  '}',
];

type Field = { name: string } & ({ expr: string } | { literal: string });

function wrap(kind: SnitchKind, o: SnitchOptions, webhook: WebhookKind, prelude: string[], fields: Field[]): string {
  const body: string[] = [];
  if (json(o)) {
    const entries = fields.map((f) => `"${f.name}"=${'literal' in f ? rosString(f.literal) : f.expr}`);
    body.push(`:local payload {${entries.join(';')}}`);
    body.push(':local body [:serialize to=json value=$payload options=json.no-string-conversion]');
  } else {
    const parts = fields.map((f, i) => {
      const key = `${i ? '&' : ''}${f.name}=`;
      return 'literal' in f ? rosString(key + encodeURIComponent(f.literal)) : `${rosString(key)} . ${f.expr}`;
    });
    body.push(`:local body (${parts.join(' . ')})`);
  }
  const lines = [...prelude, ...body, fetchLine(o, webhook)];
  return [
    snitchMarker(kind),
    ':do {',
    ...lines.map((l) => `  ${l}`),
    `} on-error={ :log warning "${MANAGED_TAG}: ${kind} webhook failed" }`,
    '',
  ].join('\n');
}

/** JSON bodies take a value as [:tostr], form bodies through the percent-encoder. */
function dyn(o: SnitchOptions, variable: string): string {
  return json(o) ? `[:tostr ${variable}]` : `[$urlencode [:tostr ${variable}]]`;
}

/** The script's own percent-encoder, for form bodies. */
const encoder = (o: SnitchOptions) => (json(o) ? [] : URLENCODE_V6);
const ts = (o: SnitchOptions) => (json(o) ? TS_V7 : TS_V6);

function pppScript(event: 'up' | 'down', o: SnitchOptions): string {
  checkOptions(o);
  const prelude = [...encoder(o), ...IFNAME];
  return wrap(`ppp-${event}`, o, WebhookKind.PPP, prelude, [
    { name: 'event', literal: event },
    { name: 'user', expr: dyn(o, '$user') },
    { name: 'address', expr: dyn(o, '$"remote-address"') },
    { name: 'callerId', expr: dyn(o, '$"caller-id"') },
    { name: 'iface', expr: json(o) ? '$ifname' : '[$urlencode $ifname]' },
    { name: 'ts', expr: ts(o) },
  ]);
}

/** PPP profile `on-up`. */
export function pppOnUpScript(o: SnitchOptions): string {
  return pppScript('up', o);
}

/** PPP profile `on-down`. */
export function pppOnDownScript(o: SnitchOptions): string {
  return pppScript('down', o);
}

/** DHCP server `lease-script` (runs on bind with leaseBound=1 and on release/expiry with 0). */
export function dhcpLeaseScript(o: SnitchOptions): string {
  checkOptions(o);
  return wrap('dhcp-lease', o, WebhookKind.DHCP, encoder(o), [
    { name: 'bound', expr: dyn(o, '$leaseBound') },
    { name: 'mac', expr: dyn(o, '$leaseActMAC') },
    { name: 'ip', expr: dyn(o, '$leaseActIP') },
    { name: 'server', expr: dyn(o, '$leaseServerName') },
    { name: 'hostname', expr: dyn(o, '$"lease-hostname"') },
    { name: 'ts', expr: ts(o) },
  ]);
}

function netwatchScript(status: 'up' | 'down', o: NetwatchSnitchOptions): string {
  checkOptions(o);
  if (!/^[0-9A-Za-z.:%@_-]+$/.test(o.host)) throw new Error(`snitch: netwatch host "${o.host}" is not an address`);
  const fields: Field[] = [
    { name: 'host', literal: o.host },
    { name: 'status', literal: status },
  ];
  if (o.deviceName !== undefined) fields.push({ name: 'name', literal: o.deviceName });
  fields.push({ name: 'ts', expr: ts(o) });
  return wrap(`netwatch-${status}`, o, WebhookKind.NETWATCH, [], fields);
}

/** Netwatch `up-script` for one Device (host embedded: v6 has no $host in scripts). */
export function netwatchUpScript(o: NetwatchSnitchOptions): string {
  return netwatchScript('up', o);
}

/** Netwatch `down-script` for one Device. */
export function netwatchDownScript(o: NetwatchSnitchOptions): string {
  return netwatchScript('down', o);
}
