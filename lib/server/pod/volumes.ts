/**
 * The pod's volumes, staged under the run directory in the pod's own mount namespace:
 * - emptyDir: a tmpfs of exactly its sizeLimit, so a write beyond it fails with ENOSPC. (On a
 *   node a disk-backed emptyDir over its limit gets the pod evicted instead; either way the pod
 *   cannot hold more. Pages written count against the writer's memory cgroup, as medium: Memory
 *   does on a node.) An emptyDir without sizeLimit is refused: it would be unbounded.
 * - configMap, secret, projected (of those and downwardAPI), downwardAPI: files written from the
 *   rendered objects in the kubelet's atomic-writer layout (..data), on a tmpfs (secrets never
 *   touch the disk), read-only.
 * - persistentVolumeClaim: a host directory the caller maps by claim name; generic ephemeral:
 *   the same by claim name (<pod>-<volume>), else a tmpfs of the requested storage size.
 * fsGroup applies as the kubelet applies it (group ownership, setgid directories, group access),
 * also to mapped claim directories when they are mounted writable.
 */
import * as fs from "fs";
import * as path from "path";
import { K8sObject } from "../../../contract/k8s";
import { quantityValue } from "../../../contract/quantity";
import { PodSpecError } from "./errors";
import { expand, fieldValue, objectBytes, PodFacts, referenced, resourceValue } from "./env";
import { PodSandbox } from "./sandbox";

export interface VolumePlan {
  readonly name: string;
  readonly kind: "emptyDir" | "files" | "claim" | "ephemeral";
  /** Staging directory (under the run directory; mounted in the pod's mount namespace only). */
  readonly dir: string;
  /** Mounted read-only whatever the mounts say (configMap/secret/projected/downwardAPI, read-only claims). */
  readonly readOnly: boolean;
  readonly sizeBytes?: number;
  /** For claims: the host directory. */
  readonly hostDir?: string;
  /** For file volumes: relative path -> content and mode. */
  readonly files?: { path: string; content: Buffer; mode: number }[];
}

export interface ContainerMount {
  /** Source path in the pod's mount namespace. */
  readonly source: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  /** The source is a file (a subPath to a file), so the mount point must be one too. */
  readonly isFile: boolean;
  readonly volume: string;
}

const supportedVolumes = "emptyDir (with sizeLimit), configMap, secret, projected (configMap, secret, downwardAPI), downwardAPI, persistentVolumeClaim, ephemeral";

function fileItems(
  objects: readonly K8sObject[],
  pod: PodFacts,
  source: any,
  kind: "ConfigMap" | "Secret",
  defaultMode: number,
  where: string,
): { path: string; content: Buffer; mode: number }[] {
  const name = kind === "Secret" ? source.secretName ?? source.name : source.name;
  const obj = referenced(objects, kind, name, pod.namespace, source.optional === true, where);
  if (!obj) return [];
  const data = objectBytes(obj);
  const mode = source.defaultMode ?? defaultMode;
  if (!source.items) return Object.entries(data).map(([k, content]) => ({ path: k, content, mode }));
  return (source.items as any[]).flatMap((item) => {
    if (!(item.key in data)) {
      if (source.optional === true) return [];
      throw new PodSpecError(where, `${kind} ${pod.namespace}/${name} has no key ${item.key} (the kubelet cannot set up the volume)`);
    }
    return [{ path: item.path, content: data[item.key], mode: item.mode ?? mode }];
  });
}

function downwardItems(pod: PodFacts, items: any[], defaultMode: number, where: string): { path: string; content: Buffer; mode: number }[] {
  return items.map((item) => {
    const value = item.fieldRef
      ? fieldValue(pod, item.fieldRef.fieldPath, where)
      : item.resourceFieldRef
        ? resourceValue(pod, item.resourceFieldRef, undefined, where)
        : (() => {
            throw new PodSpecError(where, `downwardAPI item ${item.path} has neither fieldRef nor resourceFieldRef`);
          })();
    return { path: item.path, content: Buffer.from(value), mode: item.mode ?? defaultMode };
  });
}

/** Whether the pod would get a service-account token mounted (which the runner cannot issue). */
export function mountsServiceAccountToken(objects: readonly K8sObject[], spec: any, namespace: string): boolean {
  if (spec.automountServiceAccountToken !== undefined) return spec.automountServiceAccountToken;
  const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata?.name === (spec.serviceAccountName ?? "default") && (o.metadata?.namespace ?? namespace) === namespace);
  return sa?.automountServiceAccountToken ?? true;
}

/**
 * Checks every volume and works out its content; no side effects, so a refused pod leaves nothing.
 * `claims` maps claim names to host directories.
 */
