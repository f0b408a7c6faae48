import { eachContainer, isWindows, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-privilege-escalation",
    description: "Every container sets allowPrivilegeEscalation: false.",
    clause: "Pod Security Standard restricted: Privilege Escalation; contract: allowPrivilegeEscalation: false",
    enforcement: "mandatory",
  },
  (pod) =>
    isWindows(pod) ? [] : eachContainer(pod, (c) => (c.container.securityContext?.allowPrivilegeEscalation === false ? undefined : `${where(c)}: allowPrivilegeEscalation is not false`)),
);
