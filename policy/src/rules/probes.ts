import { probePaths } from "../../../contract/pod";
import { podRule } from "../podRule";
import { isServingWorkload } from "../pods";

const expected: [string, string][] = [
  ["startupProbe", probePaths.startup],
  ["readinessProbe", probePaths.readiness],
  ["livenessProbe", probePaths.liveness],
];

export default podRule(
  {
    name: "atlas-probes",
    description: `Serving workloads probe startup on ${probePaths.startup}, readiness on ${probePaths.readiness} and liveness on ${probePaths.liveness}.`,
    clause: `Probe Semantics: startupProbe ${probePaths.startup}, readinessProbe ${probePaths.readiness}, livenessProbe ${probePaths.liveness}`,
    level: "mandatory",
    remediation: `give every serving container httpGet probes: startup ${probePaths.startup}, readiness ${probePaths.readiness}, liveness ${probePaths.liveness}`,
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
