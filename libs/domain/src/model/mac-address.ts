/**
 * The one MAC normaliser: "aa-bb-cc-dd-ee-ff", "AABB.CCDD.EEFF", "aabbccddeeff" ->
 * "AA:BB:CC:DD:EE:FF" (how RouterOS shows them, and how the records store them); anything else
 * null. Values may be untrusted (router webhooks): it never throws.
 */
export function normaliseMac(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 32) return null;
  const hex = value.trim().replace(/[:.\- ]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}
