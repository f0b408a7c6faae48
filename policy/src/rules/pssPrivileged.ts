import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-privileged",
    description: "Privileged containers are not allowed.",
    clause: "Pod Security Standard baseline: Privileged Containers (securityContext.privileged)",
    enforcement: "mandatory",
  },
  (pod) => eachContainer(pod, (c) => (c.container.securityContext?.privileged === true ? `${where(c)}: privileged is true` : undefined)),
);
