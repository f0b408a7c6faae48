/** The certificates of a local cluster, made with openssl: CA, API server serving cert, admin client cert, service-account keys. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Writes the PKI into `dir` unless it is already there (a restart keeps its certificates). */
export function generatePki(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(path.join(dir, "admin.crt"))) return;
  const days = "3650";
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", days, "-subj", "/CN=atlas-local-ca"], dir);
  const leaf = (name: string, subj: string, ext: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", days, "-extfile", `${name}.ext`], dir);
  };
  leaf("apiserver", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("admin", "/CN=atlas-admin/O=system:masters", "extendedKeyUsage=clientAuth\n");
  openssl(["genpkey", "-algorithm", "RSA", "-out", "sa.key", "-pkeyopt", "rsa_keygen_bits:2048"], dir);
  openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
}

/**
 * A client certificate `<name>.crt`/`.key` in `dir`, signed by the cluster CA there, for `subject`
 * (`/CN=user/O=group`); kept when it already exists. Real nodes' kubelet, kube-proxy and policy
 * firewall authenticate with these.
 */
export function clientCertificate(dir: string, name: string, subject: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  if (!fs.existsSync(cert)) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), "extendedKeyUsage=clientAuth\n");
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "3650", "-extfile", `${name}.ext`], dir);
  }
  return { cert, key };
}
