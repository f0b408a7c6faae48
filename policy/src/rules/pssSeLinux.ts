import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

const allowedTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

function problems(opts: any, at: string): string[] {
  if (!opts) return [];
  const out: string[] = [];
  if (opts.type !== undefined && !allowedTypes.includes(opts.type)) out.push(`${at} seLinuxOptions.type is ${JSON.stringify(opts.type)} (allowed: ${allowedTypes.filter(Boolean).join(", ")})`);
  for (const f of ["user", "role"]) if (opts[f] !== undefined && opts[f] !== "") out.push(`${at} seLinuxOptions.${f} is set`);
  return out;
}

export default podRule(
  {
    name: "pss-selinux",
    description: "SELinux options do not set a custom user or role, and only container types.",
    clause: "Pod Security Standard baseline: SELinux (seLinuxOptions type, user, role)",
    enforcement: "mandatory",
  },
  (pod) => [...problems(pod.spec.securityContext?.seLinuxOptions, "pod"), ...eachContainer(pod, (c) => problems(c.container.securityContext?.seLinuxOptions, `${where(c)}:`))],
);
