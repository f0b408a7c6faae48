/**
 * A conformance table written from the documented Pod Security Standard controls
 * (kubernetes.io/docs/concepts/security/pod-security-standards and the controls' doc comments in
 * k8s.io/pod-security-admission): per control and per version the control changes at, at least one
 * pod that passes and two that fail at that version. Each mutation is applied to a compliant
 * restricted pod.
 */
export interface ControlCase {
  /** pod-security-admission check ID. */
  control: string;
  /** Kubernetes version the case is evaluated at. */
  version: string;
  /** Level evaluated (default restricted); baseline for controls restricted overrides at every version. */
  level?: "baseline" | "restricted";
  name: string;
  mutate: (pod: { metadata: any; spec: any }) => void;
  /** Whether the restricted level admits the mutated pod at that version. */
  admitted: boolean;
}

const c = (pod: { spec: any }) => pod.spec.containers[0];
const sc = (pod: { spec: any }) => (c(pod).securityContext ??= {});
const podSc = (pod: { spec: any }) => (pod.spec.securityContext ??= {});

export const controlCases: ControlCase[] = [
  // privileged (baseline, 1.0)
  { control: "privileged", version: "1.0", name: "privileged false", mutate: (p) => (sc(p).privileged = false), admitted: true },
  { control: "privileged", version: "1.0", name: "privileged container", mutate: (p) => (sc(p).privileged = true), admitted: false },
  { control: "privileged", version: "1.0", name: "privileged second container", mutate: (p) => p.spec.containers.push({ ...structuredClone(c(p)), name: "sidecar", securityContext: { ...sc(p), privileged: true } }), admitted: false },
  { control: "privileged", version: "1.37", name: "privileged init container", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", securityContext: { ...sc(p), privileged: true } }]), admitted: false },
  { control: "privileged", version: "1.37", name: "privileged ephemeral container", mutate: (p) => (p.spec.ephemeralContainers = [{ ...structuredClone(c(p)), name: "debug", securityContext: { ...sc(p), privileged: true } }]), admitted: false },
  // windowsHostProcess (baseline, 1.0)
  { control: "windowsHostProcess", version: "1.0", name: "hostProcess false", mutate: (p) => (sc(p).windowsOptions = { hostProcess: false }), admitted: true },
  { control: "windowsHostProcess", version: "1.0", name: "container hostProcess", mutate: (p) => (sc(p).windowsOptions = { hostProcess: true }), admitted: false },
  { control: "windowsHostProcess", version: "1.0", name: "init container hostProcess", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", securityContext: { ...sc(p), windowsOptions: { hostProcess: true } } }]), admitted: false },
  { control: "windowsHostProcess", version: "1.37", name: "pod hostProcess", mutate: (p) => (podSc(p).windowsOptions = { hostProcess: true }), admitted: false },
  // hostNamespaces (baseline, 1.0)
  { control: "hostNamespaces", version: "1.0", name: "host namespaces false", mutate: (p) => Object.assign(p.spec, { hostNetwork: false, hostPID: false, hostIPC: false }), admitted: true },
  { control: "hostNamespaces", version: "1.0", name: "hostNetwork", mutate: (p) => (p.spec.hostNetwork = true), admitted: false },
  { control: "hostNamespaces", version: "1.0", name: "hostIPC with hostNetwork false", mutate: (p) => Object.assign(p.spec, { hostNetwork: false, hostIPC: true }), admitted: false },
  { control: "hostNamespaces", version: "1.37", name: "hostPID", mutate: (p) => (p.spec.hostPID = true), admitted: false },
  { control: "hostNamespaces", version: "1.37", name: "hostIPC", mutate: (p) => (p.spec.hostIPC = true), admitted: false },
  // hostPorts (baseline, 1.0)
  { control: "hostPorts", version: "1.0", name: "hostPort 0", mutate: (p) => (c(p).ports = [{ containerPort: 8080, hostPort: 0 }]), admitted: true },
  { control: "hostPorts", version: "1.0", name: "hostPort 8080", mutate: (p) => (c(p).ports = [{ containerPort: 8080, hostPort: 8080 }]), admitted: false },
  { control: "hostPorts", version: "1.0", name: "hostPort on the second of two ports", mutate: (p) => (c(p).ports = [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090, protocol: "UDP" }]), admitted: false },
  { control: "hostPorts", version: "1.37", name: "hostPort on an init container", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", ports: [{ containerPort: 1, hostPort: 1 }] }]), admitted: false },
  // hostProbesAndHostLifecycle (baseline, 1.34)
  { control: "hostProbesAndHostLifecycle", version: "1.33", name: "probe host before 1.34", mutate: (p) => (c(p).livenessProbe = { httpGet: { host: "10.0.0.1", path: "/", port: 80 } }), admitted: true },
  { control: "hostProbesAndHostLifecycle", version: "1.34", name: "empty probe host", mutate: (p) => (c(p).livenessProbe = { httpGet: { host: "", path: "/", port: 80 } }), admitted: true },
  { control: "hostProbesAndHostLifecycle", version: "1.34", name: "httpGet probe host", mutate: (p) => (c(p).readinessProbe = { httpGet: { host: "10.0.0.1", path: "/", port: 80 } }), admitted: false },
  { control: "hostProbesAndHostLifecycle", version: "1.34", name: "tcpSocket probe host", mutate: (p) => (c(p).startupProbe = { tcpSocket: { host: "db", port: 5432 } }), admitted: false },
  { control: "hostProbesAndHostLifecycle", version: "1.37", name: "preStop hook host", mutate: (p) => (c(p).lifecycle = { preStop: { httpGet: { host: "example.org", path: "/", port: 80 } } }), admitted: false },
  { control: "hostProbesAndHostLifecycle", version: "1.37", name: "postStart tcpSocket host", mutate: (p) => (c(p).lifecycle = { postStart: { tcpSocket: { host: "x", port: 1 } } }), admitted: false },
  // appArmorProfile (baseline, 1.0)
  { control: "appArmorProfile", version: "1.0", name: "RuntimeDefault and an empty annotation", mutate: (p) => ((sc(p).appArmorProfile = { type: "RuntimeDefault" }), (p.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/server": "" })), admitted: true },
  { control: "appArmorProfile", version: "1.37", name: "Localhost profile", mutate: (p) => (podSc(p).appArmorProfile = { type: "Localhost", localhostProfile: "atlas" }), admitted: true },
  { control: "appArmorProfile", version: "1.0", name: "Unconfined on a container", mutate: (p) => (sc(p).appArmorProfile = { type: "Unconfined" }), admitted: false },
  { control: "appArmorProfile", version: "1.0", name: "Unconfined on the pod", mutate: (p) => (podSc(p).appArmorProfile = { type: "Unconfined" }), admitted: false },
  { control: "appArmorProfile", version: "1.0", name: "an annotation naming no profile kind", mutate: (p) => (p.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/server": "custom" }), admitted: false },
  { control: "appArmorProfile", version: "1.37", name: "a profile without type", mutate: (p) => (podSc(p).appArmorProfile = {}), admitted: false },
  { control: "appArmorProfile", version: "1.37", name: "unconfined annotation", mutate: (p) => (p.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/server": "unconfined" }), admitted: false },
  // seLinuxOptions (baseline, 1.0; container_engine_t from 1.31)
  { control: "seLinuxOptions", version: "1.0", name: "container_t with a level", mutate: (p) => (sc(p).seLinuxOptions = { type: "container_t", level: "s0:c1,c2" }), admitted: true },
  { control: "seLinuxOptions", version: "1.0", name: "unconfined_t on the pod", mutate: (p) => (podSc(p).seLinuxOptions = { type: "unconfined_t" }), admitted: false },
  { control: "seLinuxOptions", version: "1.0", name: "container_init_t with a user", mutate: (p) => (sc(p).seLinuxOptions = { type: "container_init_t", user: "system_u" }), admitted: false },
  { control: "seLinuxOptions", version: "1.30", name: "container_engine_t before 1.31", mutate: (p) => (sc(p).seLinuxOptions = { type: "container_engine_t" }), admitted: false },
  { control: "seLinuxOptions", version: "1.31", name: "container_engine_t from 1.31", mutate: (p) => (sc(p).seLinuxOptions = { type: "container_engine_t" }), admitted: true },
  { control: "seLinuxOptions", version: "1.31", name: "spc_t", mutate: (p) => (podSc(p).seLinuxOptions = { type: "spc_t" }), admitted: false },
  { control: "seLinuxOptions", version: "1.31", name: "container_engine_t with a role", mutate: (p) => (sc(p).seLinuxOptions = { type: "container_engine_t", role: "system_r" }), admitted: false },
  { control: "seLinuxOptions", version: "1.37", name: "user set", mutate: (p) => (sc(p).seLinuxOptions = { user: "system_u" }), admitted: false },
  { control: "seLinuxOptions", version: "1.37", name: "role set", mutate: (p) => (podSc(p).seLinuxOptions = { role: "system_r" }), admitted: false },
  // procMount (baseline 1.0; restricted override 1.35, not relaxed by user namespaces)
  { control: "procMount", version: "1.0", name: "Default", mutate: (p) => (sc(p).procMount = "Default"), admitted: true },
  { control: "procMount", version: "1.0", name: "Unmasked", mutate: (p) => (sc(p).procMount = "Unmasked"), admitted: false },
  { control: "procMount", version: "1.0", name: "Unmasked on an init container", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", securityContext: { ...sc(p), procMount: "Unmasked" } }]), admitted: false },
  { control: "procMount", version: "1.34", name: "Unmasked in a user namespace before 1.35", mutate: (p) => ((sc(p).procMount = "Unmasked"), (p.spec.hostUsers = false)), admitted: false },
  { control: "procMount", level: "baseline", version: "1.35", name: "Unmasked in a user namespace at baseline from 1.35", mutate: (p) => ((sc(p).procMount = "Unmasked"), (p.spec.hostUsers = false)), admitted: true },
  { control: "procMount", level: "baseline", version: "1.35", name: "Unmasked without a user namespace at baseline", mutate: (p) => (sc(p).procMount = "Unmasked"), admitted: false },
  { control: "procMount", level: "baseline", version: "1.35", name: "Unmasked with hostUsers true at baseline", mutate: (p) => ((sc(p).procMount = "Unmasked"), (p.spec.hostUsers = true)), admitted: false },
  { control: "procMount_restricted", version: "1.35", name: "Default in a user namespace", mutate: (p) => ((sc(p).procMount = "Default"), (p.spec.hostUsers = false)), admitted: true },
  { control: "procMount_restricted", version: "1.35", name: "Unmasked in a user namespace", mutate: (p) => ((sc(p).procMount = "Unmasked"), (p.spec.hostUsers = false)), admitted: false },
  { control: "procMount_restricted", version: "1.35", name: "Unmasked with hostUsers true", mutate: (p) => ((sc(p).procMount = "Unmasked"), (p.spec.hostUsers = true)), admitted: false },
  { control: "procMount_restricted", version: "1.37", name: "Unmasked", mutate: (p) => (sc(p).procMount = "Unmasked"), admitted: false },
  // sysctls (baseline; the safe set grows at 1.27, 1.29, 1.32, 1.37)
  { control: "sysctls", version: "1.0", name: "kernel.shm_rmid_forced", mutate: (p) => (podSc(p).sysctls = [{ name: "kernel.shm_rmid_forced", value: "0" }]), admitted: true },
  { control: "sysctls", version: "1.0", name: "kernel.msgmax", mutate: (p) => (podSc(p).sysctls = [{ name: "kernel.msgmax", value: "1" }]), admitted: false },
  { control: "sysctls", version: "1.0", name: "a safe sysctl beside net.ipv4.ip_forward", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }, { name: "net.ipv4.ip_forward", value: "1" }]), admitted: false },
  { control: "sysctls", version: "1.26", name: "ip_local_reserved_ports before 1.27", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.ip_local_reserved_ports", value: "1" }]), admitted: false },
  { control: "sysctls", version: "1.27", name: "ip_local_reserved_ports from 1.27", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.ip_local_reserved_ports", value: "1" }]), admitted: true },
  { control: "sysctls", version: "1.27", name: "tcp_fin_timeout before 1.29", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_fin_timeout", value: "30" }]), admitted: false },
  { control: "sysctls", version: "1.27", name: "kernel.sem", mutate: (p) => (podSc(p).sysctls = [{ name: "kernel.sem", value: "250 32000 32 128" }]), admitted: false },
  { control: "sysctls", version: "1.28", name: "tcp_keepalive_time before 1.29", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }]), admitted: false },
  { control: "sysctls", version: "1.29", name: "tcp_keepalive_time from 1.29", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }]), admitted: true },
  { control: "sysctls", version: "1.29", name: "tcp_wmem before 1.32", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_wmem", value: "4096 16384 4194304" }]), admitted: false },
  { control: "sysctls", version: "1.29", name: "net.ipv4.tcp_max_syn_backlog", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_max_syn_backlog", value: "4096" }]), admitted: false },
  { control: "sysctls", version: "1.31", name: "tcp_rmem before 1.32", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }]), admitted: false },
  { control: "sysctls", version: "1.32", name: "tcp_rmem from 1.32", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }]), admitted: true },
  { control: "sysctls", version: "1.32", name: "tcp_slow_start_after_idle before 1.37", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_slow_start_after_idle", value: "0" }]), admitted: false },
  { control: "sysctls", version: "1.32", name: "net.core.rmem_max", mutate: (p) => (podSc(p).sysctls = [{ name: "net.core.rmem_max", value: "1048576" }]), admitted: false },
  { control: "sysctls", version: "1.36", name: "tcp_notsent_lowat before 1.37", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }]), admitted: false },
  { control: "sysctls", version: "1.37", name: "tcp_slow_start_after_idle from 1.37", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_slow_start_after_idle", value: "0" }]), admitted: true },
  { control: "sysctls", version: "1.37", name: "tcp_notsent_lowat from 1.37", mutate: (p) => (podSc(p).sysctls = [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }]), admitted: true },
  { control: "sysctls", version: "1.37", name: "net.core.somaxconn", mutate: (p) => (podSc(p).sysctls = [{ name: "net.core.somaxconn", value: "1024" }]), admitted: false },
  { control: "sysctls", version: "1.37", name: "vm.overcommit_memory", mutate: (p) => (podSc(p).sysctls = [{ name: "vm.overcommit_memory", value: "1" }]), admitted: false },
  // hostPathVolumes (baseline, 1.0; at the restricted level restrictedVolumes replaces it)
  { control: "hostPathVolumes", level: "baseline", version: "1.0", name: "nfs at baseline", mutate: (p) => p.spec.volumes.push({ name: "n", nfs: { server: "s", path: "/" } }), admitted: true },
  { control: "hostPathVolumes", level: "baseline", version: "1.0", name: "hostPath at baseline", mutate: (p) => p.spec.volumes.push({ name: "h", hostPath: { path: "/" } }), admitted: false },
  { control: "hostPathVolumes", level: "baseline", version: "1.0", name: "hostPath of a directory beside an emptyDir at baseline", mutate: (p) => p.spec.volumes.push({ name: "e", emptyDir: {} }, { name: "d", hostPath: { path: "/var/log", type: "Directory" } }), admitted: false },
  { control: "hostPathVolumes", level: "baseline", version: "1.37", name: "hostPath of a socket at baseline", mutate: (p) => p.spec.volumes.push({ name: "s", hostPath: { path: "/run/containerd/containerd.sock", type: "Socket" } }), admitted: false },
  // restrictedVolumes (restricted, 1.0; overrides hostPathVolumes)
  { control: "restrictedVolumes", version: "1.0", name: "image, csi, ephemeral and sourceless volumes", mutate: (p) => p.spec.volumes.push({ name: "img", image: { reference: "x" } }, { name: "c", csi: { driver: "d" } }, { name: "e", ephemeral: {} }, { name: "bare" }), admitted: true },
  { control: "restrictedVolumes", version: "1.0", name: "hostPath", mutate: (p) => p.spec.volumes.push({ name: "h", hostPath: { path: "/" } }), admitted: false },
  { control: "restrictedVolumes", version: "1.0", name: "cephfs", mutate: (p) => p.spec.volumes.push({ name: "f", cephfs: { monitors: ["m"] } }), admitted: false },
  { control: "restrictedVolumes", version: "1.37", name: "nfs", mutate: (p) => p.spec.volumes.push({ name: "n", nfs: { server: "s", path: "/" } }), admitted: false },
  { control: "restrictedVolumes", version: "1.37", name: "gitRepo", mutate: (p) => p.spec.volumes.push({ name: "g", gitRepo: { repository: "r" } }), admitted: false },
  // allowPrivilegeEscalation (restricted, 1.8; Windows exempt from 1.25)
  { control: "allowPrivilegeEscalation", version: "1.7", name: "unset before 1.8", mutate: (p) => delete sc(p).allowPrivilegeEscalation, admitted: true },
  { control: "allowPrivilegeEscalation", version: "1.8", name: "unset", mutate: (p) => delete sc(p).allowPrivilegeEscalation, admitted: false },
  { control: "allowPrivilegeEscalation", version: "1.8", name: "true", mutate: (p) => (sc(p).allowPrivilegeEscalation = true), admitted: false },
  { control: "allowPrivilegeEscalation", version: "1.8", name: "false on every container, an init container too", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", securityContext: { ...sc(p), allowPrivilegeEscalation: false } }]), admitted: true },
  { control: "allowPrivilegeEscalation", version: "1.24", name: "unset on a Windows pod before 1.25", mutate: (p) => ((p.spec.os = { name: "windows" }), delete sc(p).allowPrivilegeEscalation), admitted: false },
  { control: "allowPrivilegeEscalation", version: "1.25", name: "unset on a Windows pod from 1.25", mutate: (p) => ((p.spec.os = { name: "windows" }), delete sc(p).allowPrivilegeEscalation), admitted: true },
  { control: "allowPrivilegeEscalation", version: "1.25", name: "unset on a Linux pod", mutate: (p) => ((p.spec.os = { name: "linux" }), delete sc(p).allowPrivilegeEscalation), admitted: false },
  { control: "allowPrivilegeEscalation", version: "1.25", name: "true on a pod without os", mutate: (p) => (sc(p).allowPrivilegeEscalation = true), admitted: false },
  // runAsNonRoot (restricted, 1.0; relaxed under hostUsers: false from 1.35)
  { control: "runAsNonRoot", version: "1.0", name: "set on the container only", mutate: (p) => ((sc(p).runAsNonRoot = true), delete podSc(p).runAsNonRoot), admitted: true },
  { control: "runAsNonRoot", version: "1.0", name: "unset everywhere", mutate: (p) => (delete podSc(p).runAsNonRoot, delete sc(p).runAsNonRoot), admitted: false },
  { control: "runAsNonRoot", version: "1.0", name: "false on the container", mutate: (p) => (sc(p).runAsNonRoot = false), admitted: false },
  { control: "runAsNonRoot", version: "1.34", name: "false in a user namespace before 1.35", mutate: (p) => ((podSc(p).runAsNonRoot = false), (p.spec.hostUsers = false)), admitted: false },
  { control: "runAsNonRoot", version: "1.35", name: "false in a user namespace from 1.35", mutate: (p) => ((podSc(p).runAsNonRoot = false), delete sc(p).runAsNonRoot, (p.spec.hostUsers = false)), admitted: true },
  { control: "runAsNonRoot", version: "1.35", name: "false with hostUsers true", mutate: (p) => ((podSc(p).runAsNonRoot = false), (p.spec.hostUsers = true)), admitted: false },
  { control: "runAsNonRoot", version: "1.35", name: "unset everywhere without a user namespace", mutate: (p) => (delete podSc(p).runAsNonRoot, delete sc(p).runAsNonRoot), admitted: false },
  // runAsUser (restricted, 1.23; relaxed under hostUsers: false from 1.35)
  { control: "runAsUser", version: "1.22", name: "uid 0 before 1.23", mutate: (p) => (sc(p).runAsUser = 0), admitted: true },
  { control: "runAsUser", version: "1.23", name: "uid 1000", mutate: (p) => (sc(p).runAsUser = 1000), admitted: true },
  { control: "runAsUser", version: "1.23", name: "uid 0 on the container", mutate: (p) => (sc(p).runAsUser = 0), admitted: false },
  { control: "runAsUser", version: "1.23", name: "uid 0 on the pod", mutate: (p) => (podSc(p).runAsUser = 0), admitted: false },
  { control: "runAsUser", version: "1.35", name: "uid 0 in a user namespace", mutate: (p) => ((podSc(p).runAsUser = 0), (p.spec.hostUsers = false)), admitted: true },
  { control: "runAsUser", version: "1.35", name: "uid 0 on the container with hostUsers true", mutate: (p) => ((sc(p).runAsUser = 0), (p.spec.hostUsers = true)), admitted: false },
  { control: "runAsUser", version: "1.35", name: "uid 0 on the pod without a user namespace", mutate: (p) => (podSc(p).runAsUser = 0), admitted: false },
  // seccompProfile (baseline annotations 1.0; restricted fields 1.19; Windows exempt from 1.25)
  { control: "seccompProfile_baseline", version: "1.0", name: "localhost/ annotation", mutate: (p) => (p.metadata.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "localhost/profile.json" }), admitted: true },
  { control: "seccompProfile_baseline", version: "1.0", name: "empty annotation", mutate: (p) => (p.metadata.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "" }), admitted: false },
  { control: "seccompProfile_baseline", version: "1.0", name: "unconfined pod annotation", mutate: (p) => (p.metadata.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" }), admitted: false },
  { control: "seccompProfile_baseline", level: "baseline", version: "1.19", name: "Unconfined field at baseline", mutate: (p) => (sc(p).seccompProfile = { type: "Unconfined" }), admitted: false },
  { control: "seccompProfile_baseline", level: "baseline", version: "1.19", name: "Unconfined on the pod at baseline", mutate: (p) => ((podSc(p).seccompProfile = { type: "Unconfined" }), delete sc(p).seccompProfile), admitted: false },
  { control: "seccompProfile_baseline", level: "baseline", version: "1.19", name: "unset at baseline", mutate: (p) => (delete podSc(p).seccompProfile, delete sc(p).seccompProfile), admitted: true },
  { control: "seccompProfile_baseline", version: "1.18", name: "runtime/default annotation", mutate: (p) => (p.metadata.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" }), admitted: true },
  { control: "seccompProfile_baseline", version: "1.18", name: "unconfined annotation", mutate: (p) => (p.metadata.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" }), admitted: false },
  { control: "seccompProfile_baseline", version: "1.18", name: "unconfined container annotation", mutate: (p) => (p.metadata.annotations = { [`container.seccomp.security.alpha.kubernetes.io/${c(p).name}`]: "unconfined" }), admitted: false },
  { control: "seccompProfile_restricted", version: "1.19", name: "Localhost on the container only", mutate: (p) => (delete podSc(p).seccompProfile, (sc(p).seccompProfile = { type: "Localhost", localhostProfile: "p.json" })), admitted: true },
  { control: "seccompProfile_restricted", version: "1.19", name: "unset everywhere", mutate: (p) => (delete podSc(p).seccompProfile, delete sc(p).seccompProfile), admitted: false },
  { control: "seccompProfile_restricted", version: "1.19", name: "Unconfined on the container", mutate: (p) => (sc(p).seccompProfile = { type: "Unconfined" }), admitted: false },
  { control: "seccompProfile_restricted", version: "1.37", name: "Unconfined on the pod", mutate: (p) => ((podSc(p).seccompProfile = { type: "Unconfined" }), delete sc(p).seccompProfile), admitted: false },
  { control: "seccompProfile_restricted", version: "1.25", name: "unset on a Windows pod", mutate: (p) => ((p.spec.os = { name: "windows" }), delete podSc(p).seccompProfile, delete sc(p).seccompProfile), admitted: true },
  { control: "seccompProfile_restricted", version: "1.25", name: "unset on a Linux pod", mutate: (p) => ((p.spec.os = { name: "linux" }), delete podSc(p).seccompProfile, delete sc(p).seccompProfile), admitted: false },
  { control: "seccompProfile_restricted", version: "1.25", name: "Unconfined on the container of a pod without os", mutate: (p) => (sc(p).seccompProfile = { type: "Unconfined" }), admitted: false },
  // capabilities (baseline 1.0; restricted from 1.22; Windows exempt from 1.25)
  { control: "capabilities_baseline", version: "1.0", name: "NET_BIND_SERVICE added", mutate: (p) => (sc(p).capabilities = { add: ["NET_BIND_SERVICE"] }), admitted: true },
  { control: "capabilities_baseline", version: "1.0", name: "SYS_ADMIN added", mutate: (p) => (sc(p).capabilities = { add: ["SYS_ADMIN"] }), admitted: false },
  { control: "capabilities_baseline", version: "1.0", name: "NET_RAW added to an init container", mutate: (p) => (p.spec.initContainers = [{ ...structuredClone(c(p)), name: "init", securityContext: { ...sc(p), capabilities: { add: ["NET_RAW"] } } }]), admitted: false },
  { control: "capabilities_baseline", level: "baseline", version: "1.37", name: "NET_RAW added at baseline", mutate: (p) => (sc(p).capabilities = { add: ["NET_RAW"] }), admitted: false },
  { control: "capabilities_baseline", version: "1.21", name: "CHOWN added, nothing dropped, before 1.22", mutate: (p) => (sc(p).capabilities = { add: ["CHOWN"] }), admitted: true },
  { control: "capabilities_baseline", version: "1.21", name: "NET_ADMIN added before 1.22", mutate: (p) => (sc(p).capabilities = { add: ["NET_ADMIN"] }), admitted: false },
  { control: "capabilities_restricted", version: "1.22", name: "drop ALL, add NET_BIND_SERVICE", mutate: (p) => (sc(p).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), admitted: true },
  { control: "capabilities_restricted", version: "1.22", name: "nothing dropped", mutate: (p) => delete sc(p).capabilities, admitted: false },
  { control: "capabilities_restricted", version: "1.22", name: "CHOWN added", mutate: (p) => (sc(p).capabilities = { drop: ["ALL"], add: ["CHOWN"] }), admitted: false },
  { control: "capabilities_restricted", version: "1.37", name: "drop NET_RAW only", mutate: (p) => (sc(p).capabilities = { drop: ["NET_RAW"] }), admitted: false },
  { control: "capabilities_restricted", version: "1.25", name: "nothing dropped on a Windows pod", mutate: (p) => ((p.spec.os = { name: "windows" }), delete sc(p).capabilities), admitted: true },
  { control: "capabilities_restricted", version: "1.25", name: "nothing dropped on a Linux pod", mutate: (p) => ((p.spec.os = { name: "linux" }), delete sc(p).capabilities), admitted: false },
  { control: "capabilities_restricted", version: "1.25", name: "SYS_ADMIN added beside drop ALL", mutate: (p) => (sc(p).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }), admitted: false },
];
