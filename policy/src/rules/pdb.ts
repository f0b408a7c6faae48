import { namespaceOf } from "../objectIndex";
import { describeObject, selects } from "../../../contract/k8s";
import { isServingWorkload } from "../pods";
import type { SetRule } from "../types";

const rule: SetRule = {
  name: "atlas-pdb",
  description: "A PodDisruptionBudget covers the pods of each atlas serving workload.",
  clause: "Helm Chart Surface: PodDisruptionBudget",
  level: "advisory",
  remediation: "add a PodDisruptionBudget whose selector matches the workload's pod labels (pdb.enabled in the chart values)",
  scope: "set",
  check(index) {
    return index
      .atlasWorkloads()
      .filter(({ object }) => isServingWorkload(object))
      .filter(({ object, pod }) => !index.inNamespace("PodDisruptionBudget", "policy", namespaceOf(object)).some((p) => selects(p.spec?.selector, pod.metadata.labels ?? {})))
      .map(({ object }) => ({ object, violation: { message: `no PodDisruptionBudget selects the pods of ${describeObject(object)}` } }));
  },
};

export default rule;
