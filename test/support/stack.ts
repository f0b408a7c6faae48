/**
 * Runs the Pulumi program (index.ts) for one stack file under `pulumi.runtime.setMocks` and
 * returns every resource it declares: type, name, URN, parent, provider, dependencies, inputs
 * (with the paths that were secret) and registered outputs. A `kubernetes:helm.sh/v4:Chart` of
 * a local chart directory is rendered for real with `helm template`, as the kubernetes provider
 * would, and each rendered object is returned as a child resource of the chart (same type
 * tokens and names the provider registers), so callers see the objects each stack declares.
 *
 * The Pulumi runtime is process-global: every run resets the mocks and config and reloads the
 * program modules, so runs are independent and deterministic.
 */
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { helmPath } from "../../lib/helm";
import { repoRoot } from "../../lib/paths";
import { ConfigEdits, stackConfig } from "../../config/stackFile";

export interface RunOptions extends ConfigEdits {
  /** Run as a preview (default false: an update). */
  preview?: boolean;
}

// Runtime internals the harness hooks into; stable across SDK 3.x but not in the public typings.
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  specialSigKey: string;
  specialSecretSig: string;
  specialResourceSig: string;
  specialAssetSig: string;
  specialArchiveSig: string;
  unknownValue: string;
};
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): any; waitForRPCs(): Promise<void> };

/** A plain Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export interface DeclaredResource {
  type: string;
  name: string;
  urn: string;
  /** Custom resource (false for components, remote ones included). */
  custom: boolean;
  /** A component implemented by a provider (e.g. helm v4 Chart). */
  remote: boolean;
  /** URN of the parent; the stack's for top-level resources. */
  parent?: string;
  /** Provider reference ("<urn>::<id>") of a custom resource. */
  provider?: string;
  /** Provider references of a component, by package. */
  providers: Record<string, string>;
  /** Outputs the resource asked the engine to keep secret. */
  additionalSecretOutputs: string[];
  /** URNs this resource waits for: explicit dependsOn (components expanded) plus inputs' resources. */
  dependencies: string[];
  /** Inputs as plain values (secrets unwrapped, unknowns undefined). */
  inputs: Record<string, any>;
  /** Dotted paths of inputs that were secret, e.g. "values.store.credentials.accessKey". */
  secretInputs: string[];
  /** Outputs a component registered (plain). */
  outputs?: Record<string, any>;
  /** Dotted paths of registered outputs that were secret. */
  secretOutputs: string[];
  /** URN of the chart whose `helm template` produced this object (rendered chart objects only). */
  renderedBy?: string;
}

export interface StackRun {
  stack: string;
  /** Every declared resource, in registration order (rendered chart objects after their chart). */
  resources: DeclaredResource[];
  /** Stack outputs (plain) and the ones that are secret. */
  outputs: Record<string, any>;
  secretOutputs: string[];
}

/** Serialized RPC values to plain values, collecting the paths of secrets. */
function decode(value: any, at: string, secrets: string[]): any {
  if (value === rpc.unknownValue) return undefined;
  if (Array.isArray(value)) return value.map((v, i) => decode(v, `${at}[${i}]`, secrets));
  if (value === null || typeof value !== "object") return value;
  const sig = value[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) {
    secrets.push(at);
    return decode(value.value, at, secrets);
  }
  if (sig === rpc.specialResourceSig) return value.urn;
  if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) return { ...value };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, at ? `${at}.${k}` : k, secrets)]));
}

const clusterScopedKinds = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "StorageClass",
  "PersistentVolume",
  "PriorityClass",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "IngressClass",
  "RuntimeClass",
]);

