import { podRule } from "../podRule";

export default podRule(
  {
    name: "atlas-emptydir-size-limit",
    description: "Every emptyDir volume has an explicit sizeLimit.",
    clause: "Filesystem strategy: emptyDir limits are explicit for both cache and tmp volumes",
    level: "mandatory",
    remediation: "set emptyDir.sizeLimit on every emptyDir volume (it must fit the ephemeral-storage limit)",
  },
  (pod) => (pod.spec.volumes ?? []).filter((v: any) => v?.emptyDir !== undefined && !v.emptyDir?.sizeLimit).map((v: any) => `emptyDir volume ${v.name} has no sizeLimit`),
);
