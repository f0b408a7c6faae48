import type { SetRule } from "../types";

const rule: SetRule = {
  name: "atlas-rollout-crds",
  description: "A Rollout is declared only when the Argo Rollouts CRDs are in the stack or declared as preinstalled.",
  clause: "Canary Rollout: use only when Argo Rollouts CRDs and controller are installed",
  level: "advisory",
  remediation: 'install Argo Rollouts with the stack, or declare its CRDs preinstalled in the pack config ({"atlas-rollout-crds": {"preinstalled": true}})',
  settings: {
    preinstalled: { type: "boolean", default: false, description: "The Argo Rollouts CRDs are installed on the cluster outside this stack." },
  },
  scope: "set",
  check(index, settings) {
    if (settings.preinstalled === true) return [];
    if (index.ofKind("CustomResourceDefinition", "apiextensions.k8s.io").some((o) => o.metadata?.name === "rollouts.argoproj.io")) return [];
    return index
      .ofKind("Rollout", "argoproj.io")
      .map((object) => ({ object, violation: { message: "Rollout declared but the rollouts.argoproj.io CRD is neither in the stack nor declared preinstalled" } }));
  },
};

export default rule;
