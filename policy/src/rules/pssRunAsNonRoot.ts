import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-run-as-non-root",
    description: "Containers run as non-root: runAsNonRoot true (pod or container), never runAsUser 0.",
    clause: "Pod Security Standard restricted: Running as Non-root, Running as Non-root user; contract: runAsNonRoot: true",
    enforcement: "mandatory",
  },
  (pod) => {
    const podSc = pod.spec.securityContext ?? {};
    const out: string[] = [];
    if (podSc.runAsUser === 0) out.push("pod runAsUser is 0");
    if (podSc.runAsNonRoot === false) out.push("pod runAsNonRoot is false");
    out.push(
      ...eachContainer(pod, (c) => {
        const sc = c.container.securityContext ?? {};
        const msgs: string[] = [];
        if (sc.runAsUser === 0) msgs.push(`${where(c)}: runAsUser is 0`);
        const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
        if (nonRoot !== true) msgs.push(`${where(c)}: runAsNonRoot is not true (set it on the pod or the container)`);
        return msgs;
      }),
    );
    return out;
  },
);
