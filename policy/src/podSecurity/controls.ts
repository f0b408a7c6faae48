/**
 * The Pod Security Standards as data: every control of the baseline and restricted levels, each
 * with the Kubernetes version its checks start at, as k8s.io/pod-security-admission defines them
 * (policy/check_*.go of the pinned release). A control's newest version applies from its
 * `since` onward; a restricted control may override a baseline one (capabilities, seccomp,
 * volumes, procMount), which then does not apply at the restricted level.
 */
import { containersOf } from "../../../contract/k8s";

/** The pinned release of the reference implementation, and the newest Kubernetes version it defines. */
export const podSecurityRelease = { module: "k8s.io/pod-security-admission", version: "v0.37.2", newest: "1.37" } as const;

export type Level = "baseline" | "restricted";

/** What a check sees: the pod's metadata and spec, as on any pod-bearing kind. */
export interface PodView {
  metadata: { annotations?: Record<string, string>; [field: string]: any };
  spec: any;
}

/** A check returns what it forbids, one message per offending field; empty when allowed. */
export type PodCheck = (pod: PodView) => string[];

export interface ControlVersion {
  /** Kubernetes minor version ("1.25") from which this check applies. */
  since: string;
  check: PodCheck;
  /** Baseline controls this one replaces at the restricted level. */
  overrides?: string[];
}

export interface Control {
  /** The check ID of pod-security-admission. */
  id: string;
  level: Level;
  /** The Pod Security Standard's name of the control. */
  title: string;
  versions: ControlVersion[];
  /** What to do about a finding. */
  remediation: string;
}

// ---- what the checks share ------------------------------------------------------------------

const set = (v: unknown): boolean => v !== undefined && v !== null;
const sc = (c: any) => c?.securityContext ?? undefined;
const podSc = (pod: PodView) => pod.spec?.securityContext ?? undefined;
const name = (c: { list: string; container: any }) => `${c.list}[${c.container?.name ?? "?"}]`;
const each = (pod: PodView, f: (c: any, where: string) => string | string[] | undefined): string[] =>
  containersOf(pod.spec).flatMap((c) => {
    const r = f(c.container, name(c));
    return r === undefined ? [] : Array.isArray(r) ? r : [r];
  });
const isWindows = (pod: PodView) => pod.spec?.os?.name === "windows";
/** hostUsers: false (a user namespace) relaxes some controls from 1.35 on. */
const inUserNamespace = (pod: PodView) => pod.spec?.hostUsers === false;
const unlessWindows = (check: PodCheck): PodCheck => (pod) => (isWindows(pod) ? [] : check(pod));
const unlessUserNamespace = (check: PodCheck): PodCheck => (pod) => (inUserNamespace(pod) ? [] : check(pod));

// ---- the checks -------------------------------------------------------------------------------

const privileged: PodCheck = (pod) => each(pod, (c, at) => (sc(c)?.privileged === true ? `${at}: securityContext.privileged is true` : undefined));

const windowsHostProcess: PodCheck = (pod) => [
  ...(podSc(pod)?.windowsOptions?.hostProcess === true ? ["pod securityContext.windowsOptions.hostProcess is true"] : []),
  ...each(pod, (c, at) => (sc(c)?.windowsOptions?.hostProcess === true ? `${at}: securityContext.windowsOptions.hostProcess is true` : undefined)),
];

const hostNamespaces: PodCheck = (pod) => (["hostNetwork", "hostPID", "hostIPC"] as const).filter((f) => pod.spec?.[f] === true).map((f) => `pod sets ${f}: true`);

const hostPorts: PodCheck = (pod) =>
  each(pod, (c, at) => (Array.isArray(c?.ports) ? c.ports : []).filter((p: any) => set(p?.hostPort) && p.hostPort !== 0).map((p: any) => `${at}: ports[].hostPort ${p.hostPort}`));

const hostProbesAndHostLifecycle: PodCheck = (pod) =>
  each(pod, (c, at) =>
    (
      [
        ["livenessProbe", c?.livenessProbe],
        ["readinessProbe", c?.readinessProbe],
        ["startupProbe", c?.startupProbe],
        ["lifecycle.postStart", c?.lifecycle?.postStart],
        ["lifecycle.preStop", c?.lifecycle?.preStop],
      ] as [string, any][]
    ).flatMap(([field, h]) =>
      ["httpGet", "tcpSocket"].filter((k) => set(h?.[k]?.host) && h[k].host !== "").map((k) => `${at}: ${field}.${k}.host is ${JSON.stringify(h[k].host)}`),
    ),
  );

const hostPathVolumes: PodCheck = (pod) => (Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : []).filter((v: any) => set(v?.hostPath)).map((v: any) => `volume ${v?.name}: hostPath`);