export function planVolumes(objects: readonly K8sObject[], pod: PodFacts, runDir: string, claims: Readonly<Record<string, string>>, where: string): Map<string, VolumePlan> {
  if (mountsServiceAccountToken(objects, pod.spec, pod.namespace)) {
    throw new PodSpecError(
      where,
      "the pod would mount a service-account token (automountServiceAccountToken is not false on the pod nor on its ServiceAccount), which the runner cannot issue",
    );
  }
  const plans = new Map<string, VolumePlan>();
  for (const v of pod.spec.volumes ?? []) {
    const w = `${where} volume ${v.name}`;
    const dir = path.join(runDir, "volumes", v.name);
    if (v.emptyDir) {
      if (v.emptyDir.sizeLimit === undefined) throw new PodSpecError(w, "emptyDir has no sizeLimit; the runner backs emptyDirs with a tmpfs of exactly that size and refuses unbounded ones");
      plans.set(v.name, { name: v.name, kind: "emptyDir", dir, readOnly: false, sizeBytes: Math.floor(quantityValue(v.emptyDir.sizeLimit)) });
    } else if (v.configMap || v.secret) {
      const files = fileItems(objects, pod, v.configMap ?? v.secret, v.configMap ? "ConfigMap" : "Secret", 0o644, w);
      plans.set(v.name, { name: v.name, kind: "files", dir, readOnly: true, files });
    } else if (v.downwardAPI) {
      plans.set(v.name, { name: v.name, kind: "files", dir, readOnly: true, files: downwardItems(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? 0o644, w) });
    } else if (v.projected) {
      const defaultMode = v.projected.defaultMode ?? 0o644;
      const files = (v.projected.sources ?? []).flatMap((s: any) => {
        if (s.configMap) return fileItems(objects, pod, { ...s.configMap, defaultMode }, "ConfigMap", defaultMode, w);
        if (s.secret) return fileItems(objects, pod, { ...s.secret, defaultMode }, "Secret", defaultMode, w);
        if (s.downwardAPI) return downwardItems(pod, s.downwardAPI.items ?? [], defaultMode, w);
        throw new PodSpecError(w, `projected source ${Object.keys(s).join(",")} cannot be honoured (no API server issues tokens or trust bundles here)`);
      });
      plans.set(v.name, { name: v.name, kind: "files", dir, readOnly: true, files });
    } else if (v.persistentVolumeClaim) {
      const claim = v.persistentVolumeClaim.claimName;
      const hostDir = claims[claim];
      if (!hostDir) throw new PodSpecError(w, `persistentVolumeClaim ${claim} is not mapped to a host directory (pass claims: { ${JSON.stringify(claim)}: "/some/dir" })`);
      if (!fs.statSync(hostDir, { throwIfNoEntry: false })?.isDirectory()) throw new PodSpecError(w, `claim ${claim} maps to ${hostDir}, which is not a directory`);
      plans.set(v.name, { name: v.name, kind: "claim", dir, readOnly: v.persistentVolumeClaim.readOnly === true, hostDir: path.resolve(hostDir) });
    } else if (v.ephemeral) {
      const claim = `${pod.name}-${v.name}`;
      const hostDir = claims[claim];
      if (hostDir) {
        plans.set(v.name, { name: v.name, kind: "claim", dir, readOnly: false, hostDir: path.resolve(hostDir) });
      } else {
        const storage = v.ephemeral.volumeClaimTemplate?.spec?.resources?.requests?.storage;
        if (storage === undefined) throw new PodSpecError(w, "ephemeral volume requests no storage; map its claim or request a size");
        plans.set(v.name, { name: v.name, kind: "ephemeral", dir, readOnly: false, sizeBytes: Math.floor(quantityValue(storage)) });
      }
    } else {
      const type = Object.keys(v).filter((k) => k !== "name").join(", ");
      throw new PodSpecError(w, `volume type ${type} cannot be honoured; supported: ${supportedVolumes}`);
    }
  }
  return plans;
}

/** The kubelet's fsGroup treatment of one path: group fsGroup, group access, setgid directories. */
function applyFsGroup(p: string, fsGroup: number, readOnly: boolean): void {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) return;
  fs.chownSync(p, st.uid, fsGroup);
  let mask = readOnly ? 0o440 : 0o660;
  if (st.isDirectory()) mask |= 0o2000 | 0o110;
  fs.chmodSync(p, (st.mode & 0o7777) | mask);
}

function applyFsGroupTree(root: string, fsGroup: number, readOnly: boolean): void {
  applyFsGroup(root, fsGroup, readOnly);
  if (!fs.lstatSync(root).isDirectory()) return;
  for (const e of fs.readdirSync(root)) applyFsGroupTree(path.join(root, e), fsGroup, readOnly);
}

