import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { down, ephemeralDir, list, up } from "../../lib/cluster/ephemeral";
import { requireRealNodes } from "../support/nodeTier";
import { hostSnapshot, processesMentioning, runRoot } from "./support";

describe("ephemeral clusters (npm run ephemeral -- up|down|list)", function () {
  this.timeout(10 * 60 * 1000);
  const name = "t";
  let root: string;
  let stateHome: string | undefined;
  let slot: number | undefined;

  before(async function () {
    await requireRealNodes(this);
    root = await runRoot();
    // This run's own state directory: the clusters of the machine's user stay out of the test.
    // (Short: a node's runtime socket lives below it, within the 107 bytes of a socket path.)
    stateHome = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = path.join(root, "s");
  });

  after(async () => {
    if (root) {
      await down(name).catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    }
    if (stateHome === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = stateHome;
  });

  it("up brings a named cluster to a Ready atlas release whose Service answers", async () => {
    const r = await up(name, (l) => process.stderr.write(`    ${l}\n`));
    assert.match(r.smoke, /^200 /);
    assert.ok(fs.existsSync(r.kubeconfigPath));
    assert.match(r.imageRef, /@sha256:[0-9a-f]{64}$/);
  });

  it("list shows it running, with its slot", () => {
    const entry = list().find((e) => e.name === name);
    assert.equal(entry?.running, true);
    slot = entry?.slot;
    assert.ok(slot !== undefined);
  });

  it("down leaves no process, namespace, link, cgroup or data behind", async () => {
    assert.equal(await down(name), true);
    const after = hostSnapshot();
    assert.deepEqual(processesMentioning(ephemeralDir(name)), []);
    assert.deepEqual(after.netns.filter((n) => n.startsWith(`atlas${slot}-`)), []);
    assert.deepEqual(after.links.filter((l) => l === `atlas${slot}h`), []);
    assert.equal(fs.existsSync(`/sys/fs/cgroup/memory/atlas${slot}`), false);
    assert.equal(fs.existsSync(ephemeralDir(name)), false);
    assert.deepEqual(list().filter((e) => e.name === name), []);
  });
});
