/**
 * Offline OpenAPI validation of rendered objects with the kubernetes-models validators, made
 * strict: those validators check types, formats, enums and required fields but accept unknown
 * fields. We run the compiled validator on a Proxy that records every field it reads; a field of
 * the object the schema never looked at is not in the schema, i.e. a misspelt or invented field.
 * Map-typed fields (labels, data, ...) are iterated by the validator, so their keys count as read.
 */
import * as path from "path";
import { pathToFileURL } from "url";
import type { K8sObject } from "../../lib/chartProfiles";

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: unknown }[] | null };

/** Schema module of each kind the chart and the stacks render. */
const schemaModules: Record<string, string> = {
  "v1/ConfigMap": "kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap",
  "v1/Secret": "kubernetes-models/_schemas/IoK8sApiCoreV1Secret",
  "v1/Service": "kubernetes-models/_schemas/IoK8sApiCoreV1Service",
  "v1/ServiceAccount": "kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount",
  "v1/Namespace": "kubernetes-models/_schemas/IoK8sApiCoreV1Namespace",
  "v1/Pod": "kubernetes-models/_schemas/IoK8sApiCoreV1Pod",
  "v1/PersistentVolume": "kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolume",
  "v1/PersistentVolumeClaim": "kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaim",
  "apps/v1/Deployment": "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment",
  "batch/v1/Job": "kubernetes-models/_schemas/IoK8sApiBatchV1Job",
  "batch/v1/CronJob": "kubernetes-models/_schemas/IoK8sApiBatchV1CronJob",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy",
  "storage.k8s.io/v1/StorageClass": "kubernetes-models/_schemas/IoK8sApiStorageV1StorageClass",
  "argoproj.io/v1alpha1/Rollout": "@kubernetes-models/argo-rollouts/_schemas/ComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1Rollout",
  "monitoring.coreos.com/v1/ServiceMonitor":
    "@kubernetes-models/prometheus-operator/_schemas/ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitor",
};

// The model packages are ESM-only with an "import"-only exports map; a CommonJS build would turn
// `import()` into `require()`, so the dynamic import is kept out of the compiler's sight.
const importEsm = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>;

const cache = new Map<string, Validator>();

async function validatorFor(obj: K8sObject): Promise<Validator> {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const mod = schemaModules[key];
  if (!mod) throw new Error(`no OpenAPI schema registered for ${key}`);
  let v = cache.get(mod);
  if (!v) {
    // The CRD model packages do not export their _schemas; import the file itself.
    const [pkg, file] = mod.startsWith("@") ? [mod.split("/").slice(0, 2).join("/"), mod.split("/").slice(2).join("/")] : [mod.split("/")[0], mod.split("/").slice(1).join("/")];
    const dir = path.dirname(require.resolve(`${pkg}/package.json`));
    v = (await importEsm(pathToFileURL(path.join(dir, `${file}.js`)).href)).validate as Validator;
    cache.set(mod, v);
  }
  return v;
}

function tracked(value: unknown, at: string, seen: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key === "string" && Object.prototype.hasOwnProperty.call(target, key)) {
        const child = `${at}/${key}`;
        seen.add(child);
        return tracked(v, child, seen);
      }
      return v;
    },
  });
}

function unknownFields(value: unknown, at: string, seen: Set<string>, out: string[]): void {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value as object)) {
    const p = `${at}/${key}`;
    if (!seen.has(p)) out.push(p);
    else unknownFields(child, p, seen, out);
  }
}

/** Problems of one object against its OpenAPI schema: schema errors, then unknown fields. Empty when valid. */
export async function openApiProblems(obj: K8sObject): Promise<string[]> {
  const validate = await validatorFor(obj);
  const seen = new Set<string>();
  const ok = validate(tracked(obj, "", seen));
  const problems = ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  const unknown: string[] = [];
  unknownFields(obj, "", seen, unknown);
  return [...problems, ...unknown.map((p) => `${p}: unknown field (not in the ${obj.kind} schema)`)];
}
