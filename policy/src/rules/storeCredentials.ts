import { atlasPodTemplateOf, containersOf, isKind, where } from "../pods";
import type { K8sObject, ObjectRule, RuleContext, Violation } from "../types";

export const storeCredentialKeys = ["ATLAS_STORE_ACCESS_KEY", "ATLAS_STORE_SECRET_KEY"];

function configMapsIn(context: RuleContext, namespace: string | undefined): Map<string, K8sObject> {
  return new Map(
    context.objects.filter((o) => isKind(o, "ConfigMap", "") && (o.metadata?.namespace ?? "default") === (namespace ?? "default")).map((o) => [o.metadata?.name ?? "", o]),
  );
}

const rule: ObjectRule = {
  name: "atlas-store-credentials",
  description: "ATLAS_STORE_ACCESS_KEY / ATLAS_STORE_SECRET_KEY come only from secretKeyRef: never a literal env value, never a ConfigMap.",
  clause: "Config and Secret Wiring: Secret stores store credentials (ATLAS_STORE_ACCESS_KEY, ATLAS_STORE_SECRET_KEY)",
  enforcement: "mandatory",
  scope: "object",
  check(object: K8sObject, context: RuleContext): Violation[] {
    const out: string[] = [];
    if (isKind(object, "ConfigMap", "")) {
      for (const section of ["data", "binaryData"]) {
        for (const key of storeCredentialKeys) if (object[section]?.[key] !== undefined) out.push(`ConfigMap ${section} holds ${key}; store credentials belong in a Secret`);
      }
      return out.map((message) => ({ message }));
    }
    const pod = atlasPodTemplateOf(object);
    if (!pod) return [];
    const configMaps = configMapsIn(context, object.metadata?.namespace);
    for (const c of containersOf(pod.spec)) {
      for (const e of c.container.env ?? []) {
        if (!storeCredentialKeys.includes(e?.name)) continue;
        if (e.value !== undefined) out.push(`${where(c)}: ${e.name} is a literal env value`);
        else if (!e.valueFrom?.secretKeyRef) out.push(`${where(c)}: ${e.name} is not from a secretKeyRef`);
      }
      for (const src of c.container.envFrom ?? []) {
        const cm = src?.configMapRef?.name ? configMaps.get(src.configMapRef.name) : undefined;
        const prefix = src?.prefix ?? "";
        const leaked = Object.keys(cm?.data ?? {}).filter((k) => storeCredentialKeys.includes(prefix + k));
        for (const k of leaked) out.push(`${where(c)}: ${prefix + k} reaches the container from ConfigMap ${src.configMapRef.name} (envFrom)`);
      }
    }
    return out.map((message) => ({ message }));
  },
};

export default rule;
