/** Talking to a local cluster's API server: its admin kubeconfig, raw GETs, and the pinned kubectl. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { kubectlPath } from "../helm";

/** An admin kubeconfig for the API server at `url`, with the certificates of `pki` inlined. */
export function adminKubeconfig(pki: string, url: string): string {
  const b64 = (f: string) => fs.readFileSync(path.join(pki, f)).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: atlas-local`,
    `  cluster: {server: "${url}", certificate-authority-data: ${b64("ca.crt")}}`,
    "users:",
    "- name: atlas-admin",
    `  user: {client-certificate-data: ${b64("admin.crt")}, client-key-data: ${b64("admin.key")}}`,
    "contexts:",
    "- name: atlas-local",
    "  context: {cluster: atlas-local, user: atlas-admin}",
    "current-context: atlas-local",
    "",
  ].join("\n");
}

/** GET on the API server with the admin certificate of the cluster in `dataDir`; resolves with status and body. */
export function apiGet(dataDir: string, url: string, p: string): Promise<{ status: number; body: string }> {
  const pki = path.join(dataDir, "pki");
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${url}${p}`,
      { ca: fs.readFileSync(path.join(pki, "ca.crt")), cert: fs.readFileSync(path.join(pki, "admin.crt")), key: fs.readFileSync(path.join(pki, "admin.key")), timeout: 5000 },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

/** Runs the pinned kubectl against `kubeconfigPath`; returns stdout, throws on a non-zero exit. */
export function kubectl(kubeconfigPath: string, args: string[], input?: string): string {
  return execFileSync(kubectlPath(), ["--kubeconfig", kubeconfigPath, ...args], { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}
