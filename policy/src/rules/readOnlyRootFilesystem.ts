import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "atlas-read-only-root",
    description: "Every container runs with a read-only root filesystem.",
    clause: "Security Defaults: readOnlyRootFilesystem: true; Filesystem strategy: read-only root filesystem",
    enforcement: "mandatory",
  },
  (pod) => eachContainer(pod, (c) => (c.container.securityContext?.readOnlyRootFilesystem === true ? undefined : `${where(c)}: readOnlyRootFilesystem is not true`)),
);