/** Inline volume sources the restricted level allows. */
export const restrictedVolumeSources = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"] as const;
/** Sources a volume sets; none at all is defaulted to an emptyDir by the API server. */
const volumeSources = (v: any) => Object.keys(v ?? {}).filter((k) => k !== "name" && set(v[k]));
const restrictedVolumes: PodCheck = (pod) =>
  (Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : [])
    .filter((v: any) => volumeSources(v).length > 0 && !restrictedVolumeSources.some((s) => set(v?.[s])))
    .map((v: any) => {
      const kind = volumeSources(v)[0];
      return `volume ${v?.name}: ${kind} is not an allowed volume type (allowed: ${restrictedVolumeSources.join(", ")})`;
    });

/** The container runtime's default capabilities: what baseline lets a container add. */
const defaultCapabilities = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
const capabilitiesBaseline: PodCheck = (pod) =>
  each(pod, (c, at) => {
    const added = (Array.isArray(sc(c)?.capabilities?.add) ? sc(c).capabilities.add : []).filter((a: string) => !defaultCapabilities.includes(a));
    return added.length ? `${at}: capabilities.add ${JSON.stringify(added)} beyond the default set` : undefined;
  });
const capabilitiesRestricted: PodCheck = (pod) =>
  each(pod, (c, at) => {
    const caps = sc(c)?.capabilities;
    const out: string[] = [];
    if (!(Array.isArray(caps?.drop) && caps.drop.includes("ALL"))) out.push(`${at}: securityContext.capabilities.drop does not include "ALL"`);
    const added = (Array.isArray(caps?.add) ? caps.add : []).filter((a: string) => a !== "NET_BIND_SERVICE");
    if (added.length) out.push(`${at}: securityContext.capabilities.add ${JSON.stringify(added)} (only NET_BIND_SERVICE may be added)`);
    return out;
  });

const runAsNonRoot: PodCheck = (pod) => {
  const out: string[] = [];
  const podValue = podSc(pod)?.runAsNonRoot;
  if (podValue === false) out.push("pod securityContext.runAsNonRoot is false");
  out.push(
    ...each(pod, (c, at) => {
      const v = sc(c)?.runAsNonRoot;
      if (set(v)) return v === false ? `${at}: securityContext.runAsNonRoot is false` : undefined;
      return podValue === true ? undefined : `${at}: runAsNonRoot is not true on the container or the pod`;
    }),
  );
  return out;
};

const runAsUser: PodCheck = (pod) => [
  ...(podSc(pod)?.runAsUser === 0 ? ["pod securityContext.runAsUser is 0"] : []),
  ...each(pod, (c, at) => (sc(c)?.runAsUser === 0 ? `${at}: securityContext.runAsUser is 0` : undefined)),
];

const allowPrivilegeEscalation: PodCheck = (pod) => each(pod, (c, at) => (sc(c)?.allowPrivilegeEscalation === false ? undefined : `${at}: securityContext.allowPrivilegeEscalation is not false`));

const validSeccomp = (t: unknown) => t === "RuntimeDefault" || t === "Localhost";
const seccompAnnotations: PodCheck = (pod) => {
  const a = pod.metadata?.annotations ?? {};
  const ok = (v: string) => v === "runtime/default" || v === "docker/default" || v.startsWith("localhost/");
  const keys = ["seccomp.security.alpha.kubernetes.io/pod", ...containersOf(pod.spec).map((c) => `container.seccomp.security.alpha.kubernetes.io/${c.container?.name}`)];
  return keys.filter((k) => k in a && !ok(String(a[k]))).map((k) => `annotation ${k}=${JSON.stringify(a[k])}`);
};
const seccompBaseline: PodCheck = (pod) => [
  ...(set(podSc(pod)?.seccompProfile) && !validSeccomp(podSc(pod).seccompProfile.type) ? [`pod securityContext.seccompProfile.type is ${JSON.stringify(podSc(pod).seccompProfile.type ?? "")}`] : []),
  ...each(pod, (c, at) => (set(sc(c)?.seccompProfile) && !validSeccomp(sc(c).seccompProfile.type) ? `${at}: securityContext.seccompProfile.type is ${JSON.stringify(sc(c).seccompProfile.type ?? "")}` : undefined)),
];
const seccompRestricted: PodCheck = (pod) => {
  const podProfile = podSc(pod)?.seccompProfile;
  const podSet = set(podProfile) && validSeccomp(podProfile.type);
  return [
    ...seccompBaseline(pod),
    ...each(pod, (c, at) => (set(sc(c)?.seccompProfile) || podSet ? undefined : `${at}: no seccompProfile.type RuntimeDefault or Localhost on the container or the pod`)),
  ];
};

