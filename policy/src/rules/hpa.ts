import { atlasPodTemplateOf, describe as describeObject, isKind } from "../pods";
import type { K8sObject, SetRule } from "../types";

export const atlasPodMetrics = ["bijux_http_request_latency_p95_seconds", "bijux_inflight_heavy_queries"];
const scalable = ["Deployment", "StatefulSet", "Rollout", "ReplicaSet"];

const rule: SetRule = {
  name: "atlas-hpa",
  description: "Each atlas serving workload is scaled by an autoscaling/v2 HPA with a CPU target and both custom Pods metrics.",
  clause: "HPA Strategy: CPU utilization target; p95 latency and in-flight heavy query custom metrics",
  enforcement: "advisory",
  scope: "set",
  check(context) {
    const hpas = context.objects.filter((o) => isKind(o, "HorizontalPodAutoscaler", "autoscaling"));
    const out: ReturnType<SetRule["check"]> = [];
    for (const object of context.objects.filter((o: K8sObject) => scalable.includes(o.kind ?? "") && atlasPodTemplateOf(o))) {
      const hpa = hpas.find(
        (h) => (h.metadata?.namespace ?? "default") === (object.metadata?.namespace ?? "default") && h.spec?.scaleTargetRef?.kind === object.kind && h.spec?.scaleTargetRef?.name === object.metadata?.name,
      );
      if (!hpa) {
        out.push({ object, violation: { message: `${describeObject(object)} has no HorizontalPodAutoscaler` } });
        continue;
      }
      const metrics: any[] = hpa.spec?.metrics ?? [];
      if (!metrics.some((m) => m?.type === "Resource" && m.resource?.name === "cpu")) out.push({ object: hpa, violation: { message: "no CPU utilisation target" } });
      for (const name of atlasPodMetrics) {
        if (!metrics.some((m) => m?.type === "Pods" && m.pods?.metric?.name === name)) out.push({ object: hpa, violation: { message: `no Pods metric ${name}` } });
      }
    }
    return out;
  },
};

export default rule;
