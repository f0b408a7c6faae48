import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

/** Volume sources the kubelet always mounts read-only. */
const readOnlySources = ["configMap", "secret", "projected", "downwardAPI"];
export const writablePaths = ["/cache", "/tmp"];

export default podRule(
  {
    name: "atlas-writable-mounts",
    description: "The only writable mounts are /cache and /tmp (configMap, secret, projected and downwardAPI mounts are read-only).",
    clause: "Filesystem strategy: explicit writable mounts only for /cache and /tmp",
    enforcement: "mandatory",
  },
  (pod) => {
    const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v?.name, v]));
    return eachContainer(pod, (c) =>
      (c.container.volumeMounts ?? [])
        .filter((m: any) => m?.readOnly !== true)
        .filter((m: any) => !readOnlySources.some((s) => volumes.get(m?.name)?.[s] !== undefined))
        .filter((m: any) => !writablePaths.includes(String(m?.mountPath).replace(/\/+$/, "")))
        .map((m: any) => `${where(c)}: writable mount at ${m?.mountPath} (volume ${m?.name}); only ${writablePaths.join(" and ")} may be writable`),
    );
  },
);
