/**
 * One compliant baseline pod running the real server over a published store, and named
 * mutations of it. The baseline follows the pod contract: uid/gid 65532, no capabilities, no
 * privilege escalation, RuntimeDefault seccomp, read-only root, /cache and /tmp the only writable
 * mounts (bounded emptyDirs), the store mounted read-only from a claim, egress to DNS only, no
 * service links, no service-account token, startup/readiness/liveness probes on the server's
 * probe paths.
 */
import { K8sObject } from "../../contract/k8s";
import { atlasName, atlasNameLabel } from "../../contract/labels";
import { dns } from "../../contract/network";
import { defaultPort, httpPortName, paths, probePaths, runAsGroup, runAsUser } from "../../contract/pod";
import { imageBinaries } from "../../contract/server";
import { env } from "../../contract/env";

export const namespace = "atlas-test";
export const podName = "atlas-baseline";
export const storeClaim = "atlas-store";
export const datasetId = "112/homo_sapiens/GRCh38";

/** Size limits of the writable mounts; small so a test can exceed one. */
export const tmpSizeLimit = "1Mi";
export const cacheSizeLimit = "64Mi";

export function baseline(): K8sObject[] {
  const labels = { [atlasNameLabel]: atlasName };
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "atlas-runtime", namespace },
      data: {
        [env.bind]: `0.0.0.0:${defaultPort}`,
        [env.storeRoot]: paths.store,
        [env.cacheRoot]: paths.cache,
        [env.maxDiskBytes]: String(32 * 1024 * 1024),
        [env.shutdownDrainMs]: "300",
        [env.pinnedDatasets]: datasetId,
      },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "atlas-store-credentials", namespace },
      type: "Opaque",
      data: { bearer: Buffer.from("synthetic-bearer-token").toString("base64") },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "bijux-atlas", namespace, labels },
      spec: { selector: labels, ports: [{ name: httpPortName, port: 80, targetPort: httpPortName }] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "atlas-egress", namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [dns.namespaceNameLabel]: dns.namespace } } }],
            ports: dns.protocols.map((protocol) => ({ protocol, port: dns.port })),
          },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: podName, namespace, labels },
      spec: {
        enableServiceLinks: false,
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 5,
        securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup: runAsGroup, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "server",
            image: "bijux-atlas:0.2.2",
            command: [imageBinaries.server],
            ports: [{ name: httpPortName, containerPort: defaultPort }],
            envFrom: [{ configMapRef: { name: "atlas-runtime" } }],
            env: [{ name: env.storeBearer, valueFrom: { secretKeyRef: { name: "atlas-store-credentials", key: "bearer" } } }],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            volumeMounts: [
              { name: "cache", mountPath: paths.cache },
              { name: "tmp", mountPath: paths.tmp },
              { name: "store", mountPath: paths.store, readOnly: true },
            ],
            startupProbe: { httpGet: { path: probePaths.startup, port: httpPortName }, periodSeconds: 1, failureThreshold: 30 },
            readinessProbe: { httpGet: { path: probePaths.readiness, port: httpPortName }, periodSeconds: 1, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: probePaths.liveness, port: httpPortName }, periodSeconds: 2, failureThreshold: 3 },
          },
        ],
        volumes: [
          { name: "cache", emptyDir: { sizeLimit: cacheSizeLimit } },
          { name: "tmp", emptyDir: { sizeLimit: tmpSizeLimit } },
          { name: "store", persistentVolumeClaim: { claimName: storeClaim, readOnly: true } },
        ],
      },
    },
  ];
}

/** The baseline's pod object, for mutations. */
export function podOf(objects: K8sObject[]): any {
  return objects.find((o) => o.kind === "Pod")!;
}

export function serverContainer(objects: K8sObject[]): any {
  return podOf(objects).spec.containers[0];
}

/** Mutations: each changes one thing of the baseline. */
export const mutations = {
  /** The server is given a name the env contract does not allow. */
  unknownAtlasEnv(objects: K8sObject[]): K8sObject[] {
    serverContainer(objects).env.push({ name: "ATLAS_NOT_A_SETTING", value: "1" });
    return objects;
  },
  /** The kubelet injects service links (a Service named bijux-atlas gives BIJUX_ATLAS_* variables). */
  serviceLinks(objects: K8sObject[]): K8sObject[] {
    podOf(objects).spec.enableServiceLinks = true;
    return objects;
  },
  /** The container may gain privileges (the runner cannot honour that). */
  privilegeEscalation(objects: K8sObject[]): K8sObject[] {
    serverContainer(objects).securityContext.allowPrivilegeEscalation = true;
    return objects;
  },
  /** /tmp has no size limit. */
  unboundedTmp(objects: K8sObject[]): K8sObject[] {
    podOf(objects).spec.volumes.find((v: any) => v.name === "tmp").emptyDir = {};
    return objects;
  },
  /** The egress allows a CIDR (a store network). */
  egressTo(cidr: string) {
    return (objects: K8sObject[]): K8sObject[] => {
      const np = objects.find((o) => o.kind === "NetworkPolicy")!;
      np.spec.egress.push({ to: [{ ipBlock: { cidr } }], ports: [{ protocol: "TCP", port: 80 }] });
      return objects;
    };
  },
};
