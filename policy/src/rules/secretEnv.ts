import { secretEnvKeys } from "../../../contract/env";
import { namespaceOf } from "../objectIndex";
import { containersOf } from "../../../contract/k8s";
import { where } from "../pods";
import type { SetFinding, SetRule } from "../types";

const secretKeys = new Set(secretEnvKeys);

const rule: SetRule = {
  name: "atlas-secret-env",
  description: `Credential env keys (${secretEnvKeys.join(", ")}) reach atlas pods only from Secrets: never a literal value, a configMapKeyRef or a ConfigMap loaded with envFrom.`,
  clause: "Config and Secret Wiring: Secret stores store credentials (ATLAS_STORE_ACCESS_KEY, ATLAS_STORE_SECRET_KEY)",
  level: "mandatory",
  remediation: "move the key into a Secret and read it with env[].valueFrom.secretKeyRef (or envFrom.secretRef)",
  scope: "set",
  check(index) {
    const out: SetFinding[] = [];
    for (const cm of index.ofKind("ConfigMap", "")) {
      for (const section of ["data", "binaryData"]) {
        for (const key of Object.keys(cm[section] ?? {})) if (secretKeys.has(key)) out.push({ object: cm, violation: { message: `ConfigMap ${section} holds ${key}` } });
      }
    }
    for (const { object, pod } of index.atlasWorkloads()) {
      for (const c of containersOf(pod.spec)) {
        for (const e of Array.isArray(c.container.env) ? c.container.env : []) {
          if (!secretKeys.has(e?.name)) continue;
          if (e.value !== undefined) out.push({ object, violation: { message: `${where(c)}: ${e.name} is a literal env value` } });
          else if (!e.valueFrom?.secretKeyRef) out.push({ object, violation: { message: `${where(c)}: ${e.name} is not read from a secretKeyRef` } });
        }
        for (const src of Array.isArray(c.container.envFrom) ? c.container.envFrom : []) {
          const name = src?.configMapRef?.name;
          if (!name) continue;
          const cm = index.named("ConfigMap", "", namespaceOf(object), name);
          const prefix = src?.prefix ?? "";
          for (const k of Object.keys(cm?.data ?? {})) {
            if (secretKeys.has(prefix + k)) out.push({ object, violation: { message: `${where(c)}: ${prefix + k} reaches the container from ConfigMap ${name} (envFrom)` } });
          }
        }
      }
    }
    return out;
  },
};

export default rule;
