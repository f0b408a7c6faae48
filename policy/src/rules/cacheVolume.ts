import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "atlas-cache-volume",
    description: "/cache is an emptyDir or a PersistentVolumeClaim (node-local SSD), never the container filesystem or a host path.",
    clause: "Filesystem strategy: writable /cache via emptyDir; Node-Local SSD Profile: /cache on a local PV",
    enforcement: "mandatory",
  },
  (pod) => {
    const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v?.name, v]));
    return eachContainer(pod, (c) =>
      (c.container.volumeMounts ?? [])
        .filter((m: any) => String(m?.mountPath).replace(/\/+$/, "") === "/cache")
        .filter((m: any) => {
          const v = volumes.get(m?.name);
          return !(v?.emptyDir !== undefined || v?.persistentVolumeClaim !== undefined || v?.ephemeral?.volumeClaimTemplate !== undefined);
        })
        .map((m: any) => `${where(c)}: /cache is backed by ${volumes.has(m?.name) ? Object.keys(volumes.get(m.name)).filter((k) => k !== "name").join(",") : "an undeclared volume"}; use an emptyDir or a PVC`),
    );
  },
);
