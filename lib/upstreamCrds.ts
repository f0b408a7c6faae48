/**
 * The upstream CustomResourceDefinitions of the add-ons, as their projects publish them, read from
 * the projects' Go module zips (the one source of upstream files our machines reach). Tests apply
 * them to a cluster to stand for a platform where the add-ons are preinstalled.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The controller versions the pinned add-on charts ship (argo-rollouts chart 2.37.7, kube-prometheus-stack 67.8.0). */
export const upstream = {
  argoRollouts: { module: "github.com/argoproj/argo-rollouts", version: "v1.7.2", files: ["manifests/crds/rollout-crd.yaml", "manifests/crds/analysis-template-crd.yaml"] },
  prometheusOperator: {
    module: "github.com/prometheus-operator/prometheus-operator",
    version: "v0.79.2",
    files: ["example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"],
  },
} as const;

/** Downloads (or finds in the module cache) the module and returns the named CRD files' YAML. */
export function upstreamCrds(which: keyof typeof upstream): string[] {
  const { module, version, files } = upstream[which];
  const info = JSON.parse(execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], { encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=mod" } })) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? "no directory"}`);
  return files.map((f) => fs.readFileSync(path.join(info.Dir!, f), "utf8"));
}
