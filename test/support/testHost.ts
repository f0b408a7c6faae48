/**
 * A test host on a cluster's node network: a network namespace of the test's own, joined to the
 * cluster's fabric bridge by a veth, with addresses the test chooses and routes back to the pods
 * and Services. It runs a TCP echo service on every address (socat) and is deleted by `remove`.
 * Traffic to it never leaves the machine.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { ip } from "../../lib/cluster/hostNet";
import { ClusterNetwork } from "../../lib/cluster/realNetwork";

export interface TestHost {
  netns: string;
  addresses: string[];
  port: number;
  /** Serves the files under `dir` over HTTP on `address:port` (a static store, say) until `remove`. */
  serveFiles(address: string, port: number, dir: string): void;
  remove(): void;
}

/** A static file server (GET only; 404 outside `dir`) in a few lines of this Node.js. */
const staticServer = (address: string, port: number, dir: string) => `
  const http = require("http"), fs = require("fs"), path = require("path");
  const root = ${JSON.stringify(dir)};
  http.createServer((req, res) => {
    const p = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!p.startsWith(root) || !fs.existsSync(p) || !fs.statSync(p).isFile()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-length": fs.statSync(p).size });
    fs.createReadStream(p).pipe(res);
  }).listen(${port}, ${JSON.stringify(address)});
`;

/** Creates the test host `atlas<slot>-t<id>` with `addresses` (each /32 besides the first, which carries the fabric prefix). */
export function createTestHost(net: ClusterNetwork, id: number, addresses: string[], port: number): TestHost {
  const netns = `atlas${net.slot}-t${id}`;
  const port0 = `t${id}`;
  let server: ChildProcess | undefined;
  const fileServers: ChildProcess[] = [];
  const remove = () => {
    server?.kill("SIGKILL");
    for (const f of fileServers) f.kill("SIGKILL");
    try {
      execFileSync("ip", ["netns", "del", netns], { stdio: "ignore" });
    } catch {
      // not there
    }
    try {
      execFileSync("ip", ["-n", net.fabricNetns, "link", "del", port0], { stdio: "ignore" });
    } catch {
      // gone with the netns
    }
  };
  try {
    ip(["netns", "add", netns]);
    ip(["link", "set", "lo", "up"], netns);
    ip(["link", "add", port0, "type", "veth", "peer", "name", "eth0", "netns", netns], net.fabricNetns);
    ip(["link", "set", port0, "master", net.fabricBridge, "up"], net.fabricNetns);
    addresses.forEach((a, i) => ip(["addr", "add", i === 0 ? `${a}/${net.fabricPrefix}` : `${a}/32`, "dev", "eth0"], netns));
    ip(["link", "set", "eth0", "up"], netns);
    for (const node of net.nodes) ip(["route", "add", node.podCidr, "via", node.ip], netns);
    if (net.nodes.length) ip(["route", "add", net.serviceCidr, "via", net.nodes[0].ip], netns);
    server = spawn("nsenter", [`--net=/run/netns/${netns}`, "socat", `TCP-LISTEN:${port},fork,reuseaddr`, "SYSTEM:echo test-host"], { stdio: "ignore", detached: false });
    const serveFiles = (address: string, filePort: number, dir: string) => {
      fileServers.push(spawn("nsenter", [`--net=/run/netns/${netns}`, process.execPath, "-e", staticServer(address, filePort, dir)], { stdio: "ignore" }));
    };
    return { netns, addresses, port, serveFiles, remove };
  } catch (e) {
    remove();
    throw e;
  }
}

/**
 * Runs `script` with this Node.js inside network namespace `nsPath` (a pod's, through its
 * sandbox process): connections it makes leave from the pod's address, through the node's
 * Service rules and policy firewall, as the pod's own would.
 */
export function nodeIn(nsPath: string, script: string, timeoutMs = 20_000): string {
  return execFileSync("nsenter", [`--net=${nsPath}`, process.execPath, "-e", script], { encoding: "utf8", timeout: timeoutMs });
}

/** A TCP connect from inside `nsPath` to host:port within `ms`: resolves with what the peer sent, or "refused"/"timeout"/other error code. */
export function tcpProbe(nsPath: string, host: string, port: number, ms = 3000): string {
  const script = `
    const net = require("net");
    const s = net.connect({ host: ${JSON.stringify(host)}, port: ${port} });
    let data = "";
    const t = setTimeout(() => { console.log("timeout"); process.exit(0); }, ${ms});
    s.on("data", (d) => (data += d));
    s.on("end", () => { clearTimeout(t); console.log(data.trim() || "connected"); process.exit(0); });
    s.on("error", (e) => { clearTimeout(t); console.log(e.code === "ECONNREFUSED" ? "refused" : e.code); process.exit(0); });
  `;
  return nodeIn(nsPath, script, ms + 10_000).trim();
}

/** An HTTP GET from inside `nsPath`: "<status> <body>" or the error code. */
export function httpProbe(nsPath: string, url: string, ms = 5000): string {
  const script = `
    const http = require("http");
    const req = http.get(${JSON.stringify(url)}, { timeout: ${ms} }, (res) => {
      let body = ""; res.on("data", (d) => (body += d)); res.on("end", () => { console.log(res.statusCode + " " + body.trim()); process.exit(0); });
    });
    req.on("timeout", () => { console.log("timeout"); process.exit(0); });
    req.on("error", (e) => { console.log(e.code); process.exit(0); });
  `;
  return nodeIn(nsPath, script, ms + 10_000).trim();
}

/** A DNS A lookup of `name` at `server` from inside `nsPath`: the addresses, or the error code. */
export function dnsProbe(nsPath: string, server: string, name: string, ms = 5000): string {
  const script = `
    const { Resolver } = require("dns");
    const r = new Resolver({ timeout: ${ms}, tries: 1 });
    r.setServers([${JSON.stringify(server)}]);
    r.resolve4(${JSON.stringify(name)}, (err, a) => { console.log(err ? err.code : a.join(",")); process.exit(0); });
  `;
  return nodeIn(nsPath, script, ms + 10_000).trim();
}
