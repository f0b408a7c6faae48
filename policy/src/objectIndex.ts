import { atlasPodTemplateOf, isKind, type K8sObject, type PodTemplate } from "../../contract/k8s";

/** An object whose pods are atlas pods, with its pod template. */
export interface AtlasWorkload {
  object: K8sObject;
  pod: PodTemplate;
}

export const namespaceOf = (o: K8sObject) => o.metadata?.namespace ?? "default";

/**
 * What set rules look up, built once per run: objects by kind and namespace, and the atlas
 * workloads. Each rule then does one pass over what it needs instead of rescanning the set.
 */
export class ObjectIndex {
  private readonly groups = new Map<string, Map<string, K8sObject[]>>();
  private readonly byName = new Map<string, Map<string, K8sObject>>();
  private workloads?: AtlasWorkload[];

  constructor(readonly objects: readonly K8sObject[]) {}

  /** Atlas workloads (every pod-bearing object whose pods carry the atlas label). */
  atlasWorkloads(): AtlasWorkload[] {
    if (!this.workloads) {
      this.workloads = [];
      for (const object of this.objects) {
        const pod = atlasPodTemplateOf(object);
        if (pod) this.workloads.push({ object, pod });
      }
    }
    return this.workloads;
  }

  /** Objects of a kind (and API group, "" for core) in a namespace. */
  inNamespace(kind: string, group: string, namespace: string): K8sObject[] {
    const key = `${group}/${kind}`;
    let byNs = this.groups.get(key);
    if (!byNs) {
      byNs = new Map();
      for (const o of this.objects) {
        if (!isKind(o, kind, group)) continue;
        const ns = namespaceOf(o);
        const list = byNs.get(ns);
        if (list) list.push(o);
        else byNs.set(ns, [o]);
      }
      this.groups.set(key, byNs);
    }
    return byNs.get(namespace) ?? [];
  }

  /** Every object of a kind and API group. */
  ofKind(kind: string, group: string): K8sObject[] {
    this.inNamespace(kind, group, "");
    return [...this.groups.get(`${group}/${kind}`)!.values()].flat();
  }

  /** The object of a kind with a name in a namespace (the first one, as listed). */
  named(kind: string, group: string, namespace: string, name: string): K8sObject | undefined {
    const key = `${group}/${kind}/${namespace}`;
    let names = this.byName.get(key);
    if (!names) {
      names = new Map();
      for (const o of this.inNamespace(kind, group, namespace)) {
        const n = o.metadata?.name;
        if (typeof n === "string" && !names.has(n)) names.set(n, o);
      }
      this.byName.set(key, names);
    }
    return names.get(name);
  }
}
