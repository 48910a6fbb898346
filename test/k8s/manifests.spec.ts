// The Kubernetes manifests under k8s/: rendered with `kubectl kustomize` (no cluster needed),
// every object validated offline against the Kubernetes schemas (kubernetes-models, strict about
// unknown fields), then the properties the platform relies on checked one by one.
// KUBECTL=/path/to/kubectl picks another kubectl (e.g. to try an older embedded kustomize).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CommonEnv } from '@isp/platform';
import { loadApiGatewayConfig } from '../../apps/api-gateway/src/config/api-gateway.config';
import { loadDiagnosticsConfig } from '../../apps/diagnostics/src/config/diagnostics.config';
import { loadNotifierConfig } from '../../apps/notifier/src/config/notifier.config';
import { loadProvisioningConfig } from '../../apps/provisioning/src/config/provisioning.config';
import { loadWebhookIngestConfig } from '../../apps/webhook-ingest/src/config/webhook-ingest.config';
import { schemaProblems, type KubeObject } from './kube-schema';

const ROOT = join(__dirname, '..', '..');
const KUBECTL = process.env.KUBECTL || 'kubectl';

/** Each app's own config loader: the manifests must give every app an environment it accepts. */
const APPS: Record<string, (env: Record<string, string>) => CommonEnv> = {
  'api-gateway': loadApiGatewayConfig,
  'webhook-ingest': loadWebhookIngestConfig,
  diagnostics: loadDiagnosticsConfig,
  provisioning: loadProvisioningConfig,
  notifier: loadNotifierConfig,
};
const AUTOSCALED = ['webhook-ingest', 'diagnostics', 'provisioning', 'notifier'];
/** What the Dockerfile's runtime stage sets with ENV (the manifests may override it). */
const IMAGE_ENV = { NODE_ENV: 'production', PORT: '3000', HOST: '0.0.0.0' };

/** The keys of the Secret isp-secrets, from its template (k8s/secrets.example.env; in no kustomization). */
const SECRET_TEMPLATE = join(ROOT, 'k8s', 'secrets.example.env');
function secretTemplate(): Record<string, string> {
  const lines = readFileSync(SECRET_TEMPLATE, 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/**
 * What an operator creates outside kustomize (see k8s/README.md, "Secrets"): the template's keys
 * with real values, generated here. The checks resolve the Deployments' references against it.
 */
function operatorSecret(): KubeObject {
  const pw = () => randomBytes(12).toString('base64url');
  const values: Record<string, string> = {
    MONGO_URL: `mongodb://isp:${pw()}@mongo-0.mongo:27017,mongo-1.mongo:27017/isp?replicaSet=rs0&authSource=admin`,
    REDIS_URL: `redis://:${pw()}@redis:6379/0`,
    SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@isp.example.net',
    ADMIN_PASSWORD: pw(),
  };
  // The template and this stand-in list the same keys, so a key added to one must reach the other.
  expect(Object.keys(values).sort()).toEqual(Object.keys(secretTemplate()).sort());
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'isp-secrets' }, type: 'Opaque', stringData: values };
}

// ---- the few shapes the checks read (the schema check covers the rest) --------------------------
interface Probe {
  httpGet?: { path?: string; port: string | number };
  exec?: { command?: string[] };
  sleep?: { seconds: number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface EnvFrom {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: Probe };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: SecurityContext;
  volumes?: { name: string; emptyDir?: object }[];
}
interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels?: Record<string, string> }; template: { metadata: { labels?: Record<string, string> }; spec: PodSpec } };
}
interface Hpa extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number } } }[];
  };
}
interface Pdb extends KubeObject {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: { matchLabels?: Record<string, string> } };
}
interface Service extends KubeObject {
  spec: { selector?: Record<string, string>; ports: { name?: string; port: number; targetPort?: string | number }[] };
}
interface Ingress extends KubeObject {
  spec: {
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths: { backend: { service?: { name: string; port: { name?: string; number?: number } } } }[] } }[];
  };
}

