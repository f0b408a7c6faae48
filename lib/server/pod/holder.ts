/**
 * The program of a pod's holder process (what a pause container is on a node): it keeps the
 * pod's network, mount, UTS and IPC namespaces alive, and forwards connections from a unix socket
 * (reachable from the host's filesystem) to addresses inside the pod's network namespace, which
 * is how probes and test clients reach the pod without any route from the host. A client writes
 * "<host> <port>\n" and reads "OK\n" (then the byte stream) or "ERR <code>\n".
 *
 * It exits when its stdin closes, i.e. when the runner exits, whatever the reason; with the
 * parent-death signal the runner also sets, nothing of a crashed run keeps the namespaces alive.
 */
export const holderSource = String.raw`
const net = require("net");
const fs = require("fs");
const sock = process.argv[1];
try { fs.unlinkSync(sock); } catch {}
const server = net.createServer((client) => {
  let head = Buffer.alloc(0);
  const onData = (d) => {
    head = Buffer.concat([head, d]);
    const nl = head.indexOf(10);
    if (nl < 0) { if (head.length > 512) client.destroy(); return; }
    client.removeListener("data", onData);
    client.pause();
    const [host, port] = head.subarray(0, nl).toString().trim().split(" ");
    const rest = head.subarray(nl + 1);
    const upstream = net.connect({ host, port: Number(port) });
    upstream.on("connect", () => {
      client.write("OK\n");
      if (rest.length) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on("error", (e) => { if (!client.destroyed) client.end("ERR " + (e.code || e.message) + "\n"); });
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
  };
  client.on("data", onData);
  client.on("error", () => {});
});
server.listen(sock, () => {
  fs.chmodSync(sock, 0o600);
  process.stdout.write("ready\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
`;

/**
 * A static file server for the peer network namespace (a store or catalog endpoint the pod's
 * egress allows): GET and HEAD of files under a directory, one JSON line per request on stdout.
 */
export const endpointSource = String.raw`
const http = require("http");
const fs = require("fs");
const path = require("path");
const [root, address, port] = process.argv.slice(1);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const file = path.join(root, decodeURIComponent(url.pathname));
  process.stdout.write(JSON.stringify({ method: req.method, path: url.pathname, authorization: req.headers.authorization ? "present" : "absent" }) + "\n");
  if (!file.startsWith(root + path.sep) || (req.method !== "GET" && req.method !== "HEAD")) { res.writeHead(404); return res.end(); }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "content-length": st.size, "content-type": "application/octet-stream" });
    if (req.method === "HEAD") return res.end();
    fs.createReadStream(file).pipe(res);
  });
});
server.listen(Number(port), address, () => process.stdout.write(JSON.stringify({ listening: address + ":" + port }) + "\n"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;
