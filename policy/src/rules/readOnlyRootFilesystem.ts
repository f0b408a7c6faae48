import { writablePaths } from "../../../contract/pod";
import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "atlas-read-only-root",
    description: "Every container runs with a read-only root filesystem.",
    clause: "Security Defaults: readOnlyRootFilesystem: true; Filesystem strategy: read-only root filesystem",
    level: "mandatory",
    remediation: `set securityContext.readOnlyRootFilesystem: true on every container; write only to the ${writablePaths.join(" and ")} mounts`,
  },
  (pod) => eachContainer(pod, (c) => (c.container.securityContext?.readOnlyRootFilesystem === true ? undefined : `${where(c)}: readOnlyRootFilesystem is not true`)),
);
