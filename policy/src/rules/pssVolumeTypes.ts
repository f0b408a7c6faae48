import { podRule } from "../podRule";

/** Volume sources the restricted profile allows; everything else (hostPath above all) is refused. */
export const allowedVolumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export default podRule(
  {
    name: "pss-volume-types",
    description: "Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; never hostPath.",
    clause: "Pod Security Standard baseline: HostPath Volumes; restricted: Volume Types",
    enforcement: "mandatory",
  },
  (pod) =>
    (pod.spec.volumes ?? []).flatMap((v: any) => {
      const types = Object.keys(v ?? {}).filter((k) => k !== "name");
      const bad = types.filter((t) => !allowedVolumeTypes.includes(t));
      return bad.map((t) => `volume ${v?.name ?? "?"} is of type ${t}${t === "hostPath" ? " (host filesystem access)" : ""}; allowed: ${allowedVolumeTypes.join(", ")}`);
    }),
);
