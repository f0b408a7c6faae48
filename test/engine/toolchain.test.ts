import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { automationOptions, cacheRoot, ensureToolchain, Toolchain, toolchain } from "../../lib/toolchain";
import { repoRoot } from "../../lib/paths";
import { buildModuleVersion, launcherDir, readPins } from "../../lib/toolchain/pins";
import { Reporter } from "../../lib/toolchain/progress";
import { cliBuild } from "../../lib/toolchain/pulumi-cli";
import { requireEngine } from "../support/engineTier";

const pins = readPins();
const fixturePack = path.join(__dirname, "fixtures", "launcher-policy");

/** Collects progress lines instead of printing them. */
function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return { lines, line: (message) => lines.push(message) };
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function component(tc: Toolchain, name: string) {
  const found = tc.tools.find((c) => c.name === name);
  assert.ok(found, `${name} missing from ${tc.tools.map((c) => c.name).join(", ")}`);
  return found;
}

describe("toolchain pins (package.json)", () => {
  function writeManifest(deps: Record<string, string>): string {
    const file = path.join(tempDir("atlas-pins-"), "package.json");
    fs.writeFileSync(file, JSON.stringify({ dependencies: deps }));
    return file;
  }

  it("takes the CLI version from @pulumi/pulumi and each provider's from its SDK", () => {
    const read = readPins(writeManifest({ "@pulumi/pulumi": "3.270.0", "@pulumi/kubernetes": "4.34.2", "@pulumi/command": "v4.5.0" }));
    assert.deepEqual(
      { cli: read.cli, kubernetes: read.providers.kubernetes?.version, command: read.providers.command?.version },
      { cli: "3.270.0", kubernetes: "4.34.2", command: "4.5.0" },
    );
  });

  it("refuses a version range, naming the package and the form it needs", () => {
    assert.throws(
      () => readPins(writeManifest({ "@pulumi/pulumi": "^3.270.0" })),
      /package\.json must pin @pulumi\/pulumi to an exact version \(x\.y\.z\).*"\^3\.270\.0"/,
    );
  });

  it("reads the version a build module requires from its go.mod", () => {
    assert.match(buildModuleVersion(cliBuild.moduleDir, cliBuild.module), /^3\.\d+\.\d+$/);
  });

  it("builds the CLI at the version package.json pins @pulumi/pulumi to, so CLI and SDK match", () => {
    assert.equal(buildModuleVersion(cliBuild.moduleDir, cliBuild.module), pins.cli);
  });

  it("pins the policy pack's @pulumi/pulumi to the program's, so one SDK serves both", () => {
    assert.equal(readPins(path.join(repoRoot, "policy", "package.json")).cli, pins.cli);
  });
});

