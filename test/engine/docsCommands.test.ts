/**
 * The `pulumi config set|rm` commands the README and the stack files document
 * (test/support/docsCommands.ts), pasted as an operator would into the real CLI against scratch
 * stacks, then read back as the program reads its config: a command that writes outside the
 * `atlas:` namespace, or a value the program refuses, fails here. A command without -s acts on
 * the selected stack; here that is `defaultDocsStack` (offline).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateStackConfig } from "../../config/load";
import { splitKeyPath, stackNames } from "../../config/stackFile";
import { defaultLocalPassphrase } from "../../lib/automation";
import { repoRoot } from "../../lib/paths";
import { toolchain } from "../../lib/toolchain";
import { defaultDocsStack, documentedCommands, isPlaceholder } from "../support/docsCommands";
import { requireEngine } from "../support/engineTier";

/** Placeholders the docs write in angle brackets (the store token), with a value each accepts. */
const placeholderValue = "docs-example-token";

function valueAtKeyPath(config: Record<string, unknown>, keyPath: string): unknown {
  const { key, path: rest } = splitKeyPath(keyPath);
  return rest.reduce<any>((cur, p) => (cur === undefined || cur === null ? undefined : cur[p]), config[key.slice("atlas:".length)]);
}

describe("documented config commands", function () {
  const commands = documentedCommands().map((c) => ({ ...c, stack: c.stack ?? defaultDocsStack, value: isPlaceholder(c.value) ? placeholderValue : c.value }));
  let dir: string;
  let run: (args: string[]) => string;

  before(async function () {
    await requireEngine(this);
    const tc = await toolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-docs-"));
    for (const f of ["Pulumi.yaml", ...stackNames.map((s) => `Pulumi.${s}.yaml`)]) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    const env = { ...process.env, ...tc.env, PULUMI_CONFIG_PASSPHRASE: defaultLocalPassphrase, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_BACKEND_URL: `file://${dir}` };
    run = (args) => execFileSync(tc.pulumiBin, args, { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    for (const stack of new Set(commands.map((c) => c.stack))) run(["stack", "init", stack, "--non-interactive"]);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of commands) {
    it(`${c.source}: \`${c.text}\` reaches the program${c.text.includes(" -s ") ? "" : ` (on ${c.stack}, the stack it runs against without -s)`}`, () => {
      run(["config", c.verb, ...(c.secret ? ["--secret"] : []), "--path", c.key, ...(c.verb === "set" ? [c.value] : []), "-s", c.stack]);
      const shown = JSON.parse(run(["config", "--show-secrets", "--json", "-s", c.stack])) as Record<string, { value: string; objectValue?: unknown; secret: boolean }>;
      const raw = Object.fromEntries(
        Object.entries(shown)
          .filter(([k]) => k.startsWith("atlas:"))
          .map(([k, v]) => [k.slice("atlas:".length), v.objectValue ?? v.value]),
      );
      const { config, problems } = validateStackConfig(raw, (k) => shown[`atlas:${k}`]?.secret === true);
      assert.deepEqual(problems, []);
      // A removed key is gone from what the program reads (and then takes its default).
      if (c.verb === "rm") assert.equal(valueAtKeyPath(raw, c.key), undefined);
      else assert.equal(valueAtKeyPath(config as unknown as Record<string, unknown>, c.key), c.value);
      if (c.secret) assert.equal(shown[splitKeyPath(c.key).key].secret, true);
    });
  }
});
