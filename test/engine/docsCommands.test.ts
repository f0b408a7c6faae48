/**
 * The `pulumi config set` commands the README and the stack files document, pasted as an
 * operator would into the real CLI against scratch stacks, then read back as the program reads
 * its config: a command that writes outside the `atlas:` namespace, or a value the program
 * refuses, fails here.
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
import { requireEngine } from "../support/engineTier";

interface DocumentedCommand {
  source: string;
  /** set, or rm (value then empty). */
  verb: "set" | "rm";
  stack: string;
  key: string;
  value: string;
  secret: boolean;
}

/** Placeholders the docs write in angle brackets, with a value each accepts. */
const placeholderValue = "docs-example-token";

/** Every `pulumi config set|rm` line of the README's shell blocks and the stack files' comments, in order. */
function documentedCommands(): DocumentedCommand[] {
  const sources: [string, string[]][] = [
    ["README.md", fs.readFileSync(path.join(repoRoot, "README.md"), "utf8").split("\n")],
    ...stackNames.map((s): [string, string[]] => [`Pulumi.${s}.yaml`, fs.readFileSync(path.join(repoRoot, `Pulumi.${s}.yaml`), "utf8").split("\n")]),
  ];
  return sources.flatMap(([source, lines]) =>
    lines
      .map((line) => line.replace(/^\s*#\s*/, "").replace(/\s+#.*$/, "").trim())
      .filter((line) => /^pulumi config (set|rm) /.test(line) && / -s \S+/.test(line))
      .map((line): DocumentedCommand => {
        const words = line.split(/\s+/).map((w) => w.replace(/^'(.*)'$/, "$1"));
        const stack = words[words.indexOf("-s") + 1];
        const args = words.slice(3).filter((w, i, all) => !w.startsWith("--") && w !== "-s" && all[i - 1] !== "-s");
        const verb = words[2] as "set" | "rm";
        const value = verb === "rm" ? "" : /^<.*>$/.test(args[1]) ? placeholderValue : args[1];
        return { source, verb, stack, key: args[0], value, secret: words.includes("--secret") };
      }),
  );
}

function valueAtKeyPath(config: Record<string, unknown>, keyPath: string): unknown {
  const { key, path: rest } = splitKeyPath(keyPath);
  return rest.reduce<any>((cur, p) => (cur === undefined || cur === null ? undefined : cur[p]), config[key.slice("atlas:".length)]);
}

describe("documented config commands", function () {
  const commands = documentedCommands();
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

  it("finds the commands the docs give, on every stack they name", () => {
    assert.ok(commands.length >= 4, JSON.stringify(commands));
    assert.ok(commands.some((c) => c.secret), "a secret is documented");
  });

  for (const c of documentedCommands()) {
    it(`${c.source}: \`pulumi config ${c.verb} ${c.secret ? "--secret " : ""}--path ${c.key} ... -s ${c.stack}\` reaches the program`, () => {
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