describe("toolchain bootstrap", function () {
  // The first run on a machine builds the CLI and the kubernetes provider from Go modules.
  this.timeout(90 * 60_000);
  let tc: Toolchain;

  before(async function () {
    await requireEngine(this);
    tc = await toolchain();
  });

  function pulumi(args: string[], env: NodeJS.ProcessEnv = tc.env) {
    // The provider schema is several MiB: above spawnSync's default 1 MiB output buffer.
    return spawnSync(tc.pulumiBin, args, { env, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  }

  it("provides a CLI that prints the version it was resolved at", () => {
    const cli = component(tc, "pulumi");
    assert.equal(execFileSync(tc.pulumiBin, ["version"], { env: tc.env, encoding: "utf8" }).trim(), `v${cli.version}`);
  });

  it("provides the CLI at the version package.json pins", () => {
    assert.equal(component(tc, "pulumi").version, pins.cli);
  });

  it("provides a kubernetes provider that serves the version it was resolved at", () => {
    const provider = component(tc, "pulumi-resource-kubernetes");
    const result = pulumi(["package", "get-schema", provider.path]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).version, provider.version);
  });

  it("sets an environment that turns plugin downloads and update checks off and keeps ambient plugins on", () => {
    assert.deepEqual(
      {
        acquisition: tc.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION,
        updateCheck: tc.env.PULUMI_SKIP_UPDATE_CHECK,
        ignoreAmbient: tc.env.PULUMI_IGNORE_AMBIENT_PLUGINS,
      },
      { acquisition: "true", updateCheck: "true", ignoreAmbient: undefined },
    );
  });

  it("puts the policy-pack launcher on the PATH it hands the CLI", () => {
    assert.ok((tc.env.PATH ?? "").split(path.delimiter).includes(launcherDir));
  });

  it("keeps what it builds in the cache outside the repository", () => {
    const built = tc.tools.filter((c) => c.source === "build" || c.source === "cache");
    for (const c of built) {
      assert.ok(c.path.startsWith(cacheRoot() + path.sep), `${c.name} at ${c.path}`);
    }
  });

  it("serves a second run from the cache or PATH without building or downloading", async () => {
    const progress = recorder();
    const again = await ensureToolchain({ reporter: progress });
    assert.deepEqual(
      again.tools.map((c) => [c.name, c.source === "cache" || c.source === "path" ? "reused" : c.source]),
      tc.tools.map((c) => [c.name, "reused"]),
    );
  });

  it("explains an unknown provider name by listing the ones package.json pins", async () => {
    await assert.rejects(ensureToolchain({ providers: ["nope"], reporter: recorder() }), /unknown provider "nope": package\.json pins .*kubernetes/);
  });
});

describe("toolchain in a real preview (inline program, empty PULUMI_HOME, downloads off)", function () {
  this.timeout(10 * 60_000);
  let tc: Toolchain;
  let stack: Stack;
  let state = "allowed";

  before(async function () {
    await requireEngine(this);
    tc = await toolchain();
    const work = tempDir("atlas-launcher-");
    // The file backend refuses a state directory that does not exist.
    fs.mkdirSync(path.join(work, "state"));
    const program = async () => {
      const provider = new k8s.Provider("render", { renderYamlToDirectory: path.join(work, "rendered") });
      new k8s.core.v1.ConfigMap("probe", { metadata: { name: "probe" }, data: { state } }, { provider });
    };
    const { pulumiCommand, envVars } = await automationOptions(tc);
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "launcher", projectName: "toolchain-launcher", program },
      {
        workDir: work,
        pulumiCommand,
        envVars: { ...envVars, PULUMI_HOME: path.join(work, "home"), PULUMI_CONFIG_PASSPHRASE: "toolchain-launcher-test" },
        projectSettings: { name: "toolchain-launcher", runtime: "nodejs", backend: { url: `file://${path.join(work, "state")}` } },
      },
    );
  });

  it("loads the kubernetes provider from PATH without downloading it", async () => {
    state = "allowed";
    const result = await stack.preview();
    assert.match(result.stdout, /using pulumi-resource-kubernetes from \$PATH/);
  });

  it("runs a TypeScript pack through the launcher during preview", async () => {
    state = "allowed";
    const result = await stack.preview({ policyPacks: [fixturePack] });
    assert.match(result.stdout, /using pulumi-analyzer-policy-nodejs from \$PATH/);
  });

  it("passes preview of a compliant program", async () => {
    state = "allowed";
    const result = await stack.preview({ policyPacks: [fixturePack] });
    assert.match(result.stdout, /launcher-fixture@v0\.0\.1/);
  });

  it("fails preview on a mandatory violation and names the policy", async () => {
    state = "forbidden";
    await assert.rejects(stack.preview({ policyPacks: [fixturePack] }), (err: Error) => {
      assert.match(err.message, /\[mandatory\]\s+configmap-not-forbidden/);
      return true;
    });
  });
});

describe("policy-pack launcher (pulumi-analyzer-policy-nodejs)", () => {
  it("stops with the message the CLI recognises when @pulumi/pulumi cannot be resolved from the pack", () => {
    const result = spawnSync(path.join(launcherDir, "pulumi-analyzer-policy-nodejs"), ["127.0.0.1:1", "."], {
      cwd: tempDir("atlas-empty-pack-"),
      encoding: "utf8",
    });
    assert.deepEqual(
      { status: result.status, recognised: result.stderr.includes("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'") },
      { status: 1, recognised: true },
    );
  });
});
