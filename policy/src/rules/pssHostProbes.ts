import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

const handlers = (c: any): [string, any][] => [
  ["livenessProbe", c.livenessProbe],
  ["readinessProbe", c.readinessProbe],
  ["startupProbe", c.startupProbe],
  ["lifecycle.postStart", c.lifecycle?.postStart],
  ["lifecycle.preStop", c.lifecycle?.preStop],
];

export default podRule(
  {
    name: "pss-host-probes",
    description: "Probes and lifecycle hooks do not target another host (httpGet.host / tcpSocket.host).",
    clause: "Pod Security Standard baseline (v1.34+): Host Probes / Lifecycle Hooks",
    enforcement: "mandatory",
  },
  (pod) =>
    eachContainer(pod, (c) =>
      handlers(c.container).flatMap(([field, h]) =>
        ["httpGet", "tcpSocket"].filter((k) => h?.[k]?.host !== undefined && h[k].host !== "").map((k) => `${where(c)}: ${field}.${k}.host is ${JSON.stringify(h[k].host)}`),
      ),
    ),
);
