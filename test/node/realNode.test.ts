import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { atlasName, atlasNameLabel } from "../../contract/labels";
import { runAsUser } from "../../contract/pod";
import { cleanupStale, killProcess, LocalCluster, running, start, stop } from "../../lib/cluster/controlPlane";
import { controlPlaneBinaries } from "../../lib/toolchain/kube";
import { containerPid, readState } from "../../lib/cluster/realNodes";
import { atlasImage } from "../../lib/image/images";
import { BuiltImage } from "../../lib/image/oci";
import { importIntoNodes } from "../../lib/cluster/realNodes";
import { requireRealNodes } from "../support/nodeTier";
import { createTestHost, dnsProbe, httpProbe, tcpProbe, TestHost } from "../support/testHost";
import { httpStoreTree, publishSyntheticDataset } from "../../lib/server/dataset";
import { ServerBinaries } from "../../lib/toolchain/crates";
import { realNodeRelease } from "../../lib/cluster/ephemeral";
import { poll } from "../../lib/poll";
import { atlasPod, atlasService, devRelease, egressPolicy, offlineReleaseWithWarmup, restrictedNamespace, yamlStream } from "./fixtures";
import { HostSnapshot, hostSnapshot, kubectlOk, pod, processesMentioning, runRoot } from "./support";