const appArmorProfile: PodCheck = (pod) => {
  const ok = (t: unknown) => t === "RuntimeDefault" || t === "Localhost";
  const prefix = "container.apparmor.security.beta.kubernetes.io/";
  return [
    ...(set(podSc(pod)?.appArmorProfile) && !ok(podSc(pod).appArmorProfile.type) ? [`pod securityContext.appArmorProfile.type is ${JSON.stringify(podSc(pod).appArmorProfile.type ?? "")}`] : []),
    ...each(pod, (c, at) => (set(sc(c)?.appArmorProfile) && !ok(sc(c).appArmorProfile.type) ? `${at}: securityContext.appArmorProfile.type is ${JSON.stringify(sc(c).appArmorProfile.type ?? "")}` : undefined)),
    ...Object.entries(pod.metadata?.annotations ?? {})
      .filter(([k, v]) => k.startsWith(prefix) && !(v === "" || v === "runtime/default" || String(v).startsWith("localhost/")))
      .map(([k, v]) => `annotation ${k}=${JSON.stringify(v)}`),
  ];
};

const seLinux =
  (types: string[]): PodCheck =>
  (pod) => {
    const problems = (o: any, at: string) => {
      if (!set(o)) return [];
      const out: string[] = [];
      if (!types.includes(o.type ?? "")) out.push(`${at} seLinuxOptions.type ${JSON.stringify(o.type)} (allowed: ${types.filter(Boolean).join(", ")})`);
      for (const f of ["user", "role"]) if (set(o[f]) && o[f] !== "") out.push(`${at} seLinuxOptions.${f} may not be set`);
      return out;
    };
    return [...problems(podSc(pod)?.seLinuxOptions, "pod"), ...each(pod, (c, at) => problems(sc(c)?.seLinuxOptions, `${at}:`))];
  };
const seLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t"];

const procMount: PodCheck = (pod) => each(pod, (c, at) => (set(sc(c)?.procMount) && sc(c).procMount !== "Default" ? `${at}: securityContext.procMount is ${JSON.stringify(sc(c).procMount)}` : undefined));