// ---- rendering ---------------------------------------------------------------------------------
function render(dir: string): KubeObject[] {
  let out: string;
  try {
    out = execFileSync(KUBECTL, ['kustomize', join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${KUBECTL} not found: tools/ensure-deps.sh installs Debian's kubernetes-client`, { cause: err });
    throw new Error(`${KUBECTL} kustomize ${dir} failed: ${e.stderr || e.message}`, { cause: err });
  }
  const docs = parseAllDocuments(out);
  const broken = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (broken.length) throw new Error(`${dir} renders invalid YAML: ${broken.join('; ')}`);
  return docs.map((d) => d.toJS() as KubeObject | null).filter((o): o is KubeObject => o !== null);
}

const ofKind = <T extends KubeObject>(objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as T[];
const named = <T extends KubeObject>(objects: KubeObject[], kind: string, name: string) => ofKind<T>(objects, kind).find((o) => o.metadata.name === name);
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The API server decodes Secret data with Go's base64, which ignores line breaks (kustomize 5 wraps long values). */
function forSchema(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret' || !obj.data) return obj;
  const data = Object.fromEntries(Object.entries(obj.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')]));
  return { ...obj, data };
}

function secretData(secret: KubeObject): Record<string, string> {
  const data = Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]);
  return { ...Object.fromEntries(data), ...((secret.stringData ?? {}) as Record<string, string>) };
}

/** "500m" -> 0.5, "192Mi" -> 201326592, "2" -> 2. */
function quantity(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) return NaN;
  const unit: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? unit[m[2]] : 1);
}

/**
 * The environment a container gets (image ENV, envFrom, env), with a problem for every reference
 * to a ConfigMap or Secret, or a key of one, that the rendered objects do not define.
 */
function containerEnv(c: Container, objects: KubeObject[]): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = { ...IMAGE_ENV };
  const problems: string[] = [];
  const source = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined => {
    const obj = named(objects, kind, name);
    if (!obj) return undefined;
    return kind === 'Secret' ? secretData(obj) : ((obj.data ?? {}) as Record<string, string>);
  };
  for (const from of c.envFrom ?? []) {
    const [kind, ref] = from.configMapRef ? (['ConfigMap', from.configMapRef] as const) : (['Secret', from.secretRef!] as const);
    const data = source(kind, ref.name);
    if (!data) {
      if (!ref.optional) problems.push(`container ${c.name}: envFrom ${kind} ${ref.name} does not exist`);
      continue;
    }
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = e.value;
      continue;
    }
    const secretRef = e.valueFrom?.secretKeyRef;
    const configRef = e.valueFrom?.configMapKeyRef;
    const [kind, ref] = secretRef ? (['Secret', secretRef] as const) : configRef ? (['ConfigMap', configRef] as const) : [undefined, undefined];
    if (!kind || !ref) continue; // fieldRef / resourceFieldRef: filled in by the kubelet
    const data = source(kind, ref.name);
    if (data && ref.key in data) env[e.name] = data[ref.key];
    else if (!ref.optional) problems.push(`container ${c.name}: ${e.name} refers to ${kind} ${ref.name} key ${ref.key}, which ${data ? 'it does not define' : 'does not exist'}`);
  }
  return { env, problems };
}

/** Seconds a preStop hook keeps the pod serving before SIGTERM ("sleep N" or the sleep action). */
function preStopSeconds(c: Container): number {
  const hook = c.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const cmd = hook?.exec?.command ?? [];
  return cmd[0] === 'sleep' && /^\d+$/.test(cmd[1] ?? '') ? Number(cmd[1]) : 0;
}

