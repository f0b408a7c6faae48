/**
 * The main job: `pulumi up` of a stack (default: offline, on its embedded local backend and
 * render target) with the policy pack enforced, through the pinned toolchain.
 *
 *   npm run deploy                          # up -s offline  -> rendered/offline/
 *   npm run deploy -- --stack dev --preview # preview only (policy verdicts, per-object diff)
 *   npm run deploy -- --destroy             # tear the stack down
 */
import { Command } from "commander";
import { defaultLocalPassphrase, gatedUp, openStack, policyOptions } from "../lib/automation";
import { repoRoot } from "../lib/paths";

async function main(): Promise<void> {
  const program = new Command("deploy")
    .description("pulumi up (or preview/destroy) of a stack with the bijux-atlas policy pack")
    .option("-s, --stack <name>", "stack", "offline")
    .option("--preview", "preview only")
    .option("--destroy", "destroy the stack")
    .parse(process.argv);
  const o = program.opts() as { stack: string; preview?: boolean; destroy?: boolean };
  if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    process.stderr.write(`deploy: PULUMI_CONFIG_PASSPHRASE not set; using the embedded backend's local default "${defaultLocalPassphrase}"\n`);
  }
  process.stderr.write("deploy: providing the pinned Pulumi toolchain (the first run builds it from Go modules)\n");
  const stack = await openStack(o.stack);
  const out = { onOutput: (s: string) => process.stdout.write(s) };
  if (o.destroy) {
    process.stderr.write(`deploy: pulumi destroy -s ${o.stack}\n`);
    await stack.destroy(out);
  } else if (o.preview) {
    process.stderr.write(`deploy: pulumi preview -s ${o.stack} --policy-pack policy\n`);
    await stack.preview({ ...policyOptions(repoRoot, o.stack), diff: true, ...out });
  } else {
    process.stderr.write(`deploy: pulumi up -s ${o.stack} --policy-pack policy (preview first: a policy violation stops it before any change)\n`);
    const r = await gatedUp(stack, repoRoot, out);
    const dir = r.outputs.renderedDirectory?.value;
    if (dir) process.stderr.write(`deploy: manifests in ${dir} (they include Secrets in plain text: keep the directory out of version control)\n`);
  }
}

main().catch((e: unknown) => {
  // The CLI's own output has been streamed already; keep the error to its first lines.
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`deploy: failed: ${msg.split("\n").slice(0, 3).join("\n")}\n`);
  process.exit(1);
});
