/**
 * The compliant baseline the policy tests mutate: the objects of one atlas release as the contract
 * describes them (Deployment, ConfigMap, Service, NetworkPolicy, HPA, PDB), built from the
 * contract's facts. Each test clones it and breaks one thing.
 */
import { atlasName, atlasNameLabel } from "../../../contract/labels";
import { dns } from "../../../contract/network";
import { env } from "../../../contract/env";
import { hpaPodMetrics } from "../../../contract/metrics";
import { containerNames, defaultPort, httpPortName, paths, probePaths, runAsGroup, runAsUser } from "../../../contract/pod";
import type { K8sObject } from "../../../contract/k8s";

export type { K8sObject };

export const namespace = "atlas";
export const release = "atlas-bijux-atlas";
export const podLabels = { [atlasNameLabel]: atlasName, "app.kubernetes.io/instance": "atlas" };
export const image = `registry.example.org/bijux/bijux-atlas:0.2.2@sha256:${"ab".repeat(32)}`;

const probe = (path: string) => ({ httpGet: { path, port: httpPortName } });

export function serverContainer(): any {
  return {
    name: containerNames.server,
    image,
    ports: [{ name: httpPortName, containerPort: defaultPort }],
    envFrom: [{ configMapRef: { name: release } }],
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
    resources: {
      requests: { cpu: "500m", memory: "512Mi", "ephemeral-storage": "2Gi" },
      limits: { cpu: "2000m", memory: "2Gi", "ephemeral-storage": "12Gi" },
    },
    volumeMounts: [
      { name: "cache", mountPath: paths.cache },
      { name: "tmp", mountPath: paths.tmp },
    ],
    startupProbe: probe(probePaths.startup),
    readinessProbe: probe(probePaths.readiness),
    livenessProbe: probe(probePaths.liveness),
  };
}

export function podTemplate(): any {
  return {
    metadata: { labels: { ...podLabels }, annotations: {} },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup: runAsGroup, seccompProfile: { type: "RuntimeDefault" } },
      containers: [serverContainer()],
      volumes: [
        { name: "cache", emptyDir: { sizeLimit: "10Gi" } },
        { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
      ],
    },
  };
}

const meta = (name = release) => ({ name, namespace, labels: { ...podLabels } });

/** The release: every object compliant, no finding at all. */
export function baseline(opts: { cachedOnly?: boolean } = {}): K8sObject[] {
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(), data: { [env.cachedOnlyMode]: opts.cachedOnly ? "true" : "false", [env.readinessRequiresCatalog]: opts.cachedOnly ? "false" : "true" } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: meta(), spec: { replicas: 2, selector: { matchLabels: { ...podLabels } }, template: podTemplate() } },
    { apiVersion: "v1", kind: "Service", metadata: meta(), spec: { selector: { ...podLabels }, ports: [{ name: httpPortName, port: 80, targetPort: httpPortName }] } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(),
      spec: {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ ports: [{ port: httpPortName }] }],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [dns.namespaceNameLabel]: dns.namespace } } }],
            ports: dns.protocols.map((protocol) => ({ protocol, port: dns.port })),
          },
          ...(opts.cachedOnly ? [] : [{ to: [{ ipBlock: { cidr: "10.20.30.40/32" } }], ports: [{ protocol: "TCP", port: 443 }] }]),
        ],
      },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: release },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          ...hpaPodMetrics.map((name) => ({ type: "Pods", pods: { metric: { name }, target: { type: "AverageValue", averageValue: "1" } } })),
        ],
      },
    },
    { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(), spec: { minAvailable: 1, selector: { matchLabels: { ...podLabels } } } },
  ];
}

export const byKind = (objs: K8sObject[], kind: string) => objs.find((o) => o.kind === kind)!;
export const workload = (objs: K8sObject[]) => byKind(objs, "Deployment");
export const podSpec = (objs: K8sObject[]) => workload(objs).spec.template.spec;
export const server = (objs: K8sObject[]) => podSpec(objs).containers[0];
export const networkPolicy = (objs: K8sObject[]) => byKind(objs, "NetworkPolicy");

/** A compliant bare Pod of the release, for kind-shape tests. */
export function atlasPod(): K8sObject {
  const t = podTemplate();
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "atlas-debug", namespace, labels: t.metadata.labels }, spec: t.spec };
}

/** The server pod template wrapped into each kind Pod Security admission checks (and an Argo Rollout). */
export function asKind(kind: string): K8sObject {
  const t = podTemplate();
  const m = { name: `atlas-${kind.toLowerCase()}`, namespace, labels: { ...podLabels } };
  switch (kind) {
    case "Pod":
      return { apiVersion: "v1", kind, metadata: m, spec: t.spec };
    case "PodTemplate":
      return { apiVersion: "v1", kind, metadata: m, template: t };
    case "ReplicationController":
      return { apiVersion: "v1", kind, metadata: m, spec: { selector: { ...podLabels }, template: t } };
    case "CronJob":
      return { apiVersion: "batch/v1", kind, metadata: m, spec: { schedule: "@daily", jobTemplate: { spec: { template: t } } } };
    case "Job":
      return { apiVersion: "batch/v1", kind, metadata: m, spec: { template: t } };
    case "Rollout":
      return { apiVersion: "argoproj.io/v1alpha1", kind, metadata: m, spec: { selector: { matchLabels: { ...podLabels } }, template: t } };
    default:
      return { apiVersion: "apps/v1", kind, metadata: m, spec: { selector: { matchLabels: { ...podLabels } }, template: t } };
  }
}

/** The pod spec inside any of {@link asKind}'s objects. */
export const podSpecOf = (o: K8sObject) => (o.kind === "Pod" ? o.spec : o.kind === "PodTemplate" ? o.template.spec : o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);