/** Everything a Deployment must have; one line per violation. */
function deploymentProblems(d: Deployment, objects: KubeObject[]): string[] {
  const name = d.metadata.name;
  const pod = d.spec.template.spec;
  const problems: string[] = [];
  const bad = (what: string) => problems.push(`${name}: ${what}`);
  if (!matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)) bad('selector does not match the pod labels');
  if (pod.securityContext?.runAsNonRoot !== true) bad('pod securityContext.runAsNonRoot is not true');
  // The image's USER is a name ("node"): the kubelet enforces runAsNonRoot only with a numeric uid.
  if (!(Number(pod.securityContext?.runAsUser) > 0)) bad('pod securityContext.runAsUser is not a non-zero uid');

  const app = d.spec.template.spec.containers.find((c) => c.name === name);
  if (!app) bad(`no container named ${name}`);
  for (const c of pod.containers) {
    const where = `container ${c.name}`;
    const probe = (p: Probe | undefined, kind: string, path: string) => {
      if (p?.httpGet?.path !== path) bad(`${where} ${kind} is not an HTTP GET of ${path}`);
      else if (!c.ports?.some((port) => port.name === p.httpGet!.port || port.containerPort === p.httpGet!.port)) bad(`${where} ${kind} port ${p.httpGet.port} is not a container port`);
    };
    probe(c.livenessProbe, 'livenessProbe', '/health/live');
    probe(c.readinessProbe, 'readinessProbe', '/health/ready');
    if (!c.startupProbe?.httpGet) bad(`${where} has no HTTP startupProbe`);

    for (const res of ['cpu', 'memory']) {
      const request = c.resources?.requests?.[res];
      const limit = c.resources?.limits?.[res];
      if (request === undefined || limit === undefined) bad(`${where} lacks a ${res} request or limit`);
      else if (!(quantity(request) <= quantity(limit))) bad(`${where} ${res} request ${request} is above its limit ${limit}`);
    }

    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) bad(`${where} may run as root`);
    if (sc.allowPrivilegeEscalation !== false) bad(`${where} allows privilege escalation`);
    if (sc.readOnlyRootFilesystem !== true) bad(`${where} root filesystem is writable`);
    if (!sc.capabilities?.drop?.includes('ALL')) bad(`${where} does not drop all capabilities`);
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    if (!tmp || !pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir) bad(`${where} has no emptyDir at /tmp`);
  }

  if (app) {
    const { env, problems: refs } = containerEnv(app, objects);
    problems.push(...refs.map((p) => `${name}: ${p}`));
    const load = APPS[name];
    let config: CommonEnv | undefined;
    try {
      config = load?.(env);
    } catch (err) {
      bad(`the app rejects its environment: ${(err as Error).message}`);
    }
    if (config) {
      if (!app.ports?.some((p) => p.containerPort === config.PORT)) bad(`PORT ${config.PORT} is not a container port`);
      // SIGTERM comes after the preStop hook; the app then drains for SHUTDOWN_GRACE_MS. The pod is
      // killed terminationGracePeriodSeconds after the hook started: a little more than both.
      const needed = preStopSeconds(app) + Math.ceil(config.SHUTDOWN_GRACE_MS / 1000);
      const grace = pod.terminationGracePeriodSeconds;
      if (grace === undefined || grace < needed + 2 || grace > needed + 15) {
        bad(`terminationGracePeriodSeconds ${grace} should be 2-15 s above preStop + SHUTDOWN_GRACE_MS (${needed} s)`);
      }
    }
  }
  return problems;
}

