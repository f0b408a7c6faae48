import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-host-ports",
    description: "Containers do not bind host ports.",
    clause: "Pod Security Standard baseline: Host Ports (ports[*].hostPort)",
    enforcement: "mandatory",
  },
  (pod) =>
    eachContainer(pod, (c) =>
      (c.container.ports ?? []).filter((p: any) => p?.hostPort !== undefined && p.hostPort !== 0).map((p: any) => `${where(c)}: hostPort ${p.hostPort}`),
    ),
);
