import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

const allowedType = (t: unknown) => t === undefined || t === "RuntimeDefault" || t === "Localhost";
const allowedAnnotation = (v: string) => v === "runtime/default" || v.startsWith("localhost/");
const ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export default podRule(
  {
    name: "pss-apparmor",
    description: "AppArmor is not disabled or overridden: only RuntimeDefault or Localhost profiles.",
    clause: "Pod Security Standard baseline: AppArmor (appArmorProfile.type, AppArmor annotations)",
    enforcement: "mandatory",
  },
  (pod) => [
    ...(allowedType(pod.spec.securityContext?.appArmorProfile?.type) ? [] : [`pod appArmorProfile.type is ${pod.spec.securityContext.appArmorProfile.type}`]),
    ...Object.entries(pod.metadata.annotations ?? {})
      .filter(([k, v]) => k.startsWith(ANNOTATION) && !allowedAnnotation(String(v)))
      .map(([k, v]) => `annotation ${k} is ${JSON.stringify(v)}`),
    ...eachContainer(pod, (c) =>
      allowedType(c.container.securityContext?.appArmorProfile?.type) ? undefined : `${where(c)}: appArmorProfile.type is ${c.container.securityContext.appArmorProfile.type}`,
    ),
  ],
);
