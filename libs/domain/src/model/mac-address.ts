/**
 * "aa-bb-cc-dd-ee-ff", "AABB.CCDD.EEFF", "aabbccddeeff" -> "AA:BB:CC:DD:EE:FF"; anything else
 * null. Routers (caller-id), the admin API and the console's lookup all store and compare MACs in
 * this one form. Untrusted input: returns null rather than throwing.
 */
export function normaliseMac(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 32) return null;
  const hex = value.trim().replace(/[:.\- ]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}
