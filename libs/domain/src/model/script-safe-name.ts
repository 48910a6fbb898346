/**
 * Control characters (C0, DEL and C1). A name holding one cannot make the round trip a router's
 * script makes: the name goes into the script, the router sends it back in a webhook, and ingest
 * refuses control characters there, so every event about that device would be refused, silently
 * and for good. The API and the topology loader refuse such names up front.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

export function hasControlChars(value: unknown): boolean {
  return typeof value === 'string' && CONTROL_CHARS.test(value);
}
