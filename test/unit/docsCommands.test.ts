/**
 * The `pulumi config` commands the project documents, found without an engine: how many each
 * source gives (so a command the extraction stops seeing fails here, not silently in the engine
 * tier, which runs them), and that each writes under the `atlas:` namespace the program reads.
 */
import { strict as assert } from "assert";
import { keyPath } from "../../config/problems";
import { secretPaths } from "../../config/schema";
import { configCommandsIn, documentedCommands, errorHintCommands } from "../support/docsCommands";

const countBySource = (commands: { source: string }[]) => commands.reduce<Record<string, number>>((n, c) => ({ ...n, [c.source]: (n[c.source] ?? 0) + 1 }), {});

describe("documented config commands (found in the docs and the config error messages)", () => {
  const docs = documentedCommands();
  const hints = errorHintCommands();

  it("finds the README's five: four in its shell block, one in its prose", () => {
    assert.equal(countBySource(docs)["README.md"], 5, docs.map((c) => c.text).join("\n"));
  });

  it("finds the stack files' comments: one in Pulumi.offline.yaml, two in Pulumi.prod.yaml, none in Pulumi.dev.yaml", () => {
    const counts = countBySource(docs);
    assert.deepEqual([counts["Pulumi.offline.yaml"], counts["Pulumi.prod.yaml"], counts["Pulumi.dev.yaml"]], [1, 2, undefined]);
  });

  it("finds three in the config error messages: the credential's --secret hint and the fix line of each message", () => {
    assert.equal(hints.length, 3, hints.map((c) => `${c.source}: ${c.text}`).join("\n"));
  });

  it("every one writes under the atlas: namespace", () => {
    assert.deepEqual([...docs, ...hints].filter((c) => !c.key.startsWith("atlas:")).map((c) => `${c.source}: ${c.text}`), []);
  });

  it("every credential is set with --secret", () => {
    const credentials = secretPaths.map(keyPath);
    assert.deepEqual([...docs, ...hints].filter((c) => credentials.includes(c.key) && !c.secret).map((c) => `${c.source}: ${c.text}`), []);
  });
});

describe("config command extraction", () => {
  it("reads a shell line, dropping its trailing comment", () => {
    const [c] = configCommandsIn("t", "pulumi config set --path atlas:server.port 8081 -s dev   # another port");
    assert.deepEqual(c, { source: "t", text: "pulumi config set --path atlas:server.port 8081 -s dev", verb: "set", stack: "dev", key: "atlas:server.port", value: "8081", secret: false });
  });

  it("reads a YAML comment line and unquotes a quoted key", () => {
    const [c] = configCommandsIn("t", "#   pulumi config set --path 'atlas:cache.pinnedDatasets[0]' 112/homo_sapiens/GRCh38 -s prod");
    assert.deepEqual([c.key, c.value, c.stack], ["atlas:cache.pinnedDatasets[0]", "112/homo_sapiens/GRCh38", "prod"]);
  });

  it("reads an inline code span in prose, leaving the stack unset when it names none", () => {
    const [c] = configCommandsIn("t", "In a stack: `pulumi config set --path atlas:cluster.target local` (data in ...)");
    assert.deepEqual([c.key, c.value, c.stack], ["atlas:cluster.target", "local", undefined]);
  });

  it("reads rm with no value and --secret as a secret", () => {
    const [rm, secret] = configCommandsIn("t", "pulumi config rm --path atlas:store.url -s dev\npulumi config set --secret --path atlas:store.credentials.bearerToken <token> -s dev");
    assert.deepEqual([rm.verb, rm.value, secret.secret, secret.value], ["rm", "", true, "<token>"]);
  });

  it("takes no bare mention of the command for one", () => {
    assert.deepEqual(configCommandsIn("t", "without it, `pulumi config set` writes under the project's namespace"), []);
  });
});