/** The safe sysctls, by the version that added them. */
export const safeSysctls: { since: string; names: string[] }[] = [
  { since: "1.0", names: ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"] },
  { since: "1.27", names: ["net.ipv4.ip_local_reserved_ports"] },
  { since: "1.29", names: ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"] },
  { since: "1.32", names: ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"] },
  { since: "1.37", names: ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"] },
];
const sysctlsAt =
  (since: string): PodCheck =>
  (pod) => {
    const allowed = safeSysctls.filter((s) => compareVersions(s.since, since) <= 0).flatMap((s) => s.names);
    return (Array.isArray(podSc(pod)?.sysctls) ? podSc(pod).sysctls : []).filter((s: any) => !allowed.includes(s?.name)).map((s: any) => `sysctl ${s?.name} is not in the safe set`);
  };

// ---- the table --------------------------------------------------------------------------------

export const controls: readonly Control[] = [
  {
    id: "privileged",
    level: "baseline",
    title: "Privileged Containers",
    versions: [{ since: "1.0", check: privileged }],
    remediation: "remove securityContext.privileged (or set it to false) on every container",
  },
  {
    id: "windowsHostProcess",
    level: "baseline",
    title: "HostProcess",
    versions: [{ since: "1.0", check: windowsHostProcess }],
    remediation: "remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and every container",
  },
  {
    id: "hostNamespaces",
    level: "baseline",
    title: "Host Namespaces",
    versions: [{ since: "1.0", check: hostNamespaces }],
    remediation: "remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false)",
  },
  {
    id: "hostPathVolumes",
    level: "baseline",
    title: "HostPath Volumes",
    versions: [{ since: "1.0", check: hostPathVolumes }],
    remediation: "replace hostPath volumes with an emptyDir, a PersistentVolumeClaim or a projected source",
  },
  {
    id: "hostPorts",
    level: "baseline",
    title: "Host Ports",
    versions: [{ since: "1.0", check: hostPorts }],
    remediation: "remove ports[].hostPort (expose the port through a Service instead)",
  },
  {
    id: "hostProbesAndHostLifecycle",
    level: "baseline",
    title: "Host Probes / Lifecycle Hooks",
    versions: [{ since: "1.34", check: hostProbesAndHostLifecycle }],
    remediation: "remove httpGet.host and tcpSocket.host from probes and lifecycle hooks (they target the pod itself)",
  },
  {
    id: "appArmorProfile",
    level: "baseline",
    title: "AppArmor",
    versions: [{ since: "1.0", check: appArmorProfile }],
    remediation: "use appArmorProfile.type RuntimeDefault or Localhost (or leave it unset); remove unconfined AppArmor annotations",
  },
  {
    id: "seLinuxOptions",
    level: "baseline",
    title: "SELinux",
    versions: [
      { since: "1.0", check: seLinux(seLinuxTypes) },
      { since: "1.31", check: seLinux([...seLinuxTypes, "container_engine_t"]) },
    ],
    remediation: "leave seLinuxOptions.user and .role unset and use a container_* type (or none)",
  },
  {
    id: "procMount",
    level: "baseline",
    title: "/proc Mount Type",
    versions: [
      { since: "1.0", check: procMount },
      { since: "1.35", check: unlessUserNamespace(procMount) },
    ],
    remediation: "remove securityContext.procMount (or set it to Default)",
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    title: "Seccomp",
    versions: [
      { since: "1.0", check: seccompAnnotations },
      { since: "1.19", check: seccompBaseline },
    ],
    remediation: "use seccompProfile.type RuntimeDefault or Localhost, never Unconfined",
  },
  {
    id: "sysctls",
    level: "baseline",
    title: "Sysctls",
    versions: safeSysctls.map((s) => ({ since: s.since, check: sysctlsAt(s.since) })),
    remediation: "set only the safe sysctls (or none) in securityContext.sysctls",
  },
  {
    id: "capabilities_baseline",
    level: "baseline",
    title: "Capabilities",
    versions: [{ since: "1.0", check: capabilitiesBaseline }],
    remediation: "add no capability beyond the runtime's default set",
  },
  {
    id: "restrictedVolumes",
    level: "restricted",
    title: "Volume Types",
    versions: [{ since: "1.0", check: restrictedVolumes, overrides: ["hostPathVolumes"] }],
    remediation: `use only ${restrictedVolumeSources.join(", ")} volumes`,
  },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    title: "Privilege Escalation",
    versions: [
      { since: "1.8", check: allowPrivilegeEscalation },
      { since: "1.25", check: unlessWindows(allowPrivilegeEscalation) },
    ],
    remediation: "set securityContext.allowPrivilegeEscalation: false on every container",
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    title: "Running as Non-root",
    versions: [
      { since: "1.0", check: runAsNonRoot },
      { since: "1.35", check: unlessUserNamespace(runAsNonRoot) },
    ],
    remediation: "set securityContext.runAsNonRoot: true on the pod (or on every container)",
  },
  {
    id: "runAsUser",
    level: "restricted",
    title: "Running as Non-root user",
    versions: [
      { since: "1.23", check: runAsUser },
      { since: "1.35", check: unlessUserNamespace(runAsUser) },
    ],
    remediation: "set runAsUser to a non-zero uid (or leave it to the image) on the pod and every container",
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    title: "Seccomp",
    versions: [
      { since: "1.19", check: seccompRestricted, overrides: ["seccompProfile_baseline"] },
      { since: "1.25", check: unlessWindows(seccompRestricted), overrides: ["seccompProfile_baseline"] },
    ],
    remediation: "set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod or every container",
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    title: "Capabilities",
    versions: [
      { since: "1.22", check: capabilitiesRestricted, overrides: ["capabilities_baseline"] },
      { since: "1.25", check: unlessWindows(capabilitiesRestricted), overrides: ["capabilities_baseline"] },
    ],
    remediation: 'set securityContext.capabilities.drop: ["ALL"] on every container and add at most NET_BIND_SERVICE',
  },
  {
    id: "procMount_restricted",
    level: "restricted",
    title: "/proc Mount Type",
    versions: [{ since: "1.35", check: procMount, overrides: ["procMount"] }],
    remediation: "remove securityContext.procMount (or set it to Default), also in a user namespace",
  },
];

/** Orders "1.9" before "1.10". */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/** The check of a control in force at `version`, or undefined before the control starts. */
export function versionAt(control: Control, version: string): ControlVersion | undefined {
  return [...control.versions].reverse().find((v) => compareVersions(v.since, version) <= 0);
}

/** The controls of a level at a version, each with the check in force, overridden baseline controls left out. */
export function controlsAt(level: Level, version: string = podSecurityRelease.newest): { control: Control; check: PodCheck }[] {
  const inForce = controls
    .filter((c) => level === "restricted" || c.level === "baseline")
    .map((control) => ({ control, version: versionAt(control, version) }))
    .filter((x): x is { control: Control; version: ControlVersion } => x.version !== undefined);
  const overridden = new Set(inForce.flatMap((x) => x.version.overrides ?? []));
  return inForce.filter((x) => !overridden.has(x.control.id)).map((x) => ({ control: x.control, check: x.version.check }));
}

/** Every forbidden field of a pod at a level and version (empty: admitted). */
export function evaluatePod(pod: PodView, level: Level = "restricted", version: string = podSecurityRelease.newest): { control: string; problems: string[] }[] {
  return controlsAt(level, version)
    .map(({ control, check }) => ({ control: control.id, problems: check(pod) }))
    .filter((r) => r.problems.length > 0);
}
