import { containersOf } from "../../../contract/k8s";
import { where } from "../pods";
import { podRule } from "../podRule";

const required = ["cpu", "memory", "ephemeral-storage"];

export default podRule(
  {
    name: "atlas-resources",
    description: "Every container requests and limits cpu, memory and ephemeral-storage.",
    clause: "Filesystem strategy: requests/limits include ephemeral-storage; Requests/Limits and Tuning",
    level: "mandatory",
    remediation: "set resources.requests and resources.limits for cpu, memory and ephemeral-storage on every container",
  },
  // Ephemeral (debug) containers cannot carry resources, so they are not asked to.
  (pod) =>
    containersOf(pod.spec, { ephemeral: false }).flatMap((c) =>
      ["requests", "limits"].flatMap((kind) =>
        required.filter((r) => c.container.resources?.[kind]?.[r] === undefined || c.container.resources[kind][r] === "").map((r) => `${where(c)}: resources.${kind}.${r} is not set`),
      ),
    ),
);
