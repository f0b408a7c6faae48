import { hpaPodMetrics } from "../../../contract/metrics";
import { namespaceOf } from "../objectIndex";
import { describeObject } from "../../../contract/k8s";
import type { SetFinding, SetRule } from "../types";

/** Kinds an HPA scales. */
const scalable = ["Deployment", "StatefulSet", "Rollout", "ReplicaSet"];

const rule: SetRule = {
  name: "atlas-hpa",
  description: `Each atlas serving workload is scaled by an autoscaling/v2 HPA with a CPU target and the Pods metrics ${hpaPodMetrics.join(" and ")}.`,
  clause: "HPA Strategy: CPU utilization target; p95 latency and in-flight heavy query custom metrics",
  level: "advisory",
  remediation: `add an autoscaling/v2 HorizontalPodAutoscaler targeting the workload, with a cpu Resource metric and the Pods metrics ${hpaPodMetrics.join(", ")}`,
  scope: "set",
  check(index) {
    const out: SetFinding[] = [];
    for (const { object } of index.atlasWorkloads()) {
      if (!scalable.includes(object.kind ?? "")) continue;
      const hpa = index
        .inNamespace("HorizontalPodAutoscaler", "autoscaling", namespaceOf(object))
        .find((h) => h.spec?.scaleTargetRef?.kind === object.kind && h.spec?.scaleTargetRef?.name === object.metadata?.name);
      if (!hpa) {
        out.push({ object, violation: { message: `${describeObject(object)} has no HorizontalPodAutoscaler` } });
        continue;
      }
      const metrics: any[] = Array.isArray(hpa.spec?.metrics) ? hpa.spec.metrics : [];
      if (!metrics.some((m) => m?.type === "Resource" && m.resource?.name === "cpu")) out.push({ object: hpa, violation: { message: "no CPU utilisation target" } });
      for (const name of hpaPodMetrics) {
        if (!metrics.some((m) => m?.type === "Pods" && m.pods?.metric?.name === name)) out.push({ object: hpa, violation: { message: `no Pods metric ${name}` } });
      }
    }
    return out;
  },
};

export default rule;
