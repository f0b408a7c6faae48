/**
 * A distroless-equivalent base layer made from Debian packages: the C library, libgcc, CA
 * certificates, time zones and netbase, unpacked by mmdebstrap without running any maintainer
 * script, then cut down to exactly those packages' files (their dependencies, debconf and perl
 * among them, are dropped: nothing in the image runs them). No shell, no package manager. Users
 * as in distroless: root, nobody and nonroot (65532). Cached by its inputs; the package versions
 * it holds are recorded next to it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runAsGroup, runAsUser } from "../../contract/pod";
import { exec } from "./exec";
import { tarLayer } from "./layer";
import { imageCacheDir, scratchDir } from "./oci";

/** The Debian release the base comes from (the machines' own). */
export const debianSuite = "bookworm";

/** What the base holds, as in gcr.io/distroless/cc-debian12 (plus tzdata and netbase as in distroless/base). */
export const basePackages = ["libc6", "libgcc-s1", "ca-certificates", "tzdata", "netbase"] as const;

export interface DebianBase {
  /** Reproducible tar of the base rootfs. */
  tar: string;
  /** Package name -> Debian version it was made from. */
  packages: Record<string, string>;
}

/** The apt sources the machine uses (a site mirror on air-gapped hosts), handed to mmdebstrap as is. */
function aptSources(): string[] {
  const candidates = ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"];
  const found = candidates.filter((f) => fs.existsSync(f) && fs.readFileSync(f, "utf8").trim() !== "");
  if (!found.length) throw new Error(`no apt sources found (looked at ${candidates.join(", ")}); the base image is made from Debian packages`);
  return found.slice(0, 1);
}

const passwd = ["root:x:0:0:root:/root:/sbin/nologin", "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin", `nonroot:x:${runAsUser}:${runAsGroup}:nonroot:/home/nonroot:/sbin/nologin`, ""].join("\n");
const group = ["root:x:0:", "nobody:x:65534:", `nonroot:x:${runAsGroup}:`, ""].join("\n");

/** Files the base keeps of a package: everything but documentation (copyright notices stay). */
function kept(p: string): boolean {
  if (/^\.\/usr\/share\/(man|info|lintian|bug|locale|bash-completion|pixmaps)\//.test(p)) return false;
  if (p.startsWith("./usr/share/doc/")) return /^\.\/usr\/share\/doc\/[^/]+\/?$/.test(p) || /\/copyright$/.test(p);
  return true;
}

/** Builds the base (or returns it from the cache). */
export function debianBase(epoch: number, log: (line: string) => void = () => undefined): DebianBase {
  const sources = aptSources();
  const key = createHash("sha256")
    .update(JSON.stringify({ recipe: 1, suite: debianSuite, packages: basePackages, epoch, sources: sources.map((f) => fs.readFileSync(f, "utf8")) }))
    .digest("hex")
    .slice(0, 32);
  const dir = path.join(imageCacheDir(), "debian-base", key);
  if (fs.existsSync(path.join(dir, "packages.json"))) {
    return { tar: path.join(dir, "rootfs.tar"), packages: JSON.parse(fs.readFileSync(path.join(dir, "packages.json"), "utf8")) as Record<string, string> };
  }
  log(`building the base layer from Debian ${debianSuite} packages: ${basePackages.join(", ")}`);
  const root = scratchDir("base");
  try {
    const tree = path.join(root.dir, "rootfs");
    exec("mmdebstrap", ["--quiet", "--variant=extract", `--include=${basePackages.join(",")}`, "--skip=cleanup/apt/cache", debianSuite, tree, ...sources], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    });
    const debs = path.join(tree, "var", "cache", "apt", "archives");
    const keep = new Set<string>();
    const packages: Record<string, string> = {};
    for (const name of basePackages) {
      const deb = fs.readdirSync(debs).find((f) => f.startsWith(`${name}_`) && f.endsWith(".deb"));
      if (!deb) throw new Error(`mmdebstrap did not fetch ${name} (looked in ${debs})`);
      packages[name] = exec("dpkg-deb", ["--field", path.join(debs, deb), "Version"]).trim();
      for (const line of exec("dpkg-deb", ["--contents", path.join(debs, deb)]).split("\n")) {
        // "-rw-r--r-- root/root 1234 2023-01-01 00:00 ./usr/lib/x -> target"
        const m = /^\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(\.\/.*?)(?: -> .*| link to .*)?$/.exec(line);
        if (m && kept(m[1])) keep.add(m[1].replace(/\/$/, ""));
      }
    }
    prune(tree, ".", keep);
    fs.rmSync(path.join(tree, "dev"), { recursive: true, force: true });
    // What update-ca-certificates would write from the default configuration: every certificate shipped.
    const certs = path.join(tree, "usr", "share", "ca-certificates");
    const pems = walkFiles(certs).filter((f) => f.endsWith(".crt")).sort();
    fs.mkdirSync(path.join(tree, "etc", "ssl", "certs"), { recursive: true });
    fs.writeFileSync(path.join(tree, "etc", "ssl", "certs", "ca-certificates.crt"), pems.map((f) => fs.readFileSync(f, "utf8").trimEnd() + "\n").join(""));
    fs.writeFileSync(path.join(tree, "etc", "passwd"), passwd, { mode: 0o644 });
    fs.writeFileSync(path.join(tree, "etc", "group"), group, { mode: 0o644 });
    for (const [d, mode, uid] of [["tmp", 0o1777, 0], ["root", 0o700, 0], ["home", 0o755, 0], ["home/nonroot", 0o700, runAsUser]] as const) {
      fs.mkdirSync(path.join(tree, d), { recursive: true });
      fs.chmodSync(path.join(tree, d), mode);
      fs.chownSync(path.join(tree, d), uid, uid);
    }
    fs.chmodSync(tree, 0o755);
    const work = path.join(root.dir, "out");
    fs.mkdirSync(work);
    tarLayer(tree, path.join(work, "rootfs.tar"), epoch);
    fs.writeFileSync(path.join(work, "packages.json"), JSON.stringify(packages, null, 2) + "\n");
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.renameSync(work, dir);
    } catch (e) {
      if (!fs.existsSync(path.join(dir, "packages.json"))) throw e;
    }
    log(`base layer: ${Object.entries(packages).map(([n, v]) => `${n} ${v}`).join(", ")}`);
    return { tar: path.join(dir, "rootfs.tar"), packages };
  } finally {
    root.done();
  }
}

/** Removes from `root/rel` every entry not in `keep` (paths as `./a/b`); directories stay when something under them is kept. */
function prune(root: string, rel: string, keep: Set<string>): boolean {
  const abs = path.join(root, rel);
  let anyKept = false;
  for (const name of fs.readdirSync(abs)) {
    const childRel = `${rel}/${name}`;
    const childAbs = path.join(root, childRel);
    const st = fs.lstatSync(childAbs);
    if (st.isDirectory()) {
      const inside = prune(root, childRel, keep);
      if (inside || keep.has(childRel)) anyKept = true;
      else fs.rmSync(childAbs, { recursive: true, force: true });
    } else if (keep.has(childRel)) {
      anyKept = true;
    } else {
      fs.rmSync(childAbs, { force: true });
    }
  }
  return anyKept;
}

function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
