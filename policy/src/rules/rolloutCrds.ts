import { isKind } from "../pods";
import type { SetRule } from "../types";

const rule: SetRule = {
  name: "atlas-rollout-crds",
  description: "A Rollout is declared only when the Argo Rollouts CRDs are in the stack or declared as preinstalled.",
  clause: "Canary Rollout: use only when Argo Rollouts CRDs and controller are installed",
  enforcement: "advisory",
  scope: "set",
  check(context) {
    const crd = context.objects.some((o) => isKind(o, "CustomResourceDefinition", "apiextensions.k8s.io") && o.metadata?.name === "rollouts.argoproj.io");
    if (crd || context.rolloutCrdsPreinstalled) return [];
    return context.objects
      .filter((o) => isKind(o, "Rollout", "argoproj.io"))
      .map((object) => ({ object, violation: { message: "Rollout declared but the rollouts.argoproj.io CRD is neither in the stack nor declared preinstalled" } }));
  },
};

export default rule;
