/**
 * Provides the pinned Kubernetes binaries of the local cluster (control plane and real-node
 * binaries), built from the Go modules in tools/kube-build when not cached, with progress.
 *
 *   npm run build-kube
 */
import { buildKubeBinaries, controlPlaneBinaries, nodeBinaries } from "../lib/toolchain/kube";

try {
  buildKubeBinaries([...controlPlaneBinaries, ...nodeBinaries]);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
}
