/**
 * Cluster DNS for clusters with real nodes: CoreDNS (tools/kube-build/coredns) as a pod in
 * kube-system behind the kube-dns Service at the address kubelets hand to pods. Being a pod in
 * kube-system is what gives the chart's "DNS egress to kube-system" a meaning: a NetworkPolicy
 * that allows DNS to that namespace allows exactly this pod, and the enforcer sees its pod address.
 * It answers cluster names only: no upstream is forwarded to (nothing resolves outside the cluster).
 */
import { dns } from "../../contract/network";
import { clusterDomain, ClusterNetwork } from "./realNetwork";

/**
 * Objects as one v1 List for `kubectl apply -f -`: kubectl's stream reader panics on JSON
 * documents separated by `---`, while a List is one JSON document.
 */
export function manifestList(objects: object[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

export const corednsLabels = { "k8s-app": "kube-dns" } as const;

export function corefile(): string {
  return `.:${dns.port} {
    errors
    health :8080
    ready :8181
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
}
`;
}

/** The manifests (one YAML stream): RBAC, Corefile, Deployment (image by digest) and the kube-dns Service. */
export function corednsManifests(net: ClusterNetwork, imageRef: string): string {
  const objects: object[] = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "coredns", namespace: dns.namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "atlas:coredns" },
      rules: [
        { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "atlas:coredns" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "atlas:coredns" },
      subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: dns.namespace }],
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: dns.namespace }, data: { Corefile: corefile() } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "coredns", namespace: dns.namespace, labels: corednsLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: corednsLabels },
        template: {
          metadata: { labels: corednsLabels },
          spec: {
            serviceAccountName: "coredns",
            dnsPolicy: "Default",
            enableServiceLinks: false,
            priorityClassName: "system-cluster-critical",
            securityContext: {
              runAsNonRoot: true,
              seccompProfile: { type: "RuntimeDefault" },
              // Port 53 without any capability: the pod's own network namespace lets its unprivileged user bind it.
              sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: String(dns.port) }],
            },
            containers: [
              {
                name: "coredns",
                image: imageRef,
                imagePullPolicy: "IfNotPresent",
                args: ["-conf", "/etc/coredns/Corefile"],
                ports: dns.protocols.map((protocol) => ({ name: `dns-${protocol.toLowerCase()}`, containerPort: dns.port, protocol })),
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                readinessProbe: { httpGet: { path: "/ready", port: 8181 }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10 },
                volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: "coredns" } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kube-dns", namespace: dns.namespace, labels: corednsLabels },
      spec: {
        clusterIP: net.dnsServiceIp,
        selector: corednsLabels,
        ports: dns.protocols.map((protocol) => ({ name: `dns-${protocol.toLowerCase()}`, port: dns.port, targetPort: dns.port, protocol })),
      },
    },
  ];
  return manifestList(objects);
}

/** The policy firewall's identity (its client certificate's user) and what it may read. */
export const policyFirewallUser = "atlas:kube-router";

export function policyFirewallRbac(): string {
  const objects = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: policyFirewallUser },
      rules: [
        { apiGroups: [""], resources: ["pods", "namespaces", "nodes", "services", "endpoints"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: policyFirewallUser },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: policyFirewallUser },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: policyFirewallUser }],
    },
  ];
  return manifestList(objects);
}