/** Resolves a Service's targetPort against the pods it selects. */
function serviceProblems(s: Service, deployments: Deployment[]): string[] {
  const pods = deployments.filter((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
  if (!pods.length) return [`Service ${s.metadata.name} selects no Deployment's pods`];
  return s.spec.ports.flatMap((port) => {
    const target = port.targetPort ?? port.port;
    const ok = pods.every((d) => d.spec.template.spec.containers.some((c) => c.ports?.some((p) => p.name === target || p.containerPort === target)));
    return ok ? [] : [`Service ${s.metadata.name} port ${port.port} targets ${target}, which its pods do not expose`];
  });
}

function ingressProblems(i: Ingress, services: Service[]): string[] {
  const problems: string[] = [];
  const tlsHosts = new Set((i.spec.tls ?? []).flatMap((t) => t.hosts ?? []));
  for (const rule of i.spec.rules ?? []) {
    if (rule.host && !tlsHosts.has(rule.host)) problems.push(`Ingress ${i.metadata.name}: host ${rule.host} has no TLS entry`);
    for (const { backend } of rule.http?.paths ?? []) {
      const ref = backend.service;
      const svc = ref && services.find((s) => s.metadata.name === ref.name);
      if (!ref || !svc) problems.push(`Ingress ${i.metadata.name}: backend ${ref?.name} is not a Service`);
      else if (!svc.spec.ports.some((p) => (ref.port.name !== undefined ? p.name === ref.port.name : p.port === ref.port.number))) {
        problems.push(`Ingress ${i.metadata.name}: Service ${ref.name} has no port ${ref.port.name ?? ref.port.number}`);
      }
    }
  }
  return problems;
}

// ---- the suites ---------------------------------------------------------------------------------
describe.each([
  { dir: 'k8s/base', overlay: false },
  { dir: 'k8s/overlays/example', overlay: true },
])('Kubernetes manifests: $dir', ({ dir, overlay }) => {
  let objects: KubeObject[];
  /** The rendered objects plus the Secret the operator creates: what the pods see in a cluster. */
  let inCluster: KubeObject[];
  let deployments: Deployment[];
  beforeAll(() => {
    objects = render(dir);
    inCluster = [...objects, operatorSecret()];
    deployments = ofKind<Deployment>(objects, 'Deployment');
  });

  it('renders a Deployment, Service and PodDisruptionBudget per app, the ConfigMap, and no Secret', () => {
    for (const app of Object.keys(APPS)) {
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) expect(named(objects, kind, app) ? `${kind} ${app}` : `no ${kind} ${app}`).toBe(`${kind} ${app}`);
    }
    expect(named(objects, 'ConfigMap', 'isp-config')).toBeDefined();
    // isp-secrets is created outside kustomize, so `kubectl apply -k` can never overwrite a real one.
    expect(ofKind(objects, 'Secret').map((o) => o.metadata.name)).toEqual([]);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every object is valid against the Kubernetes schema, with no unknown fields', () => {
    const problems = objects.flatMap((o) => schemaProblems(forSchema(o)).map((p) => `${o.kind} ${o.metadata.name}: ${p}`));
    expect(problems).toEqual([]);
    expect(objects.length).toBeGreaterThan(0);
  });

  it('every Deployment: health probes, resources, a grace period sized to the drain, no root, a config its app accepts', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(Object.keys(APPS).sort());
    expect(deployments.flatMap((d) => deploymentProblems(d, inCluster))).toEqual([]);
  });

  it('webhook-ingest and every worker scale on CPU with an HPA that owns their replica count', () => {
    const hpas = ofKind<Hpa>(objects, 'HorizontalPodAutoscaler');
    for (const app of AUTOSCALED) {
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === app);
      expect(hpa ? app : `no HPA for ${app}`).toBe(app);
      expect(hpa!.apiVersion).toBe('autoscaling/v2');
      expect(hpa!.spec.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization')).toBe(true);
      expect(hpa!.spec.minReplicas ?? 1).toBeLessThanOrEqual(hpa!.spec.maxReplicas);
      // A replicas field would be reset on every apply, fighting the HPA.
      expect(named<Deployment>(objects, 'Deployment', app)!.spec.replicas).toBeUndefined();
    }
    for (const h of hpas) expect(named(objects, 'Deployment', h.spec.scaleTargetRef.name)).toBeDefined();
  });

  it('each app has a PodDisruptionBudget (minAvailable 1) over its pods, and at least 2 replicas', () => {
    const pdbs = ofKind<Pdb>(objects, 'PodDisruptionBudget');
    const hpas = ofKind<Hpa>(objects, 'HorizontalPodAutoscaler');
    for (const d of deployments) {
      const name = d.metadata.name;
      const pdb = pdbs.find((p) => matches(p.spec.selector?.matchLabels, d.spec.template.metadata.labels));
      expect(pdb ? name : `no PDB selects ${name}`).toBe(name);
      expect(pdb!.spec.minAvailable).toBe(1);
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === name);
      const fewest = hpa ? (hpa.spec.minReplicas ?? 1) : (d.spec.replicas ?? 1);
      expect({ name, fewest: Math.min(fewest, 2) }).toEqual({ name, fewest: 2 });
    }
  });

  it('Services and Ingresses reach existing pods and ports', () => {
    const services = ofKind<Service>(objects, 'Service');
    expect(services.flatMap((s) => serviceProblems(s, deployments))).toEqual([]);
    expect(ofKind<Ingress>(objects, 'Ingress').flatMap((i) => ingressProblems(i, services))).toEqual([]);
  });

  it('the Secret template (k8s/secrets.example.env) holds placeholders only', () => {
    const values = secretTemplate();
    expect(Object.keys(values).length).toBeGreaterThan(0);
    expect(Object.entries(values).filter(([, v]) => !/CHANGE-ME|example|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/.test(v))).toEqual([]);
  });

  if (overlay) {
    it('pins every image to a registry and a tag or digest, and exposes api-gateway and webhook-ingest over TLS', () => {
      const images = deployments.flatMap((d) => d.spec.template.spec.containers.map((c) => c.image));
      expect(images.filter((img) => !/^[a-z0-9.-]+\.[a-z]+(:\d+)?\/.+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/.test(img) || img.endsWith(':latest'))).toEqual([]);
      const backends = ofKind<Ingress>(objects, 'Ingress').flatMap((i) => (i.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend.service?.name)));
      expect([...new Set(backends)].sort()).toEqual(['api-gateway', 'webhook-ingest']);
    });
  }
});

