/**
 * A container's environment as the kubelet and containerd build it, from the rendered objects:
 * the image's env, HOSTNAME, then (kubelet) service links when enableServiceLinks is not false,
 * envFrom, env with valueFrom and $(VAR) references; nothing from the host.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import { K8sObject } from "../../../contract/k8s";
import { quantityCeil } from "../../../contract/quantity";
import { PodSpecError } from "./errors";

/** What env resolution needs to know about the pod. */
export interface PodFacts {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podIP: string;
  readonly hostIP: string;
  readonly nodeName: string;
  readonly serviceAccountName: string;
  readonly spec: any;
}

function inNamespace(objects: readonly K8sObject[], kind: string, namespace: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? namespace) === namespace);
}

/**
 * The keys a ConfigMap or Secret gives environment variables, as the kubelet reads them: a
 * Secret's data (base64; stringData, which the API server merges into data on write, wins), a
 * ConfigMap's data only (the kubelet never exposes binaryData as variables).
 */
export function objectData(obj: K8sObject): Record<string, string> {
  if (obj.kind === "Secret") {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries<string>(obj.data ?? {})) out[k] = Buffer.from(v, "base64").toString("utf8");
    return { ...out, ...(obj.stringData ?? {}) };
  }
  return { ...(obj.data ?? {}) };
}

/** Binary-safe data of a ConfigMap or Secret, for volumes. */
export function objectBytes(obj: K8sObject): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const b64 = obj.kind === "Secret" ? obj.data : obj.binaryData;
  for (const [k, v] of Object.entries<string>(b64 ?? {})) out[k] = Buffer.from(v, "base64");
  const plain = obj.kind === "Secret" ? obj.stringData : obj.data;
  for (const [k, v] of Object.entries<string>(plain ?? {})) out[k] = Buffer.from(v, "utf8");
  return out;
}

/**
 * Looks up a ConfigMap or Secret the pod refers to (for `key`, when one key is wanted); undefined
 * when it is absent and optional, else a PodSpecError.
 */
export function referenced(
  objects: readonly K8sObject[],
  kind: "ConfigMap" | "Secret",
  name: string,
  namespace: string,
  optional: boolean,
  where: string,
  key?: string,
): K8sObject | undefined {
  const obj = inNamespace(objects, kind, namespace, name);
  const wanted = key === undefined ? "" : ` for key ${key}`;
  if (!obj && !optional) throw new PodSpecError(where, `${kind} ${namespace}/${name} is referenced${wanted} but not among the rendered objects (the kubelet reports CreateContainerConfigError; mark the reference optional: true if the pod may start without it)`);
  return obj;
}

/**
 * Expands $(VAR) references as the kubelet does (third_party/forked/golang/expansion): a defined
 * VAR is replaced, an undefined one is left as written, $$ is a literal $, and an unclosed "$("
 * is kept while the text after it is still scanned.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== "$" || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    const close = next === "(" ? input.indexOf(")", i + 2) : -1;
    if (close >= 0) {
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      // "$$" -> "$", "$(" unclosed -> "$(", "$x" -> "$x": the next character is consumed as is.
      out += next === "$" ? "$" : `$${next}`;
      i++;
    }
  }
  return out;
}

/** ClusterIP a rendered Service would get: its own, else a stable address in the default service range 10.96.0.0/12. */
export function serviceClusterIP(svc: K8sObject): string | undefined {
  const ip = svc.spec?.clusterIP;
  if (ip === "None" || svc.spec?.type === "ExternalName") return undefined;
  if (ip) return ip;
  const h = createHash("sha256").update(`${svc.metadata?.namespace ?? ""}/${svc.metadata?.name}`).digest();
  return `10.${96 + (h[0] & 15)}.${h[1]}.${Math.max(1, h[2] % 255)}`;
}

/** The Docker-link style variables the kubelet injects for the Services of the pod's namespace. */
export function serviceLinkEnv(objects: readonly K8sObject[], namespace: string): Record<string, string> {
  const env: Record<string, string> = {};
  const services = objects.filter((o) => o.kind === "Service" && (o.metadata?.namespace ?? namespace) === namespace);
  for (const svc of services) {
    const ip = serviceClusterIP(svc);
    const ports: any[] = svc.spec?.ports ?? [];
    if (!ip || ports.length === 0) continue;
    const name = String(svc.metadata?.name).toUpperCase().replace(/-/g, "_");
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, "_")}`] = String(p.port);
    const proto = (p: any) => String(p.protocol ?? "TCP");
    // net.JoinHostPort: an IPv6 address is bracketed.
    const hostPort = (port: number) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);
    env[`${name}_PORT`] = `${proto(ports[0]).toLowerCase()}://${hostPort(ports[0].port)}`;
    for (const p of ports) {
      const prefix = `${name}_PORT_${p.port}_${proto(p).toUpperCase()}`;
      env[prefix] = `${proto(p).toLowerCase()}://${hostPort(p.port)}`;
      env[`${prefix}_PROTO`] = proto(p).toLowerCase();
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  return env;
}

