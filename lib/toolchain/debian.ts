/**
 * Debian packages the project runs (bubblewrap for the pod runner, containerd and friends for real
 * nodes, prometheus for rules tests): installed by the project itself, never by hand, so a fresh
 * machine gets them from Debian's archive on first use.
 */
import { spawnSync } from "child_process";

/** The packages each part of the project needs, by purpose. Versions are Debian 12's. */
export const debianPackages = {
  /** The pod-faithful runner: namespaces, mounts and an unprivileged user, the RuntimeDefault seccomp filter compiled by libseccomp (lib/server/). */
  podRunner: ["bubblewrap", "util-linux", "iproute2", "curl", "python3-seccomp"],
  /**
   * Real nodes of the local cluster (lib/cluster/realNode.ts) and the images they run
   * (lib/image/): the container runtime and CNI plugins, the netfilter tools kube-proxy and the
   * policy enforcer drive, socat for the API server's socket bridge into a node's network
   * namespace, and the registry-free image tools (Debian packages unpacked by mmdebstrap, OCI
   * layouts by umoci, archives by skopeo, the pause binary by gcc).
   */
  realNode: [
    "containerd",
    "runc",
    "containernetworking-plugins",
    "iptables",
    "ipset",
    "conntrack",
    "iproute2",
    "util-linux",
    "socat",
    "curl",
    "mmdebstrap",
    "umoci",
    "skopeo",
    "gcc",
    "libc6-dev",
  ],
  /** Benchmarks: GNU time reports a measured process's peak RSS (bench/policy-check.ts). */
  benchmarks: ["time"],
} as const satisfies Record<string, readonly string[]>;

/** Packages of `names` not installed (dpkg-query says so). */
export function missingDebianPackages(names: readonly string[]): string[] {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n", ...names], { encoding: "utf8" });
  const installed = new Set(
    (r.stdout ?? "")
      .split("\n")
      .map((l) => l.trim().split(" "))
      .filter(([, status]) => status === "installed")
      .map(([name]) => name),
  );
  return names.filter((n) => !installed.has(n));
}

let updated = false;

/**
 * Installs whatever of `names` is missing with apt-get (as root; the lists are refreshed once per
 * process). Throws naming the packages and the command when it cannot.
 */
export function ensureDebianPackages(names: readonly string[], log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) throw new Error(`Debian packages missing: ${missing.join(", ")}; install them as root: ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  log(`installing Debian packages: ${missing.join(", ")}`);
  if (!updated) {
    const u = spawnSync("apt-get", ["update", "-q"], { encoding: "utf8", env });
    if (u.status !== 0) throw new Error(`apt-get update failed (exit ${u.status}): ${(u.stderr ?? "").trim().split("\n").slice(-3).join("\n")}`);
    updated = true;
  }
  const r = spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`${command} failed (exit ${r.status}): ${(r.stderr ?? "").trim().split("\n").slice(-5).join("\n")}`);
  const still = missingDebianPackages(missing);
  if (still.length) throw new Error(`${command} finished but ${still.join(", ")} are still not installed`);
}
