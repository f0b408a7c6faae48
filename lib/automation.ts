/**
 * Runs this project's stacks with the real Pulumi engine through the Automation API. The program
 * runs inline (in this Node.js process, which serves the language runtime to the CLI), so a CLI
 * built from source without a Node.js language host runs it too; the policy pack runs through
 * the CLI's analyzer launcher.
 */
import { EngineEvent, InlineProgramArgs, LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { automationOptions, toolchain } from "./toolchain";
import { repoRoot } from "./paths";

/** Passphrase of the embedded local backend's secrets provider, used only when none is set. */
export const defaultLocalPassphrase = "bijux-atlas-local";

export interface OpenOptions {
  /** Project directory (default: this repository). Tests pass a copy. */
  workDir?: string;
  /** Extra environment for the CLI (e.g. PULUMI_BACKEND_URL). */
  env?: Record<string, string>;
}

/** The stack's policy-pack config file (policy/config/<stack>.json), when there is one. */
export function policyPackConfig(workDir: string, stack: string): string | undefined {
  const f = path.join(workDir, "policy", "config", `${stack}.json`);
  return fs.existsSync(f) ? f : undefined;
}

/** Options that enforce the policy pack on preview and up. */
export function policyOptions(workDir: string, stack: string): { policyPacks: string[]; policyPackConfigs?: string[] } {
  const cfg = policyPackConfig(workDir, stack);
  return { policyPacks: [path.join(workDir, "policy")], ...(cfg ? { policyPackConfigs: [cfg] } : {}) };
}

/** Selects (or creates) `stack` of the project in `workDir`, wired to the pinned toolchain. */
export async function openStack(stack: string, opts: OpenOptions = {}): Promise<Stack> {
  const workDir = path.resolve(opts.workDir ?? repoRoot);
  const tc = await toolchain();
  const { pulumiCommand, envVars } = await automationOptions(tc);
  const program: InlineProgramArgs["program"] = async () => {
    // Each run loads the program afresh: module-level state belongs to one deployment.
    for (const k of Object.keys(require.cache)) if (k.startsWith(workDir + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[k];
    return require(path.join(workDir, "index.ts"));
  };
  return LocalWorkspace.createOrSelectStack(
    { stackName: stack, projectName: "bijux-atlas", program },
    {
      workDir,
      pulumiCommand,
      envVars: {
        ...envVars,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? defaultLocalPassphrase,
        ...(opts.env ?? {}),
      },
    },
  );
}

export interface GatedUpOptions {
  onOutput?: (out: string) => void;
  onEvent?: (event: EngineEvent) => void;
  signal?: AbortSignal;
}

/**
 * `pulumi up` as an operator runs it: a preview with the policy pack first, then the update.
 * The Automation API's up skips the preview, and stack-level policies (egress) run only after
 * every resource is registered, which in an up without preview is after the changes are applied;
 * the preview gate refuses a violating stack before anything is written or sent to a cluster.
 */
export async function gatedUp(stack: Stack, workDir: string, opts: GatedUpOptions = {}): Promise<UpResult> {
  const policies = policyOptions(workDir, stack.name);
  await stack.preview({ ...policies, onOutput: opts.onOutput, signal: opts.signal });
  return stack.up({ ...policies, onOutput: opts.onOutput, onEvent: opts.onEvent, signal: opts.signal });
}
