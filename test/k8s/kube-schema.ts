/**
 * Offline validation of Kubernetes objects against the API's OpenAPI schemas.
 *
 * The schemas come compiled (Ajv standalone validators) in the `kubernetes-models` package, one
 * model class per apiVersion and kind, so nothing is fetched at test time. Version 4.x is used
 * because it is CommonJS and runs on Node 20 (5.x is ESM-only and needs Node 22).
 *
 * The Kubernetes schemas do not forbid unknown fields (the API server drops or rejects them at
 * apply time), so a misspelt `readinesProbe` would pass a plain schema check. The strict mode
 * here finds them: the validator is given a proxy that records which properties of each object
 * it reads, and any property it never looked at is one the schema does not define. Objects
 * whose keys the validator enumerates (maps such as labels or resources.limits) are free-form.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface ModelClass {
  prototype: { validate(this: unknown): void };
}

/** The kubernetes-models class for an apiVersion and kind, or undefined when it ships none. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  // "v1", "apps/v1", "networking.k8s.io/v1": also the module path inside the package.
  if (!/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  let exported: Record<string, unknown>;
  try {
    exported = require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const model = exported[kind];
  return typeof model === 'function' ? (model as unknown as ModelClass) : undefined;
}

/** Wraps `root` so that every property read and every key enumeration is recorded. */
function recordReads(root: object) {
  const read = new WeakMap<object, Set<string>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      const keys = new Set<string>();
      read.set(value, keys);
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === 'string') keys.add(key);
          return wrap(Reflect.get(target, key, receiver));
        },
        has(target, key) {
          if (typeof key === 'string') keys.add(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          enumerated.add(target);
          return Reflect.ownKeys(target);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };

  /** Paths of the properties the validator never read, below objects it treated as structs. */
  const unread = (value: unknown, path: string, out: string[] = []): string[] => {
    if (value === null || typeof value !== 'object') return out;
    if (Array.isArray(value)) {
      value.forEach((item, i) => unread(item, `${path}[${i}]`, out));
      return out;
    }
    const keys = read.get(value);
    if (!keys) return out; // the validator never reached this object
    for (const [key, child] of Object.entries(value)) {
      if (!enumerated.has(value) && !keys.has(key)) out.push(`${path}.${key}`);
      else unread(child, `${path}.${key}`, out);
    }
    return out;
  };

  return { proxy: wrap(root) as object, unread: () => unread(root, '') };
}

/**
 * Problems with one object: no schema for its kind, schema violations, unknown fields. Empty when
 * the object is valid.
 */
export function schemaProblems(obj: KubeObject): string[] {
  const model = modelFor(obj.apiVersion, obj.kind);
  if (!model) return [`no schema for ${obj.apiVersion} ${obj.kind} in kubernetes-models`];
  const { proxy, unread } = recordReads(obj);
  try {
    // A model's validate() checks `this`; given the proxy, every read is recorded.
    model.prototype.validate.call(proxy);
  } catch (err) {
    return [(err as Error).message];
  }
  return unread().map((path) => `unknown field ${path.slice(1)}`);
}
