import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { loadStackConfig } from "../../config/load";
import { DeclaredResource, named, runProgram, runStack, stackConfig, StackRun } from "../support/stack";

const accessKey = "AKIATESTACCESSKEY01";
const secretKey = "test-secret-key/with+chars=";
const credentials = { "atlas:store.credentials.accessKey": accessKey, "atlas:store.credentials.secretKey": secretKey };

/** A copy of `value` without the dotted paths listed (the ones that are secret). */
function withoutPaths(value: any, paths: string[], at = ""): any {
  if (paths.includes(at)) return "[secret]";
  if (Array.isArray(value)) return value.map((v, i) => withoutPaths(v, paths, `${at}[${i}]`));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPaths(v, paths, at ? `${at}.${k}` : k)]));
  }
  return value;
}

/** Where a credential (plain or base64) shows outside secret values. */
function leaks(run: StackRun): string[] {
  const needles = [accessKey, secretKey].flatMap((s) => [s, Buffer.from(s).toString("base64")]);
  const exposed = (label: string, value: unknown) => (needles.some((n) => JSON.stringify(value ?? null).includes(n)) ? [label] : []);
  return [
    ...run.resources.flatMap((r: DeclaredResource) => [
      ...exposed(`${r.name} inputs`, withoutPaths(r.inputs, r.secretInputs)),
      ...exposed(`${r.name} outputs`, withoutPaths(r.outputs, r.secretOutputs)),
    ]),
    ...exposed("stack outputs", withoutPaths(run.outputs, run.secretOutputs)),
  ];
}

describe("secrets", () => {
  let run: StackRun;
  before(async () => {
    run = await runStack("dev", { secrets: credentials });
  });

  it("reads the store credentials as secret Outputs and keeps no plain copy in the config", async () => {
    const { config, secretKeys } = stackConfig("dev", { secrets: credentials });
    let loaded: ReturnType<typeof loadStackConfig> | undefined;
    await runProgram(() => void (loaded = loadStackConfig()), { stack: "dev", config, secretKeys });
    assert.equal(await pulumi.isSecret(loaded!.credentials!.accessKey), true);
    assert.equal(await pulumi.isSecret(loaded!.credentials!.secretKey), true);
    assert.equal(JSON.stringify(loaded!.config).includes(accessKey), false);
  });

  it("hands the credentials to the chart as secret values, and nothing else as secret", () => {
    assert.deepEqual(named(run, "atlas-chart").secretInputs.sort(), ["values.store.credentials.accessKey", "values.store.credentials.secretKey"]);
    assert.equal(named(run, "atlas-chart").inputs.values.store.credentials.create, true);
  });

  it("keeps the payload of the Secret the chart renders secret", () => {
    const secret = run.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    assert.deepEqual(secret.secretInputs, ["data"]);
    assert.equal(Buffer.from(secret.inputs.data.ATLAS_STORE_SECRET_KEY, "base64").toString(), secretKey);
  });

  it("shows the credentials in no non-secret input, output or stack output", () => {
    assert.deepEqual(leaks(run), []);
  });

  it("would notice a leak: the check sees a credential in a plain value", () => {
    const planted = { ...run, outputs: { ...run.outputs, oops: Buffer.from(secretKey).toString("base64") } };
    assert.deepEqual(leaks(planted), ["stack outputs"]);
  });

  it("exports no secret stack output", () => {
    assert.deepEqual(run.secretOutputs, []);
  });

  it("keeps all chart values secret when another key was set as a secret", async () => {
    const secretCatalog = await runStack("dev", { secrets: { "atlas:server.catalogUrl": "https://catalog.internal/v1?token=abc" } });
    assert.deepEqual(named(secretCatalog, "atlas-chart").secretInputs, ["values"]);
  });
});