/** The type token the kubernetes provider registers an object under. */
export function kubernetesType(apiVersion: string, kind: string): string {
  return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

/** Renders a helm v4 Chart of a local chart directory the way the provider does (no hooks, CRDs unless skipped). */
function renderLocalChart(chartName: string, inputs: Record<string, any>): K8sObject[] {
  const release = inputs.name ?? chartName;
  const namespace = inputs.namespace ?? "default";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-chart-"));
  try {
    const args = ["template", release, inputs.chart, "--namespace", namespace, "--no-hooks"];
    if (!inputs.skipCrds) args.push("--include-crds");
    for (const asset of inputs.valueYamlFiles ?? []) if (typeof asset?.path === "string") args.push("-f", asset.path);
    if (inputs.values) {
      const file = path.join(tmp, "values.json");
      fs.writeFileSync(file, JSON.stringify(inputs.values));
      args.push("-f", file);
    }
    const r = spawnSync(helmPath(), args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`helm template of chart ${chartName} (${inputs.chart}) failed:\n${r.stderr}`);
    return parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null && typeof o === "object")
      .map((o) => {
        if (!o.metadata.namespace && !clusterScopedKinds.has(o.kind)) o.metadata.namespace = namespace;
        return o;
      });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Deterministic outputs the real providers would compute, for the resources this program declares. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const digest = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;
  switch (type) {
    case "docker:index/image:Image": {
      const repo = String(inputs.imageName).replace(/:[^:/]+$/, "");
      return { ...inputs, repoDigest: `${repo}@${digest(JSON.stringify(inputs.build ?? {}))}`, baseImageName: inputs.imageName };
    }
    case "docker:index/remoteImage:RemoteImage":
      return { ...inputs, imageId: digest(inputs.name), repoDigest: inputs.name };
    case "command:local:Command":
      return { ...inputs, stdout: `apiVersion: v1\nkind: Config\nclusters: [{name: ${name}, cluster: {server: "https://127.0.0.1:6443"}}]\n`, stderr: "" };
    default:
      return inputs;
  }
}

const programFiles = () =>
  Object.keys(require.cache).filter((f) => f.startsWith(repoRoot + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`) && !f.startsWith(path.join(repoRoot, "test") + path.sep));


/**
 * Runs index.ts for `stack`. Rejects with the program's error (e.g. an invalid config); the
 * rejection's `declared` property lists what was declared before it.
 */
export async function runStack(stack: string, opts: RunOptions = {}): Promise<StackRun> {
  const { config, secretKeys } = stackConfig(stack, opts);
  return runProgram(() => require(path.join(repoRoot, "index.ts")), { stack, config, secretKeys, preview: opts.preview });
}

export interface ProgramOptions {
  /** Stack name (default "test"). */
  stack?: string;
  /** Config by full key ("atlas:cluster"), structured values as objects. */
  config?: Record<string, unknown>;
  /** Full keys whose values are secret. */
  secretKeys?: string[];
  /** Run as a preview (default false). */
  preview?: boolean;
}

/**
 * Runs `program` as a Pulumi program (inside a root stack, so its return value becomes the stack
 * outputs) under mocks and records what it declares. Program modules are reloaded first.
 */
export async function runProgram(program: () => unknown, opts: ProgramOptions = {}): Promise<StackRun> {
  const stack = opts.stack ?? "test";
  // The CLI hands structured values to the program as JSON and scalars as strings.
  const encoded = Object.fromEntries(Object.entries(opts.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const resources: DeclaredResource[] = [];
  const byUrn = new Map<string, DeclaredResource>();
  const failures: Error[] = [];
  let stackOutputs: { outputs: Record<string, any>; secretOutputs: string[] } = { outputs: {}, secretOutputs: [] };

  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => ({
        id: args.custom ? `${args.name}-id` : undefined,
        state: mockState(args.type, args.name, decode(args.inputs, "", [])),
      }),
      call: (args: pulumi.runtime.MockCallArgs) => {
        throw new Error(`the program invoked ${args.token}, which the harness does not mock`);
      },
    },
    "bijux-atlas",
    stack,
    opts.preview ?? false,
  );
  pulumi.runtime.setAllConfig(encoded, opts.secretKeys ?? []);

  const monitor = settings.getMonitor();
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
    registerResource(req, (err: any, resp: any) => {
      if (!err) {
        try {
          record(req, resp.getUrn());
        } catch (e) {
          failures.push(e as Error);
        }
      }
      callback(err, resp);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
    const secretOutputs: string[] = [];
    const outputs = decode(req.getOutputs()?.toJavaScript() ?? {}, "", secretOutputs);
    const res = byUrn.get(req.getUrn());
    if (res) Object.assign(res, { outputs, secretOutputs });
    if (res?.type === "pulumi:pulumi:Stack") stackOutputs = { outputs, secretOutputs };
    registerOutputs(req, callback);
  };

  function record(req: any, urn: string): void {
    const secretInputs: string[] = [];
    const res: DeclaredResource = {
      type: req.getType(),
      name: req.getName(),
      urn,
      custom: req.getCustom(),
      remote: req.getRemote(),
      parent: req.getParent() || undefined,
      provider: req.getProvider() || undefined,
      providers: Object.fromEntries(req.getProvidersMap().toArray()),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependencies: req.getDependenciesList(),
      inputs: decode(req.getObject()?.toJavaScript() ?? {}, "", secretInputs),
      secretInputs,
      secretOutputs: [],
    };
    resources.push(res);
    byUrn.set(urn, res);
    if (res.type === "kubernetes:helm.sh/v4:Chart" && typeof res.inputs.chart === "string" && fs.existsSync(res.inputs.chart)) {
      const prefix = res.inputs.resourcePrefix ?? res.name;
      for (const obj of renderLocalChart(res.name, res.inputs)) {
        const objName = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
        const type = kubernetesType(obj.apiVersion, obj.kind);
        // Qualified the way the mock monitor qualifies children: by the parent's own type.
        const [stackPart, projectPart, parentType] = urn.split("::");
        const childUrn = [stackPart, projectPart, `${parentType.split("$").pop()}$${type}`, `${prefix}:${objName}`].join("::");
        // The provider marks a Secret's payload secret whatever the chart's values were.
        const secret = obj.kind === "Secret" && obj.apiVersion === "v1" ? ["data", "stringData"].filter((k) => k in obj) : [];
        resources.push({
          type,
          name: `${prefix}:${objName}`,
          urn: childUrn,
          custom: true,
          remote: false,
          parent: urn,
          provider: undefined,
          providers: {},
          additionalSecretOutputs: [],
          dependencies: [],
          inputs: obj,
          secretInputs: secret,
          secretOutputs: [],
          renderedBy: urn,
        });
      }
    }
  }

  for (const file of programFiles()) delete require.cache[file];
  try {
    await pulumi.runtime.runInPulumiStack(async () => program());
    await settings.waitForRPCs();
  } catch (err) {
    // Let registrations already sent finish, so `declared` is everything the program declared.
    await settings.waitForRPCs().catch(() => undefined);
    if (err && typeof err === "object") (err as { declared?: DeclaredResource[] }).declared = resources;
    throw err;
  }
  if (failures.length > 0) throw failures[0];
  return { stack, resources, ...stackOutputs };
}

/** Resources of one type token. */
export function ofType(run: StackRun, type: string): DeclaredResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource with this logical name; throws when there is none or several. */
export function named(run: StackRun, name: string): DeclaredResource {
  const found = run.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}: ${run.resources.map((r) => r.name).join(", ")}`);
  return found[0];
}

/** Every Kubernetes object the stack declares, as plain objects: direct resources and rendered chart objects. */
export function kubernetesObjects(run: StackRun): K8sObject[] {
  return run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string").map((r) => r.inputs as K8sObject);
}

/** Resource counts by type token, for reports. */
export function countByType(run: StackRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
