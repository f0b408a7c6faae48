import { controlsAt, podSecurityRelease } from "../podSecurity/controls";
import { podRule } from "../podRule";
import type { ObjectRule } from "../types";

/** The pack's rule for a control: "seccompProfile_restricted" -> "pss-seccomp-profile". */
export const podSecurityRuleName = (id: string) =>
  `pss-${id
    .replace(/_(baseline|restricted)$/, "")
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .toLowerCase()}`;

/**
 * One rule per control of the Pod Security Standard "restricted" at the newest version the pinned
 * pod-security-admission release defines, each running that version's check.
 */
export const podSecurityRules: ObjectRule[] = controlsAt("restricted", podSecurityRelease.newest).map(({ control, check }) =>
  podRule(
    {
      name: podSecurityRuleName(control.id),
      description: `Pod Security Standard ${control.level} control "${control.title}" (pod-security-admission check ${control.id}), Kubernetes v${podSecurityRelease.newest}.`,
      clause: `Pod Security Standard restricted v${podSecurityRelease.newest}: ${control.title}`,
      level: "mandatory",
      remediation: control.remediation,
    },
    (pod) => check(pod),
  ),
);
