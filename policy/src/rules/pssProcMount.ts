import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-proc-mount",
    description: "The default /proc mask is kept (procMount Default).",
    clause: "Pod Security Standard baseline: /proc Mount Type",
    enforcement: "mandatory",
  },
  (pod) =>
    eachContainer(pod, (c) => {
      const m = c.container.securityContext?.procMount;
      return m === undefined || m === "Default" ? undefined : `${where(c)}: procMount is ${m}`;
    }),
);
