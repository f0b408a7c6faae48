import { podRule } from "../podRule";

/** The safe sysctl set of the baseline profile (latest version). */
export const safeSysctls = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

export default podRule(
  {
    name: "pss-sysctls",
    description: "Only the safe sysctl subset is set.",
    clause: "Pod Security Standard baseline: Sysctls",
    enforcement: "mandatory",
  },
  (pod) => (pod.spec.securityContext?.sysctls ?? []).filter((s: any) => !safeSysctls.includes(s?.name)).map((s: any) => `sysctl ${s?.name} is not in the safe set`),
);
