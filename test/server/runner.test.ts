/**
 * The pod runner itself (lib/server/pod), on one compliant baseline pod and named mutations of it
 * (fixtures.ts): it applies the pod's constraints to the real server and refuses what it cannot
 * honour, leaving nothing behind.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { PodSpecError, runPod, RunningPod } from "../../lib/server/pod";
import { paths } from "../../contract/pod";
import { env } from "../../contract/env";
import { baseline, cacheSizeLimit, mutations, podName, storeClaim, tmpSizeLimit } from "./fixtures";
import { quantityValue } from "../../contract/quantity";
import { K8sObject } from "../../contract/k8s";
import { leftovers, tracesOf } from "./podRuns";
import { requireServerTier, ServerTier } from "./support";

const target = { kind: "Pod", name: podName };

/** Mount points of a process's mount namespace with their options (per-mount and superblock). */
function mountsOf(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of fs.readFileSync(`/proc/${pid}/mountinfo`, "utf8").split("\n").filter(Boolean)) {
    const f = line.split(" ");
    const sep = f.indexOf("-");
    out.set(f[4], `${f[5]} ${f[sep + 1]} ${f[sep + 3] ?? ""}`);
  }
  return out;
}

describe("pod runner (baseline pod and mutations)", function () {
  let tier: ServerTier;
  const start = (objects: K8sObject[]) => runPod(objects, target, { binaries: tier.binaries, claims: { [storeClaim]: tier.store.storeRoot } });
  before(async function () {
    tier = await requireServerTier(this);
  });

  describe("the baseline pod", function () {
    let pod: RunningPod;
    before(async () => {
      pod = await start(baseline());
      await pod.waitReady(30_000);
    });
    after(async () => {
      await pod?.stop();
    });

    it("runs the server with the pod's uid and gid, no capabilities, no_new_privs and a seccomp filter", () => {
      const st = pod.processStatus("server");
      assert.deepEqual(
        [st.Uid.split(/\s+/)[0], st.Gid.split(/\s+/)[0], st.CapPrm, st.CapEff, st.CapBnd, st.NoNewPrivs, st.Seccomp],
        ["65532", "65532", "0000000000000000", "0000000000000000", "0000000000000000", "1", "2"],
      );
    });

    it("gives it a read-only root filesystem", () => {
      assert.match(mountsOf(pod.pid("server")).get("/")!, /^ro\b/);
    });

    it("backs /cache and /tmp with writable tmpfs mounts of exactly their sizeLimit", () => {
      const m = mountsOf(pod.pid("server"));
      const size = (p: string) => Number(/size=(\d+)k/.exec(m.get(p) ?? "")?.[1]) * 1024;
      assert.deepEqual(
        [m.get(paths.cache)?.startsWith("rw"), size(paths.cache), m.get(paths.tmp)?.startsWith("rw"), size(paths.tmp)],
        [true, quantityValue(cacheSizeLimit), true, quantityValue(tmpSizeLimit)],
      );
    });

    it("mounts the store claim read-only", () => {
      assert.match(mountsOf(pod.pid("server")).get(paths.store)!, /^ro\b/);
    });

    it("gives it exactly the environment the kubelet resolves (image env, HOSTNAME, ConfigMap, Secret), nothing of the host's", () => {
      // bubblewrap exports PWD after its chdir (a runtime would not); the server does not read it.
      const { PWD: _pwd, ...e } = pod.environ("server");
      assert.deepEqual(e, { ...pod.plan.main[0].env });
      assert.deepEqual([e[env.storeBearer], e[env.storeRoot]], ["synthetic-bearer-token", paths.store]);
    });

    it("gives it a network namespace of its own with loopback only", async () => {
      await assert.rejects(pod.connect("10.96.0.10", 53, 1000), /ENETUNREACH|EHOSTUNREACH|timeout/);
    });
  });

  it("refuses a container that may escalate privileges, before creating anything", async () => {
    await assert.rejects(start(mutations.privilegeEscalation(baseline())), PodSpecError);
  });

  it("refuses an emptyDir without sizeLimit, before creating anything", async () => {
    await assert.rejects(start(mutations.unboundedTmp(baseline())), /sizeLimit/);
  });

  it("injects service links when the pod asks for them, which the server refuses at start", async () => {
    const pod = await start(mutations.serviceLinks(baseline()));
    try {
      const exit = await pod.waitTerminated("server", 30_000);
      const log = pod.logs("server", { previous: true }).join("\n") + (exit.message ?? "");
      assert.deepEqual([exit.exitCode, /BIJUX_ATLAS_SERVICE_HOST/.test(log)], [1, true], log);
    } finally {
      await pod.stop();
    }
  });

  it("routes egress to an allowed CIDR and nowhere else", async () => {
    const pod = await start(mutations.egressTo("10.30.0.0/16")(baseline()));
    try {
      const root = fs.mkdtempSync("/tmp/atlas-egress-");
      await pod.startHttpEndpoint({ address: "10.30.0.7", port: 80, root });
      const ok = await pod.connect("10.30.0.7", 80, 2000);
      ok.destroy();
      await assert.rejects(pod.connect("10.31.0.7", 80, 1000), /ENETUNREACH|EHOSTUNREACH|timeout/);
      fs.rmSync(root, { recursive: true, force: true });
    } finally {
      await pod.stop();
    }
  });

  it("leaves no process, network namespace, mount, cgroup or directory after stop", async () => {
    const pod = await start(baseline());
    await pod.waitReady(30_000);
    const traces = tracesOf(pod);
    await pod.stop();
    assert.deepEqual(leftovers(traces), []);
  });
});