/** Writes file volumes as the kubelet's atomic writer does: files under ..<stamp>, ..data -> it, top-level links through ..data. */
function writeAtomic(target: string, files: readonly { path: string; content: Buffer; mode: number }[], fsGroup: number | undefined): void {
  const stamp = `..${new Date().toISOString().replace(/[-:]/g, "_").replace(/\..*/, "")}.${process.pid}`;
  const dataDir = path.join(target, stamp);
  fs.mkdirSync(dataDir, { mode: 0o755 });
  const top = new Set<string>();
  for (const f of files) {
    const dest = path.join(dataDir, f.path);
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
    fs.writeFileSync(dest, f.content, { mode: f.mode });
    fs.chmodSync(dest, f.mode);
    top.add(f.path.split("/")[0]);
  }
  fs.symlinkSync(stamp, path.join(target, "..data"));
  for (const t of top) fs.symlinkSync(path.join("..data", t), path.join(target, t));
  if (fsGroup !== undefined) applyFsGroupTree(target, fsGroup, true);
}

/** Creates the planned volumes in the pod's mount namespace. */
export async function materializeVolumes(plans: Map<string, VolumePlan>, sandbox: PodSandbox, fsGroup: number | undefined, fsGroupChangePolicy: string | undefined): Promise<void> {
  for (const plan of plans.values()) {
    fs.mkdirSync(plan.dir, { recursive: true, mode: 0o755 });
    switch (plan.kind) {
      case "emptyDir":
        // emptyDir is world-writable (0777); with fsGroup, group fsGroup and setgid as well.
        await sandbox.mountTmpfs(plan.dir, { sizeBytes: plan.sizeBytes!, mode: fsGroup !== undefined ? 0o2777 : 0o777, gid: fsGroup });
        break;
      case "ephemeral":
        // A fresh volume's root is root's, 0755; fsGroup then gives the group write access.
        await sandbox.mountTmpfs(plan.dir, { sizeBytes: plan.sizeBytes!, mode: fsGroup !== undefined ? 0o2775 : 0o755, gid: fsGroup });
        break;
      case "files": {
        const size = plan.files!.reduce((n, f) => n + f.content.length + 4096, 0) + 64 * 1024;
        await sandbox.mountTmpfs(plan.dir, { sizeBytes: size, mode: 0o755 });
        writeAtomic(sandbox.hostView(plan.dir), plan.files!, fsGroup);
        await sandbox.remountReadOnly(plan.dir);
        break;
      }
      case "claim": {
        if (fsGroup !== undefined && !plan.readOnly) {
          const st = fs.statSync(plan.hostDir!);
          const matches = st.gid === fsGroup && (st.mode & 0o2000) !== 0 && (st.mode & 0o070) === 0o070;
          if (!(fsGroupChangePolicy === "OnRootMismatch" && matches)) applyFsGroupTree(plan.hostDir!, fsGroup, false);
        }
        await sandbox.bindMount(plan.hostDir!, plan.dir, plan.readOnly);
        break;
      }
    }
  }
}

/** The container's mounts, ordered by mount-point depth (as containerd orders them). */
export function containerMounts(container: any, plans: Map<string, VolumePlan>, sandbox: PodSandbox, env: Readonly<Record<string, string>>, where: string): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const w = `${where} volumeMount ${m.mountPath}`;
    const plan = plans.get(m.name);
    if (!plan) throw new PodSpecError(w, `names volume ${m.name}, which the pod does not declare`);
    if (!path.isAbsolute(m.mountPath)) throw new PodSpecError(w, "mountPath must be absolute");
    if (m.mountPropagation && m.mountPropagation !== "None") throw new PodSpecError(w, `mountPropagation ${m.mountPropagation} cannot be honoured`);
    if (m.recursiveReadOnly && m.recursiveReadOnly !== "Disabled") throw new PodSpecError(w, `recursiveReadOnly ${m.recursiveReadOnly} cannot be honoured`);
    const sub = m.subPathExpr !== undefined ? expand(m.subPathExpr, (n) => env[n]) : m.subPath;
    let source = plan.dir;
    let isFile = false;
    if (sub) {
      if (path.isAbsolute(sub) || sub.split("/").includes("..")) throw new PodSpecError(w, `subPath ${sub} must be relative and must not contain ..`);
      source = path.join(plan.dir, sub);
      const view = sandbox.hostView(source);
      const st = fs.statSync(view, { throwIfNoEntry: false });
      if (!st) {
        if (plan.readOnly && plan.kind === "files") throw new PodSpecError(w, `subPath ${sub} does not exist in volume ${m.name}`);
        fs.mkdirSync(view, { recursive: true, mode: 0o750 });
      } else {
        isFile = !fs.statSync(view).isDirectory();
      }
    }
    mounts.push({ source, mountPath: path.normalize(m.mountPath), readOnly: m.readOnly === true || plan.readOnly, isFile, volume: m.name });
  }
  return mounts.sort((a, b) => a.mountPath.split("/").length - b.mountPath.split("/").length);
}
