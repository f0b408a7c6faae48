import { podRule } from "../podRule";

export default podRule(
  {
    name: "pss-host-namespaces",
    description: "Sharing the host network, PID or IPC namespace is not allowed.",
    clause: "Pod Security Standard baseline: Host Namespaces (hostNetwork, hostPID, hostIPC)",
    enforcement: "mandatory",
  },
  (pod) => (["hostNetwork", "hostPID", "hostIPC"] as const).filter((f) => pod.spec[f] === true).map((f) => `pod sets ${f}: true`),
);