/** fieldpath.FormatMap: one key="value" line per entry, sorted by key. */
function formatMap(map: Readonly<Record<string, string>>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${JSON.stringify(map[k])}`)
    .join("\n");
}

/** A downward-API field of the pod (env fieldRef and downwardAPI volume items). */
export function fieldValue(pod: PodFacts, fieldPath: string, where: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return (m[1] === "labels" ? pod.labels : pod.annotations)[m[2]] ?? "";
  switch (fieldPath) {
    case "metadata.name":
      return pod.name;
    case "metadata.namespace":
      return pod.namespace;
    case "metadata.uid":
      return pod.uid;
    case "metadata.labels":
      return formatMap(pod.labels);
    case "metadata.annotations":
      return formatMap(pod.annotations);
    case "spec.nodeName":
      return pod.nodeName;
    case "spec.serviceAccountName":
      return pod.serviceAccountName;
    case "spec.terminationGracePeriodSeconds":
      return String(pod.spec.terminationGracePeriodSeconds ?? 30);
    case "status.hostIP":
    case "status.hostIPs":
      return pod.hostIP;
    case "status.podIP":
    case "status.podIPs":
      return pod.podIP;
    default:
      throw new PodSpecError(where, `fieldRef ${fieldPath} is not a downward-API field`);
  }
}

/** What the kubelet reports for a limit the container does not set: the node's allocatable amount. */
function nodeAllocatable(resource: string): bigint | undefined {
  if (resource === "cpu") return BigInt(os.cpus().length);
  if (resource === "memory") return BigInt(os.totalmem());
  if (resource === "ephemeral-storage") {
    const st = fs.statfsSync("/");
    return BigInt(st.blocks) * BigInt(st.bsize);
  }
  return undefined;
}

/**
 * A resource of a container (limits.memory, requests.cpu, ...) divided by `divisor` (default 1),
 * rounded up, as resource.ExtractContainerResourceValue computes it: CPU in millicores, the rest
 * in whole units. A request the container does not set is its limit (the API server's defaulting),
 * a limit it does not set the node's allocatable amount (defaultPodLimitsForDownwardAPI).
 */
export function resourceValue(pod: PodFacts, ref: { containerName?: string; resource: string; divisor?: string | number }, container: any, where: string): string {
  const target = ref.containerName
    ? [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].find((c: any) => c.name === ref.containerName)
    : container;
  if (!target) throw new PodSpecError(where, `resourceFieldRef names container ${ref.containerName}, which the pod does not have`);
  const m = /^(limits|requests)\.(.+)$/.exec(ref.resource);
  if (!m) throw new PodSpecError(where, `resourceFieldRef resource ${ref.resource} is not limits.<name> or requests.<name>`);
  const [, kind, resource] = m;
  const limit = target.resources?.limits?.[resource];
  const declared = kind === "limits" ? limit : (target.resources?.requests?.[resource] ?? limit);
  const scale = resource === "cpu" ? 3 : 0;
  const value = declared !== undefined ? quantityCeil(declared, scale) : kind === "limits" ? (nodeAllocatable(resource) ?? 0n) * 10n ** BigInt(scale) : 0n;
  const divisor = quantityCeil(ref.divisor ?? 1, scale);
  if (divisor <= 0n) throw new PodSpecError(where, `resourceFieldRef divisor ${ref.divisor} is not positive`);
  return String(value / divisor + (value % divisor > 0n ? 1n : 0n));
}

/**
 * The container's environment, in the order the runtime applies it: image env, HOSTNAME, then the
 * kubelet's list (service links, envFrom, env). Returns the final map and the kubelet's part
 * alone (what $(VAR) in command and args may refer to).
 */
export function containerEnv(
  objects: readonly K8sObject[],
  pod: PodFacts,
  container: any,
  image: { env: Readonly<Record<string, string>> },
  hostname: string,
  where: string,
): { env: Record<string, string>; kubelet: Record<string, string> } {
  const kubelet: Record<string, string> = {};
  if (pod.spec.enableServiceLinks !== false) Object.assign(kubelet, serviceLinkEnv(objects, pod.namespace));

  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? "ConfigMap" : "Secret";
    if (!ref) throw new PodSpecError(where, "envFrom entry has neither configMapRef nor secretRef");
    const obj = referenced(objects, kind, ref.name, pod.namespace, ref.optional === true, `${where} envFrom`);
    if (!obj) continue;
    for (const [k, v] of Object.entries(objectData(obj))) {
      const key = `${source.prefix ?? ""}${k}`;
      // The kubelet skips (with an event) keys that are not valid variable names.
      if (key.includes("=") || key.length === 0) continue;
      kubelet[key] = v;
    }
  }

  for (const e of container.env ?? []) {
    // The kubelet expands a non-empty value and otherwise resolves valueFrom.
    if ((e.value ?? "") !== "" || !e.valueFrom) {
      kubelet[e.name] = expand(e.value ?? "", (n) => kubelet[n]);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) kubelet[e.name] = fieldValue(pod, vf.fieldRef.fieldPath, `${where} env ${e.name}`);
    else if (vf.resourceFieldRef) kubelet[e.name] = resourceValue(pod, vf.resourceFieldRef, container, `${where} env ${e.name}`);
    else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      const kind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
      const obj = referenced(objects, kind, ref.name, pod.namespace, ref.optional === true, `${where} env ${e.name}`, ref.key);
      if (!obj) continue;
      const data = objectData(obj);
      if (!(ref.key in data)) {
        if (ref.optional === true) continue;
        throw new PodSpecError(`${where} env ${e.name}`, `${kind} ${pod.namespace}/${ref.name} has no key ${ref.key} (keys: ${Object.keys(data).join(", ") || "none"})`);
      }
      kubelet[e.name] = data[ref.key];
    } else {
      throw new PodSpecError(`${where} env ${e.name}`, `valueFrom has none of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef`);
    }
  }
  return { env: { ...image.env, HOSTNAME: hostname, ...kubelet }, kubelet };
}
