import { eachContainer, isWindows, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "pss-capabilities",
    description: "Containers drop ALL capabilities and add at most NET_BIND_SERVICE.",
    clause: "Pod Security Standard restricted: Capabilities (drop ALL, add only NET_BIND_SERVICE); contract: Linux capabilities dropped (ALL)",
    enforcement: "mandatory",
  },
  (pod) =>
    isWindows(pod)
      ? []
      : eachContainer(pod, (c) => {
          const caps = c.container.securityContext?.capabilities ?? {};
          const out: string[] = [];
          if (!(caps.drop ?? []).includes("ALL")) out.push(`${where(c)}: capabilities.drop does not include ALL`);
          const added = (caps.add ?? []).filter((a: string) => a !== "NET_BIND_SERVICE");
          if (added.length) out.push(`${where(c)}: capabilities.add ${JSON.stringify(added)} (only NET_BIND_SERVICE is allowed)`);
          return out;
        }),
);
