import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-host-process",
    description: "Windows HostProcess containers are not allowed.",
    clause: "Pod Security Standard baseline: HostProcess (securityContext.windowsOptions.hostProcess)",
    enforcement: "mandatory",
  },
  (pod) => [
    ...(pod.spec.securityContext?.windowsOptions?.hostProcess === true ? ["pod securityContext.windowsOptions.hostProcess is true"] : []),
    ...eachContainer(pod, (c) => (c.container.securityContext?.windowsOptions?.hostProcess === true ? `${where(c)}: windowsOptions.hostProcess is true` : undefined)),
  ],
);
