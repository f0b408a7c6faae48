/**
 * A container's effective security context (the container's fields over the pod's, over the
 * image's user) and the check that the runner can honour it. The runner's process always has
 * no_new_privs, an empty capability bounding set and a private user, pid and mount namespace, so
 * it accepts exactly the contexts whose meaning that is, and refuses the others by name.
 */
import * as fs from "fs";
import { ImageConfig } from "./image";
import { PodSpecError } from "./errors";

export type SeccompMode = "Unconfined" | "RuntimeDefault";

export interface ContainerSecurity {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups, as containerd sets them: the primary group, the image's memberships, fsGroup, supplementalGroups. */
  readonly groups: readonly number[];
  readonly readOnlyRoot: boolean;
  readonly seccomp: SeccompMode;
}

/** What the host offers that some fields depend on. */
export interface HostSecurity {
  readonly appArmor: boolean;
  readonly selinux: boolean;
}

export function hostSecurity(): HostSecurity {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, "utf8").trim();
    } catch {
      return "";
    }
  };
  return { appArmor: read("/sys/module/apparmor/parameters/enabled") === "Y", selinux: fs.existsSync("/sys/fs/selinux/enforce") };
}

/** Pod-level fields the runner cannot honour, or undefined. */
export function podLevelRefusal(spec: any): string | undefined {
  if (spec.hostNetwork) return "hostNetwork: true (the runner gives every pod its own network namespace)";
  if (spec.hostPID) return "hostPID: true (each container gets its own pid namespace)";
  if (spec.hostIPC) return "hostIPC: true (the pod gets its own IPC namespace)";
  if (spec.hostUsers === false) return "hostUsers: false (pod user namespaces are not emulated: ids would differ from the node's)";
  if (spec.shareProcessNamespace) return "shareProcessNamespace: true (each container gets its own pid namespace)";
  if (spec.securityContext?.sysctls?.length) return `securityContext.sysctls (${spec.securityContext.sysctls.map((s: any) => s.name).join(", ")}) are not applied by the runner`;
  if (spec.runtimeClassName) return `runtimeClassName ${spec.runtimeClassName} (the runner is one runtime)`;
  if (spec.os?.name && spec.os.name !== "linux") return `os.name ${spec.os.name}`;
  return undefined;
}

/**
 * The effective context of `container` in a pod with `podSpec`, or a PodSpecError naming the
 * field the runner cannot honour.
 */
export function containerSecurity(podSpec: any, container: any, image: ImageConfig, host: HostSecurity, where: string): ContainerSecurity {
  const pod = podSpec.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const refuse = (what: string) => {
    throw new PodSpecError(where, `securityContext: ${what}`);
  };

  if (sc.privileged) refuse("privileged: true cannot be honoured (the runner has no privileged containers)");
  if (sc.allowPrivilegeEscalation !== false) {
    refuse(
      `allowPrivilegeEscalation is ${sc.allowPrivilegeEscalation === undefined ? "unset (true)" : "true"}; the runner always sets no_new_privs, so it runs only containers with allowPrivilegeEscalation: false`,
    );
  }
  const drop: string[] = sc.capabilities?.drop ?? [];
  const add: string[] = sc.capabilities?.add ?? [];
  if (!drop.includes("ALL")) refuse(`capabilities.drop is ${JSON.stringify(drop)}; the runner clears every capability, so it runs only containers that drop ALL`);
  if (add.length) refuse(`capabilities.add ${JSON.stringify(add)} cannot be honoured (the bounding set is always empty)`);
  if (sc.procMount && sc.procMount !== "Default") refuse(`procMount ${sc.procMount} cannot be honoured`);

  const seccompProfile = sc.seccompProfile ?? pod.seccompProfile;
  let seccomp: SeccompMode = "Unconfined";
  if (seccompProfile?.type === "RuntimeDefault") seccomp = "RuntimeDefault";
  else if (seccompProfile?.type === "Localhost") refuse(`seccompProfile Localhost (${seccompProfile.localhostProfile}) cannot be honoured: no node profile directory`);
  else if (seccompProfile && seccompProfile.type !== "Unconfined") refuse(`seccompProfile type ${JSON.stringify(seccompProfile.type)} is not RuntimeDefault, Localhost or Unconfined`);

  const appArmor = sc.appArmorProfile ?? pod.appArmorProfile;
  if (appArmor?.type === "Localhost") refuse(`appArmorProfile Localhost (${appArmor.localhostProfile}) cannot be honoured`);
  // RuntimeDefault on a host without AppArmor is what containerd does there too: nothing.
  if (appArmor?.type === "RuntimeDefault" && host.appArmor) refuse("appArmorProfile RuntimeDefault cannot be honoured on a host with AppArmor enabled");
  if ((sc.seLinuxOptions ?? pod.seLinuxOptions) && host.selinux) refuse("seLinuxOptions cannot be honoured on a host with SELinux enabled");

  const uid: number = sc.runAsUser ?? pod.runAsUser ?? image.user;
  const explicitGid: number | undefined = sc.runAsGroup ?? pod.runAsGroup;
  const entry = image.passwd.find((u) => u.uid === uid);
  // Without runAsGroup the runtime takes the user's group from the image's /etc/passwd, else 0.
  const gid = explicitGid ?? entry?.gid ?? 0;
  const runAsNonRoot: boolean | undefined = sc.runAsNonRoot ?? pod.runAsNonRoot;
  if (runAsNonRoot && uid === 0) refuse("runAsNonRoot is true but the container would run as uid 0 (the kubelet refuses to start it)");

  const strict = pod.supplementalGroupsPolicy === "Strict";
  const imageGroups = strict || !entry ? [] : image.groups.filter((g) => g.members.includes(entry.name)).map((g) => g.gid);
  const groups = [...new Set<number>([gid, ...imageGroups, ...(pod.fsGroup !== undefined ? [pod.fsGroup] : []), ...(pod.supplementalGroups ?? [])])];
  for (const [field, v] of [["runAsUser", uid], ["runAsGroup", gid], ...groups.map((g) => ["group", g] as const)] as const) {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 2 ** 31 - 1) refuse(`${field} ${v} is not a valid id`);
  }
  return { uid, gid, groups, readOnlyRoot: sc.readOnlyRootFilesystem === true, seccomp };
}
