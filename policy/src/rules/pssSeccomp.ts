import { eachContainer, isWindows, podRule } from "../podRule";
import { where } from "../pods";

const ok = (t: unknown) => t === "RuntimeDefault" || t === "Localhost";

export default podRule(
  {
    name: "pss-seccomp",
    description: "A RuntimeDefault or Localhost seccomp profile applies to every container; never Unconfined.",
    clause: "Pod Security Standard baseline and restricted: Seccomp (seccompProfile.type)",
    enforcement: "mandatory",
  },
  (pod) => {
    if (isWindows(pod)) return [];
    const podType = pod.spec.securityContext?.seccompProfile?.type;
    const out: string[] = [];
    if (podType !== undefined && !ok(podType)) out.push(`pod seccompProfile.type is ${podType}`);
    out.push(
      ...eachContainer(pod, (c) => {
        const t = c.container.securityContext?.seccompProfile?.type;
        if (t !== undefined) return ok(t) ? undefined : `${where(c)}: seccompProfile.type is ${t}`;
        return ok(podType) ? undefined : `${where(c)}: no RuntimeDefault or Localhost seccomp profile (set it on the pod or the container)`;
      }),
    );
    return out;
  },
);
