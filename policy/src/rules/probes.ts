import { podRule } from "../podRule";
import { isServingWorkload } from "../pods";

const expected: [string, string][] = [
  ["startupProbe", "/readyz"],
  ["readinessProbe", "/readyz"],
  ["livenessProbe", "/healthz"],
];

export default podRule(
  {
    name: "atlas-probes",
    description: "Serving workloads probe startup and readiness on /readyz and liveness on /healthz.",
    clause: "Probe Semantics: startupProbe /readyz, readinessProbe /readyz, livenessProbe /healthz",
    enforcement: "mandatory",
  },
  (pod, object) =>
    !isServingWorkload(object)
      ? []
      : (pod.spec.containers ?? []).flatMap((c: any) =>
          expected
            .filter(([probe, path]) => c?.[probe]?.httpGet?.path !== path)
            .map(([probe, path]) => `containers[${c?.name}]: ${probe} ${c?.[probe] ? `checks ${c[probe].httpGet?.path ?? "no HTTP path"}` : "is missing"}; expected httpGet ${path}`),
        ),
);