describe('the manifest checks catch broken objects', () => {
  let objects: KubeObject[];
  let good: Deployment;
  const broken = (change: (d: Deployment) => void): Deployment => {
    const d = structuredClone(good);
    change(d);
    return d;
  };
  beforeAll(() => {
    objects = [...render('k8s/base'), operatorSecret()];
    good = named<Deployment>(objects, 'Deployment', 'api-gateway')!;
  });

  it('accepts the object the broken variants start from', () => {
    expect(schemaProblems(good)).toEqual([]);
    expect(deploymentProblems(good, objects)).toEqual([]);
  });

  it('schema: a wrong type, a missing required field, a misspelt field', () => {
    expect(schemaProblems(broken((d) => ((d.spec as Record<string, unknown>).replicas = 'two')))).toEqual(['data/spec/replicas must be integer']);
    expect(schemaProblems(broken((d) => delete (d.spec.template.spec.containers[0] as Partial<Container>).name)).join()).toMatch(/containers\/0 must have required property '?name'?/);
    const typo = broken((d) => {
      const c = d.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
      c.readinesProbe = c.readinessProbe;
      delete c.readinessProbe;
    });
    expect(schemaProblems(typo)).toEqual(['unknown field spec.template.spec.containers[0].readinesProbe']);
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['no schema for example.com/v1 Widget in kubernetes-models']);
  });

  it('platform rules: probe paths, resources, grace period, root, Secret keys, app config', () => {
    const c = (d: Deployment) => d.spec.template.spec.containers[0];
    const cases: [string, (d: Deployment) => void, RegExp][] = [
      ['liveness path', (d) => (c(d).livenessProbe!.httpGet!.path = '/health'), /livenessProbe is not an HTTP GET of \/health\/live/],
      ['no readiness', (d) => delete c(d).readinessProbe, /readinessProbe is not an HTTP GET of \/health\/ready/],
      ['no limits', (d) => delete c(d).resources!.limits, /lacks a cpu request or limit/],
      ['grace too short', (d) => (d.spec.template.spec.terminationGracePeriodSeconds = 10), /terminationGracePeriodSeconds 10 should be/],
      ['root allowed', (d) => (d.spec.template.spec.securityContext!.runAsNonRoot = false), /runAsNonRoot is not true/],
      ['unknown Secret key', (d) => (c(d).env!.find((e) => e.name === 'JWT_SECRET')!.valueFrom!.secretKeyRef!.key = 'JWT_SECRETS'), /key JWT_SECRETS, which it does not define/],
      ['bad config value', (d) => c(d).env!.push({ name: 'LOG_LEVEL', value: 'loud' }), /the app rejects its environment:[\s\S]*LOG_LEVEL must be one of/],
    ];
    for (const [what, change, expected] of cases) {
      expect({ what, problems: deploymentProblems(broken(change), objects).join('\n') }).toEqual({ what, problems: expect.stringMatching(expected) });
    }
  });
});
