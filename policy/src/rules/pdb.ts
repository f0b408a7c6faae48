import { atlasPodTemplateOf, describe as describeObject, isKind, isServingWorkload } from "../pods";
import { selects } from "../selectors";
import type { SetRule } from "../types";

const rule: SetRule = {
  name: "atlas-pdb",
  description: "A PodDisruptionBudget covers the pods of each atlas serving workload.",
  clause: "Helm Chart Surface: PodDisruptionBudget",
  enforcement: "advisory",
  scope: "set",
  check(context) {
    const pdbs = context.objects.filter((o) => isKind(o, "PodDisruptionBudget", "policy"));
    return context.objects
      .filter((o) => isServingWorkload(o) && atlasPodTemplateOf(o))
      .filter((o) => !pdbs.some((p) => (p.metadata?.namespace ?? "default") === (o.metadata?.namespace ?? "default") && selects(p.spec?.selector, atlasPodTemplateOf(o)!.metadata.labels ?? {})))
      .map((object) => ({ object, violation: { message: `no PodDisruptionBudget selects the pods of ${describeObject(object)}` } }));
  },
};

export default rule;
