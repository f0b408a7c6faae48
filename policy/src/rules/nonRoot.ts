import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

/**
 * The contract is stricter than Pod Security here: from v1.35 the restricted level admits root and
 * runAsNonRoot unset in a user namespace (hostUsers: false); the contract asks for runAsNonRoot
 * true and a non-root uid in every case.
 */
export default podRule(
  {
    name: "atlas-non-root",
    description: "Every container runs with runAsNonRoot: true and a non-zero uid, also in a user namespace (hostUsers: false).",
    clause: "Security Defaults: runAsNonRoot: true (stricter than Pod Security restricted, which relaxes it under hostUsers: false)",
    level: "mandatory",
    remediation: "set securityContext.runAsNonRoot: true and runAsUser to the image's non-root uid on the pod",
  },
  (pod) => {
    const podSc = pod.spec.securityContext ?? {};
    return [
      ...(podSc.runAsUser === 0 ? ["pod runAsUser is 0"] : []),
      ...eachContainer(pod, (c) => {
        const sc = c.container.securityContext ?? {};
        const out: string[] = [];
        if (sc.runAsUser === 0) out.push(`${where(c)}: runAsUser is 0`);
        if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${where(c)}: runAsNonRoot is not true on the container or the pod`);
        return out;
      }),
    ];
  },
);