describe("local cluster with a real node (containerd, kubelet, kube-proxy, kube-router firewall, CoreDNS)", function () {
  this.timeout(10 * 60 * 1000);
  let root: string;
  let dataDir: string;
  let cluster: LocalCluster;
  let atlas: BuiltImage;
  let server: ServerBinaries;
  let before0: HostSnapshot;
  let host: TestHost | undefined;
  /** Addresses of the test host: one no policy allows, one the egress policy under test allows. */
  let denied: string;
  let allowed: string;
  const port = 8088;
  const ns = "atlas-node";
  const k = (args: string[], input?: string) => kubectlOk(cluster.kubeconfigPath, args, input);
  const netnsOf = (name: string, namespace = ns) => `/proc/${containerPid(dataDir, 0, pod(cluster.kubeconfigPath, namespace, name).containerID)}/ns/net`;

  before(async function () {
    ({ server } = await requireRealNodes(this));
    this.timeout(15 * 60 * 1000);
    root = await runRoot();
    dataDir = path.join(root, "a");
    atlas = atlasImage({ server: server.server, cli: server.cli });
    before0 = hostSnapshot();
    cluster = await start({ dataDir, nodes: 0, realNodes: 1, log: (l) => process.stderr.write(`    ${l}\n`) });
    importIntoNodes(dataDir, atlas);
    const net = cluster.network!;
    denied = `100.64.${net.slot}.200`;
    allowed = `100.64.${net.slot}.220`;
    host = createTestHost(net, 1, [denied, allowed], port);
    k(["apply", "-f", "-"], yamlStream([restrictedNamespace(ns), atlasPod(ns, "atlas", atlas.ref), atlasService(ns, "atlas", "atlas")]));
    await poll("atlas pod Ready", 120_000, () => (pod(cluster.kubeconfigPath, ns, "atlas").ready ? true : undefined));
  });

  after(async () => {
    host?.remove();
    if (dataDir) await stop(dataDir);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  describe("the node", () => {
    it("registers Ready with containerd as its runtime and the pinned kubelet", () => {
      const node = JSON.parse(k(["get", "node", "atlas-real-0", "-o", "json"])) as { status: { nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string }; conditions: { type: string; status: string }[] }; spec: { podCIDR: string } };
      assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\.6\./);
      assert.equal(node.status.nodeInfo.kubeletVersion, "v1.34.2");
      assert.equal(node.status.conditions.find((c) => c.type === "Ready")?.status, "True");
      assert.equal(node.spec.podCIDR, cluster.network!.nodes[0].podCidr);
    });

    it("never pulls: a pod whose image was not imported fails to pull at once", async () => {
      k(["apply", "-f", "-"], JSON.stringify({ ...atlasPod(ns, "unpulled", "atlas.local/not-imported:1.0"), metadata: { name: "unpulled", namespace: ns } }));
      const p = await poll("pull failure", 60_000, () => {
        const s = pod(cluster.kubeconfigPath, ns, "unpulled");
        return ["ErrImagePull", "ImagePullBackOff"].includes(s.waitingReason) ? s : undefined;
      });
      assert.match(p.message, /127\.0\.0\.1:1|connection refused|network is unreachable/);
      k(["delete", "pod", "-n", ns, "unpulled", "--wait=false"]);
    });
  });

  describe("the real atlas server in a restricted pod", () => {
    it("runs the image built here, by digest", () => {
      const spec = JSON.parse(k(["get", "pod", "-n", ns, "atlas", "-o", "json"])) as { status: { containerStatuses: { imageID: string }[] } };
      assert.equal(spec.status.containerStatuses[0].imageID.replace(/^docker\.io\//, ""), atlas.ref);
    });

    it("runs as the nonroot user", () => {
      const pid = containerPid(dataDir, 0, pod(cluster.kubeconfigPath, ns, "atlas").containerID);
      const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1];
      assert.equal(Number(uid), runAsUser);
    });

    it("answers /readyz on its pod address", () => {
      const p = pod(cluster.kubeconfigPath, ns, "atlas");
      assert.equal(httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, `http://${p.podIP}:8080/readyz`), "200 ready");
    });

    it("answers through its ClusterIP Service", () => {
      const ip = k(["get", "service", "-n", ns, "atlas", "-o", "jsonpath={.spec.clusterIP}"]).trim();
      assert.equal(httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, `http://${ip}/healthz`), "200 ok");
    });

    it("keeps its root filesystem read-only while /cache is writable", () => {
      const pid = containerPid(dataDir, 0, pod(cluster.kubeconfigPath, ns, "atlas").containerID);
      assert.throws(() => fs.writeFileSync(`/proc/${pid}/root/probe`, "x"), /EROFS/);
      fs.writeFileSync(`/proc/${pid}/root/cache/probe`, "x");
      fs.rmSync(`/proc/${pid}/root/cache/probe`);
    });

    it("is evicted by the kubelet when its /cache emptyDir overflows its size limit", async () => {
      k(["apply", "-f", "-"], JSON.stringify(atlasPod(ns, "filler", atlas.ref)));
      await poll("filler Ready", 120_000, () => (pod(cluster.kubeconfigPath, ns, "filler").ready ? true : undefined));
      const pid = containerPid(dataDir, 0, pod(cluster.kubeconfigPath, ns, "filler").containerID);
      fs.writeFileSync(`/proc/${pid}/root/cache/fill`, Buffer.alloc(24 * 1024 * 1024, 1));
      const p = await poll("eviction", 90_000, () => {
        const s = pod(cluster.kubeconfigPath, ns, "filler");
        return s.phase === "Failed" ? s : undefined;
      });
      assert.equal(p.reason, "Evicted");
      assert.match(p.message, /cache/);
    });
  });

  describe("NetworkPolicy egress, enforced by the node's firewall", () => {
    before(async function () {
      k(["apply", "-f", "-"], yamlStream([atlasPod(ns, "probe", atlas.ref), atlasPod(ns, "control", atlas.ref), egressPolicy(ns, "probe", `${allowed}/32`, port)]));
      for (const name of ["probe", "control"]) await poll(`${name} Ready`, 120_000, () => (pod(cluster.kubeconfigPath, ns, name).ready ? true : undefined));
      // The firewall programs a policy chain for the selected pod once it has seen pod and policy.
      await poll("policy programmed", 60_000, () => (tcpProbe(netnsOf("probe"), denied, port) !== "test-host" ? true : undefined));
    });

    it("leaves an unselected pod free to reach the test host (the control)", () => {
      assert.equal(tcpProbe(netnsOf("control"), denied, port), "test-host");
    });

    it("denies a selected pod egress to an address outside its policy", () => {
      assert.notEqual(tcpProbe(netnsOf("probe"), denied, port), "test-host");
    });

    it("allows a selected pod egress to the allowed CIDR", () => {
      assert.equal(tcpProbe(netnsOf("probe"), allowed, port), "test-host");
    });

    it("lets a selected pod resolve Service names through DNS in kube-system", () => {
      assert.equal(dnsProbe(netnsOf("probe"), cluster.network!.dnsServiceIp, `atlas.${ns}.svc.cluster.local`), k(["get", "service", "-n", ns, "atlas", "-o", "jsonpath={.spec.clusterIP}"]).trim());
    });

    it("denies a selected pod DNS to a server outside kube-system", () => {
      assert.match(dnsProbe(netnsOf("probe"), denied, "kubernetes.default.svc.cluster.local", 2000), /ETIMEOUT|ECONNREFUSED|EREFUSED/);
    });
  });


  describe("a second cluster on the same machine", () => {
    let bDir: string;
    let b: LocalCluster;

    before(async function () {
      bDir = path.join(root, "b");
      b = await start({ dataDir: bDir, nodes: 0, realNodes: 1, log: (l) => process.stderr.write(`    b: ${l}\n`) });
    });

    after(async () => {
      if (bDir) await stop(bDir);
    });

    it("takes its own slot: namespaces, addresses, pod range and cgroup of its own", () => {
      const [x, y] = [cluster.network!, b.network!];
      assert.notEqual(x.slot, y.slot);
      for (const key of ["fabricNetns", "hostVeth", "fabricCidr", "clusterCidr", "cgroupRoot"] as const) assert.notEqual(x[key], y[key], key);
      assert.notEqual(x.nodes[0].netns, y.nodes[0].netns);
    });

    it("runs its own real node Ready beside the first cluster's", () => {
      const ready = kubectlOk(b.kubeconfigPath, ["get", "node", "atlas-real-0", "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim();
      assert.equal(ready, "True");
      assert.equal(httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, `http://${pod(cluster.kubeconfigPath, ns, "atlas").podIP}:8080/readyz`), "200 ready");
    });

    it("is torn down by cleanup after its control plane crashed, and the first cluster keeps serving", async () => {
      const net = b.network!;
      for (const c of controlPlaneBinaries) killProcess(bDir, c);
      // SIGKILL is delivered asynchronously: the crash is complete once the API server is gone.
      await poll("the second API server gone", 10_000, () => (running(bDir)["kube-apiserver"] === undefined ? true : undefined));
      const freed = await cleanupStale();
      assert.ok(freed.includes(net.slot), `freed slots ${freed.join(",")} include ${net.slot}`);
      const after = hostSnapshot();
      assert.deepEqual(after.netns.filter((n) => n.startsWith(`atlas${net.slot}-`)), []);
      assert.deepEqual(after.links.filter((l) => l.startsWith(net.hostVeth)), []);
      assert.equal(fs.existsSync(`/sys/fs/cgroup/memory${net.cgroupRoot}`), false);
      assert.deepEqual(processesMentioning(bDir), []);
      assert.equal(httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, `http://${pod(cluster.kubeconfigPath, ns, "atlas").podIP}:8080/readyz`), "200 ready");
    });
  });

  describe("the chart's release, offline profile, on the real node", () => {
    const chartNs = "atlas-chart";
    let podName: string;
    let service: { name: string; ip: string; port: number };
    const chartPod = () => pod(cluster.kubeconfigPath, chartNs, podName);

    before(async function () {
      const objects = realNodeRelease(chartNs, atlas);
      k(["apply", "-f", "-"], yamlStream([restrictedNamespace(chartNs), ...objects]));
      const svc = objects.find((o) => o.kind === "Service")!;
      podName = await poll("a pod of the chart's Deployment Ready", 180_000, () => {
        const list = JSON.parse(k(["get", "pods", "-n", chartNs, "-l", `${atlasNameLabel}=${atlasName}`, "-o", "json"])) as { items: { metadata: { name: string } }[] };
        const ready = list.items.map((i) => i.metadata.name).find((n) => pod(cluster.kubeconfigPath, chartNs, n).ready);
        return ready;
      });
      service = { name: svc.metadata.name, ip: k(["get", "service", "-n", chartNs, svc.metadata.name, "-o", "jsonpath={.spec.clusterIP}"]).trim(), port: (svc.spec.ports as { port: number }[])[0].port };
    });

    it("reaches Ready running the real server from the image built here, by digest", () => {
      const p = JSON.parse(k(["get", "pod", "-n", chartNs, podName, "-o", "json"])) as { spec: { nodeName: string }; status: { containerStatuses: { imageID: string }[] } };
      assert.equal(p.spec.nodeName, "atlas-real-0");
      assert.equal(p.status.containerStatuses[0].imageID.replace(/^docker\.io\//, ""), atlas.ref);
    });

    it("keeps its root filesystem read-only", () => {
      const pid = containerPid(dataDir, 0, chartPod().containerID);
      assert.throws(() => fs.writeFileSync(`/proc/${pid}/root/probe`, "x"), /EROFS/);
    });

    it("answers /readyz through its Service once kube-proxy has its endpoint", async () => {
      const url = `http://${service.ip}:${service.port}/readyz`;
      // Ready pod -> EndpointSlice -> kube-proxy's rules takes a moment; until then the Service refuses.
      const r = await poll("the Service answering", 15_000, () => {
        const out = httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, url);
        return out === "ECONNREFUSED" ? undefined : out;
      });
      assert.equal(r, "200 ready");
    });

    it("is denied egress by its own NetworkPolicy to an address the offline profile does not allow", async () => {
      const nsPath = `/proc/${containerPid(dataDir, 0, chartPod().containerID)}/ns/net`;
      // The firewall programs the pod's chain once it has seen pod and policy.
      const outcome = await poll("the chart's policy programmed", 60_000, () => {
        const r = tcpProbe(nsPath, denied, port);
        return r !== "test-host" ? r : undefined;
      });
      assert.notEqual(outcome, "test-host");
    });

    it("resolves its own Service's name through cluster DNS, as its policy allows", () => {
      const nsPath = `/proc/${containerPid(dataDir, 0, chartPod().containerID)}/ns/net`;
      assert.equal(dnsProbe(nsPath, cluster.network!.dnsServiceIp, `${service.name}.${chartNs}.svc.cluster.local`), service.ip);
    });
  });

  describe("the chart's release, dev profile, its store served on the one allowed CIDR", () => {
    const devNs = "atlas-dev";
    const storePort = 9000;
    const datasetId = "112/homo_sapiens/GRCh38";
    let podName: string;
    let service: { ip: string; port: number };
    const devPod = () => pod(cluster.kubeconfigPath, devNs, podName);

    before(async function () {
      const published = await publishSyntheticDataset({ cli: server.cli, datasetId, dir: path.join(root, "ds") });
      const www = path.join(root, "www");
      httpStoreTree(published.storeRoot, [datasetId], www, "atlas-dev");
      host!.serveFiles(allowed, storePort, www);
      const objects = devRelease(devNs, atlas, { url: `http://${allowed}:${storePort}/atlas-dev/`, cidr: `${allowed}/32`, port: storePort });
      k(["apply", "-f", "-"], yamlStream([restrictedNamespace(devNs), ...objects]));
      podName = await poll("a pod of the dev release Ready", 180_000, () => {
        const list = JSON.parse(k(["get", "pods", "-n", devNs, "-l", `${atlasNameLabel}=${atlasName}`, "-o", "json"])) as { items: { metadata: { name: string } }[] };
        return list.items.map((i) => i.metadata.name).find((n) => pod(cluster.kubeconfigPath, devNs, n).ready);
      });
      const svc = objects.find((o) => o.kind === "Service")!;
      service = { ip: k(["get", "service", "-n", devNs, svc.metadata.name, "-o", "jsonpath={.spec.clusterIP}"]).trim(), port: (svc.spec.ports as { port: number }[])[0].port };
    });

    it("reaches Ready, having read the store's catalog through its own egress rule", () => {
      assert.equal(devPod().ready, true);
    });

    it("serves the published dataset through its Service", async () => {
      const url = `http://${service.ip}:${service.port}/v1/datasets`;
      // Ready pod -> EndpointSlice -> kube-proxy's rules takes a moment; until then the Service refuses.
      const r = await poll("the Service answering", 15_000, () => {
        const out = httpProbe(`/run/netns/${cluster.network!.nodes[0].netns}`, url);
        return out === "ECONNREFUSED" ? undefined : out;
      });
      assert.match(r, /^200 /);
      assert.match(r, /homo_sapiens/);
    });

    it("is denied egress to the test host's other address", () => {
      const nsPath = `/proc/${containerPid(dataDir, 0, devPod().containerID)}/ns/net`;
      assert.notEqual(tcpProbe(nsPath, denied, port), "test-host");
    });
  });

  describe("the chart's warm-up Job, offline profile, store on a local volume of the node", () => {
    const wjNs = "atlas-warmup";

    before(async function () {
      const datasetId = "112/homo_sapiens/GRCh38";
      const published = await publishSyntheticDataset({ cli: server.cli, datasetId, dir: path.join(root, "wj") });
      // The Job runs as the nonroot user and opens the store's SQLite files read-write.
      for (const d of [root, path.join(root, "wj")]) fs.chmodSync(d, 0o755);
      execFileSync("chown", ["-R", `${runAsUser}:${runAsUser}`, published.storeRoot]);
      const objects = offlineReleaseWithWarmup(wjNs, atlas, { path: published.storeRoot, node: "atlas-real-0", datasetId });
      k(["apply", "-f", "-"], yamlStream([restrictedNamespace(wjNs), ...objects]));
    });

    it("completes under the release's NetworkPolicy, smoke-testing the pinned dataset from the store claim", async () => {
      const job = await poll("the warm-up Job finished", 180_000, () => {
        const jobs = JSON.parse(k(["get", "jobs", "-n", wjNs, "-o", "json"])) as { items: { status: { succeeded?: number; failed?: number } }[] };
        const s = jobs.items[0]?.status;
        return s && (s.succeeded || (s.failed ?? 0) > 0) ? s : undefined;
      });
      assert.equal(job.succeeded, 1);
    });
  });

  describe("stop", () => {
    it("leaves no process, namespace, link, cgroup, mount or netfilter change behind", async () => {
      const net = cluster.network!;
      const state = readState(dataDir)!;
      assert.ok(state, "state file");
      host?.remove();
      host = undefined;
      await stop(dataDir);
      const after = hostSnapshot();
      assert.deepEqual(processesMentioning(dataDir), []);
      assert.deepEqual(after.netns.filter((n) => n.startsWith(`atlas${net.slot}-`)), []);
      assert.deepEqual(after.links.filter((l) => l.startsWith(net.hostVeth)), []);
      assert.equal(fs.existsSync(`/sys/fs/cgroup/memory${net.cgroupRoot}`), false);
      assert.deepEqual(after.mounts.filter((m) => m.startsWith(root)), []);
      assert.equal(after.iptables, before0.iptables);
      assert.equal(after.ipsets, before0.ipsets);
      assert.equal(after.nft, before0.nft);
      assert.equal(fs.existsSync(dataDir), false);
      dataDir = "";
    });
  });
});
