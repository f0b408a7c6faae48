/**
 * The container image the runner stands in for: the server's release image is distroless
 * (gcr.io/distroless/cc-debian12:nonroot) with the pinned binaries in /app. This builds the same
 * filesystem from the host's own files, read-only: the dynamic loader and the libraries the
 * binaries link (glibc, libgcc), glibc's name-service modules, the CA bundle, /etc/passwd and
 * /etc/group with the `nonroot` user 65532, /tmp and the user's home. Nothing else (no shell, no
 * coreutils), so a pod that needs more than the image has fails here as it would on a node.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { imageBinaries, imageBinDir } from "../../../contract/server";
import { runAsGroup, runAsUser } from "../../../contract/pod";
import { SandboxError } from "./errors";

/** The image's config (what `docker inspect` shows as Config). */
export interface ImageConfig {
  /** Numeric user, as distroless's `nonroot` tag sets it. */
  readonly user: number;
  readonly workingDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** /etc/passwd and /etc/group of the image, for user and group lookups. */
  readonly passwd: readonly { name: string; uid: number; gid: number; home: string }[];
  readonly groups: readonly { name: string; gid: number; members: readonly string[] }[];
}

/** The server image's config: distroless's nonroot user and environment, the server as entrypoint. */
export const serverImage: ImageConfig = {
  user: runAsUser,
  workingDir: "/",
  env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt" },
  entrypoint: [imageBinaries.server],
  cmd: [],
  passwd: [
    { name: "root", uid: 0, gid: 0, home: "/root" },
    { name: "nobody", uid: 65534, gid: 65534, home: "/nonexistent" },
    { name: "nonroot", uid: runAsUser, gid: runAsGroup, home: "/home/nonroot" },
  ],
  groups: [
    { name: "root", gid: 0, members: [] },
    { name: "tty", gid: 5, members: [] },
    { name: "staff", gid: 50, members: [] },
    { name: "nogroup", gid: 65534, members: [] },
    { name: "nonroot", gid: runAsGroup, members: [] },
  ],
};

/** Host files copied into every image root, besides the libraries the binaries link. */
const baseFiles = [
  "/etc/ssl/certs/ca-certificates.crt",
  // glibc loads these at run time (getaddrinfo, getpwuid), so ldd does not list them.
  "/lib/x86_64-linux-gnu/libnss_files.so.2",
  "/lib/x86_64-linux-gnu/libnss_dns.so.2",
  "/lib/x86_64-linux-gnu/libresolv.so.2",
];

/** Libraries a binary links, as absolute host paths (from the host's ldd). */
function linkedLibraries(binary: string): string[] {
  const r = spawnSync("ldd", [binary], { encoding: "utf8" });
  if (r.status !== 0) throw new SandboxError(`ldd ${binary} failed: ${(r.stderr || r.stdout).trim()}`);
  const libs: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

function copyHostFile(hostPath: string, root: string, as = hostPath): void {
  const real = fs.realpathSync(hostPath);
  const dest = path.join(root, as);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(real, dest);
  fs.chmodSync(dest, fs.statSync(real).mode & 0o755);
}

/**
 * Writes the image's filesystem (without /app's binaries, which are mounted in) under `root`.
 * `binaries` are the host paths of the binaries that will be in /app: their libraries come along.
 */
export function writeImageRoot(root: string, binaries: readonly string[], image: ImageConfig = serverImage): void {
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  for (const dir of ["etc", "lib/x86_64-linux-gnu", "lib64", "usr/bin", "usr/sbin", "bin", "sbin", "proc", "dev", "sys", "root", "var", imageBinDir.slice(1)]) {
    fs.mkdirSync(path.join(root, dir), { recursive: true, mode: 0o755 });
  }
  fs.chmodSync(path.join(root, "root"), 0o700);
  fs.mkdirSync(path.join(root, "tmp"), { mode: 0o1777 });
  fs.chmodSync(path.join(root, "tmp"), 0o1777);
  const libs = new Set(binaries.flatMap(linkedLibraries));
  for (const lib of libs) {
    if (path.basename(lib) === "ld-linux-x86-64.so.2") {
      copyHostFile(lib, root, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
      fs.symlinkSync("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", path.join(root, "lib64", "ld-linux-x86-64.so.2"));
    } else {
      copyHostFile(lib, root, path.join("/lib/x86_64-linux-gnu", path.basename(lib)));
    }
  }
  for (const f of baseFiles) {
    if (!fs.existsSync(f)) throw new SandboxError(`${f} is missing on this host; the image root needs it (Debian packages ca-certificates, libc6)`);
    copyHostFile(f, root);
  }
  const etc = (name: string, text: string) => fs.writeFileSync(path.join(root, "etc", name), text, { mode: 0o644 });
  etc("passwd", image.passwd.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.name}:${u.home}:/sbin/nologin\n`).join(""));
  etc("group", image.groups.map((g) => `${g.name}:x:${g.gid}:${g.members.join(",")}\n`).join(""));
  etc("nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n");
  for (const u of image.passwd.filter((u) => u.home.startsWith("/home/"))) {
    const home = path.join(root, u.home);
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.chownSync(home, u.uid, u.gid);
  }
}

/** The files /app holds: each pinned binary under its image path. */
export function appFiles(bins: { server: string; cli: string }): { imagePath: string; hostPath: string }[] {
  return [
    { imagePath: imageBinaries.server, hostPath: bins.server },
    { imagePath: imageBinaries.cli, hostPath: bins.cli },
  ];
}
