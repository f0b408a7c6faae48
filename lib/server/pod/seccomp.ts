/**
 * seccompProfile RuntimeDefault, as a containerd node applies it: containerd's default profile
 * for a container without capabilities (seccompRuntimeDefault.json, generated from containerd's
 * own code by tools/seccomp-profile), compiled to a BPF program by libseccomp (Debian's Python
 * binding, as runc compiles it through libseccomp) and handed to bubblewrap. Compiled once per
 * profile and libseccomp version, cached under ~/.cache/bijux-atlas/seccomp.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { userCacheDir } from "../../paths";
import { SandboxError } from "./errors";
import { SeccompMode } from "./security";

export const runtimeDefaultProfilePath = path.join(__dirname, "seccompRuntimeDefault.json");

/** Debian's interpreter, which python3-seccomp installs its module for. */
const python = "/usr/bin/python3";

// The OCI profile semantics runc applies: an entry's conditions on distinct arguments are ANDed
// in one rule; several conditions on the same argument become one rule each (ORed). Syscalls
// libseccomp does not know are skipped, as runc skips them.
const compiler = String.raw`
import json, sys, errno, seccomp
doc = json.load(open(sys.argv[1]))["profile"]
def action(name, ret):
    if name == "SCMP_ACT_ALLOW": return seccomp.ALLOW
    if name == "SCMP_ACT_ERRNO": return seccomp.ERRNO(ret if ret is not None else errno.EPERM)
    if name in ("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"): return seccomp.KILL
    if name == "SCMP_ACT_KILL_PROCESS": return seccomp.KILL_PROCESS
    if name == "SCMP_ACT_TRAP": return seccomp.TRAP
    if name == "SCMP_ACT_LOG": return seccomp.LOG
    raise SystemExit("unsupported seccomp action " + name)
ops = {"SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT, "SCMP_CMP_LE": seccomp.LE, "SCMP_CMP_EQ": seccomp.EQ,
       "SCMP_CMP_GE": seccomp.GE, "SCMP_CMP_GT": seccomp.GT, "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}
arches = {"SCMP_ARCH_X86_64": seccomp.Arch.X86_64, "SCMP_ARCH_X86": seccomp.Arch.X86, "SCMP_ARCH_X32": seccomp.Arch.X32}
f = seccomp.SyscallFilter(action(doc["defaultAction"], doc.get("defaultErrnoRet")))
for a in doc.get("architectures") or []:
    if a in arches and arches[a] != seccomp.Arch.NATIVE:
        try: f.add_arch(arches[a])
        except Exception: pass
skipped = 0
for entry in doc.get("syscalls") or []:
    act = action(entry["action"], entry.get("errnoRet"))
    args = entry.get("args") or []
    def arg(x):
        return seccomp.Arg(x["index"], ops[x["op"]], x["value"], x.get("valueTwo", 0)) if x["op"] == "SCMP_CMP_MASKED_EQ" else seccomp.Arg(x["index"], ops[x["op"]], x["value"])
    indexes = [x["index"] for x in args]
    rules = [[arg(x)] for x in args] if len(set(indexes)) < len(indexes) else [[arg(x) for x in args]]
    for name in entry["names"]:
        for conds in rules:
            try: f.add_rule(act, name, *conds)
            except (ValueError, RuntimeError, OSError): skipped += 1
with open(sys.argv[2], "wb") as out:
    f.export_bpf(out)
`;

let cached: Buffer | undefined;

/** libseccomp's version, part of the cache key (it decides syscall numbers and the generated code). */
function libseccompVersion(): string {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Version}", "libseccomp2"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

/** The compiled RuntimeDefault filter (compiled on first use, then from the cache). */
export function runtimeDefaultFilter(): Buffer {
  if (cached) return cached;
  const profile = fs.readFileSync(runtimeDefaultProfilePath);
  const key = createHash("sha256").update(profile).update(libseccompVersion()).update(compiler).digest("hex").slice(0, 16);
  const dir = path.join(userCacheDir(), "seccomp");
  const file = path.join(dir, `runtime-default-${key}.bpf`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const r = spawnSync(python, ["-c", compiler, runtimeDefaultProfilePath, tmp], { encoding: "utf8" });
    if (r.status !== 0) {
      fs.rmSync(tmp, { force: true });
      throw new SandboxError(`compiling the RuntimeDefault seccomp profile failed (needs Debian's python3-seccomp): ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join("\n")}`);
    }
    fs.renameSync(tmp, file);
  }
  cached = fs.readFileSync(file);
  return cached;
}

/** The BPF program for a container's seccomp mode, or undefined for Unconfined. */
export function seccompFilter(mode: SeccompMode): Buffer | undefined {
  return mode === "RuntimeDefault" ? runtimeDefaultFilter() : undefined;
}
