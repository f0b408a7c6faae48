import { componentLabel } from "../../../contract/labels";
import { catalogPublishComponent, paths, writablePaths, writablePathsOf } from "../../../contract/pod";
import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

/** Volume sources the kubelet always mounts read-only. */
const readOnlySources = ["configMap", "secret", "projected", "downwardAPI"];

export default podRule(
  {
    name: "atlas-writable-mounts",
    description: `The only writable mounts are ${writablePaths.join(" and ")}, plus ${paths.store} for the ${catalogPublishComponent} Job whose purpose is writing the store (configMap, secret, projected and downwardAPI mounts are read-only).`,
    clause: `Filesystem strategy: explicit writable mounts only for ${writablePaths.join(" and ")}`,
    level: "mandatory",
    remediation: `mount other volumes with readOnly: true; only ${writablePaths.join(" and ")} may be writable`,
  },
  (pod) => {
    const allowed = writablePathsOf(pod.metadata.labels?.[componentLabel]);
    const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v?.name, v]));
    return eachContainer(pod, (c) =>
      (c.container.volumeMounts ?? [])
        .filter((m: any) => m?.readOnly !== true)
        .filter((m: any) => !readOnlySources.some((s) => volumes.get(m?.name)?.[s] !== undefined))
        .filter((m: any) => !allowed.includes(String(m?.mountPath).replace(/\/+$/, "")))
        .map((m: any) => `${where(c)}: writable mount at ${m?.mountPath} (volume ${m?.name})`),
    );
  },
);
