import { paths } from "../../../contract/pod";
import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

/** Volume sources /cache may live on: scratch space or a claim (node-local SSD, seeded cache). */
const cacheSources = ["emptyDir", "persistentVolumeClaim", "ephemeral"];

export default podRule(
  {
    name: "atlas-cache-volume",
    description: `${paths.cache} is an emptyDir or a PersistentVolumeClaim (node-local SSD), never the container filesystem or a host path.`,
    clause: `Filesystem strategy: writable ${paths.cache} via emptyDir; Node-Local SSD Profile: ${paths.cache} on a local PV`,
    level: "mandatory",
    remediation: `mount ${paths.cache} from an emptyDir with a sizeLimit or from a PersistentVolumeClaim`,
  },
  (pod) => {
    const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v?.name, v]));
    return eachContainer(pod, (c) =>
      (c.container.volumeMounts ?? [])
        .filter((m: any) => String(m?.mountPath).replace(/\/+$/, "") === paths.cache)
        .filter((m: any) => !cacheSources.some((s) => volumes.get(m?.name)?.[s] !== undefined))
        .map((m: any) => {
          const v = volumes.get(m?.name);
          return `${where(c)}: ${paths.cache} is backed by ${v ? Object.keys(v).filter((k) => k !== "name").join(",") || "a volume without source" : "an undeclared volume"}`;
        }),
    );
  },
);
