/**
 * Plain manifests of the node tier: a restricted namespace, the real atlas server as a pod held
 * to the contract (nonroot, read-only root, bounded /cache and /tmp, probes, no service links),
 * its Service, and the egress policy under test.
 */
import { dns } from "../../contract/network";
import { paths, probePaths, runAsGroup, runAsUser, defaultPort } from "../../contract/pod";
import { atlasName, atlasNameLabel } from "../../contract/labels";
import { realNodeReleaseValues } from "../../lib/cluster/ephemeral";
import { K8sObject, renderProfile } from "../../lib/chartProfiles";

type Obj = Record<string, unknown>;

export function restrictedNamespace(name: string): Obj {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } } };
}

/** The baseline atlas pod: cached-only (no store, no catalog), every contract setting in place. */
export function atlasPod(namespace: string, name: string, imageRef: string, labels: Record<string, string> = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { [atlasNameLabel]: atlasName, "test.atlas/pod": name, ...labels } },
    spec: {
      // The server refuses unknown ATLAS_/BIJUX_ variables, which Service links would inject.
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 2,
      securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup: runAsGroup, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "server",
          image: imageRef,
          imagePullPolicy: "IfNotPresent",
          env: [
            { name: "ATLAS_BIND", value: `0.0.0.0:${defaultPort}` },
            { name: "ATLAS_CACHE_ROOT", value: paths.cache },
            { name: "ATLAS_STORE_ROOT", value: paths.store },
            { name: "ATLAS_CACHED_ONLY_MODE", value: "true" },
            { name: "ATLAS_READINESS_REQUIRES_CATALOG", value: "false" },
            { name: "ATLAS_MAX_DISK_BYTES", value: String(8 * 1024 * 1024) },
          ],
          ports: [{ name: "http", containerPort: defaultPort }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
          resources: { requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "32Mi" }, limits: { memory: "256Mi", "ephemeral-storage": "64Mi" } },
          readinessProbe: { httpGet: { path: probePaths.readiness, port: "http" }, periodSeconds: 2 },
          livenessProbe: { httpGet: { path: probePaths.liveness, port: "http" }, periodSeconds: 10 },
          volumeMounts: [
            { name: "cache", mountPath: paths.cache },
            { name: "tmp", mountPath: paths.tmp },
          ],
        },
      ],
      volumes: [
        { name: "cache", emptyDir: { sizeLimit: "16Mi" } },
        { name: "tmp", emptyDir: { sizeLimit: "8Mi" } },
      ],
    },
  };
}

export function atlasService(namespace: string, name: string, podName: string): Obj {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { selector: { "test.atlas/pod": podName }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
  };
}

/** The contract's egress shape: deny all but DNS to kube-system and one CIDR on one port. */
export function egressPolicy(namespace: string, podName: string, allowedCidr: string, port: number): Obj {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${podName}-egress`, namespace },
    spec: {
      podSelector: { matchLabels: { "test.atlas/pod": podName } },
      policyTypes: ["Egress"],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { [dns.namespaceNameLabel]: dns.namespace } } }], ports: dns.protocols.map((protocol) => ({ protocol, port: dns.port })) },
        { to: [{ ipBlock: { cidr: allowedCidr } }], ports: [{ protocol: "TCP", port }] },
      ],
    },
  };
}

/** The objects as one v1 List (what `kubectl apply -f -` reads). */
export const yamlStream = (objs: Obj[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items: objs });

/**
 * The chart's dev profile on a real node: its store at `storeUrl` (a test host's address, which
 * is also the one egress CIDR allowed), the rest as the offline release on a real node; no Argo
 * Rollout (no CRDs on this cluster): a Deployment.
 */
export function devRelease(namespace: string, image: { repository: string; digest: string }, store: { url: string; cidr: string; port: number }): K8sObject[] {
  const values = realNodeReleaseValues(image);
  return renderProfile("dev", {
    namespace,
    values: {
      ...values,
      cache: { ...(values.cache as object), pinnedDatasets: [] },
      store: { url: store.url, allowPrivateHosts: true },
      networkPolicy: { egressCidrs: [{ cidr: store.cidr, ports: [{ port: store.port }] }] },
      rollout: { enabled: false },
    },
  });
}

/**
 * The offline release with its warm-up Job: the store a claim bound to `storePath` on node
 * `node` (a local PersistentVolume), `datasetId` pinned and smoke-tested by the Job.
 */
export function offlineReleaseWithWarmup(namespace: string, image: { repository: string; digest: string }, store: { path: string; node: string; datasetId: string }): Obj[] {
  const values = realNodeReleaseValues(image);
  const claim = "atlas-store";
  const pv = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `${namespace}-store` },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      storageClassName: "",
      local: { path: store.path },
      claimRef: { namespace, name: claim },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [store.node] }] }] } },
    },
  };
  const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: claim, namespace }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "", volumeName: pv.metadata.name, resources: { requests: { storage: "1Gi" } } } };
  const objects = renderProfile("offline", {
    namespace,
    values: { ...values, cache: { ...(values.cache as object), pinnedDatasets: [store.datasetId] }, store: { existingClaim: claim }, datasetWarmupJob: { enabled: true } },
  });
  return [pv, pvc, ...objects];
}
