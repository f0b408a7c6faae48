import * as pulumi from "@pulumi/pulumi";

/**
 * The Docker-free control plane of the `local` cluster target as a resource of the stack: its
 * create starts it (scripts/local-cluster.ts, lib/cluster/), its delete, on
 * `destroy`, stops it and removes its data directory. A dynamic provider rather than a shell command: it runs in the
 * Node.js runtime the program already needs, so no extra provider plugin has to be installed on
 * air-gapped machines.
 */
export interface LocalControlPlaneArgs {
  /** Absolute data directory of the control plane (certificates, etcd data, logs, kubeconfig). Required. */
  dataDir: string;
  /** Simulated kwok nodes. Required (the stack config defaults it to 1). */
  nodes: number;
  /** Absolute project directory whose scripts/local-cluster.ts runs the control plane. Required. */
  projectDir: string;
}

interface State extends LocalControlPlaneArgs {
  apiServerUrl: string;
}

// Runs in the dynamic provider's process: everything it needs is required inside, so that the
// serialized closure captures nothing from this module.
function controlPlane(command: "start" | "stop", inputs: LocalControlPlaneArgs): State | undefined {
  const cp = require("child_process") as typeof import("child_process");
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const tsNode = path.join(inputs.projectDir, "node_modules", ".bin", "ts-node");
  const script = path.join(inputs.projectDir, "scripts", "local-cluster.ts");
  const args = command === "start" ? ["start", inputs.dataDir, "--nodes", String(inputs.nodes)] : ["stop", inputs.dataDir];
  const result = cp.spawnSync(tsNode, ["--transpile-only", script, ...args], { cwd: inputs.projectDir, encoding: "utf8" });
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ""}${result.error ? String(result.error) : ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`local control plane: \`local-cluster.ts ${args.join(" ")}\` failed (exit ${result.status}):\n${tail}`);
  }
  if (command === "stop") return undefined;
  const server = /server:\s*"?([^",}\s]+)/.exec(fs.readFileSync(path.join(inputs.dataDir, "kubeconfig"), "utf8"));
  return { dataDir: inputs.dataDir, nodes: inputs.nodes, projectDir: inputs.projectDir, apiServerUrl: server ? server[1] : "" };
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: LocalControlPlaneArgs) {
    const outs = controlPlane("start", inputs)!;
    return { id: outs.dataDir, outs };
  },
  async diff(_id: string, olds: State, news: LocalControlPlaneArgs) {
    const replaces = (["dataDir", "nodes"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || olds.projectDir !== news.projectDir, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: State, news: LocalControlPlaneArgs) {
    return { outs: controlPlane("start", news)! };
  },
  async delete(_id: string, props: State) {
    controlPlane("stop", props);
  },
};

export class LocalControlPlane extends pulumi.dynamic.Resource {
  /** https://127.0.0.1:<port> */
  public readonly apiServerUrl!: pulumi.Output<string>;
  public readonly dataDir!: pulumi.Output<string>;

  constructor(name: string, args: LocalControlPlaneArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, apiServerUrl: undefined },
      opts,
      "atlas",
      "LocalControlPlane",
    );
  }
}
