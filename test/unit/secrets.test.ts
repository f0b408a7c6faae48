import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { loadStackConfig } from "../../config/load";
import { stackConfig } from "../../config/stackFile";
import { DeclaredResource, named, runProgram, runStack, StackRun } from "../support/stack";

const bearerToken = "test-bearer-token/with+chars=";
const credentials = { "atlas:store.credentials.bearerToken": bearerToken };

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
  const needles = [bearerToken, Buffer.from(bearerToken).toString("base64")];
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

  it("reads the store's bearer token as a secret Output and keeps no plain copy in the config", async () => {
    const { config, secretKeys } = stackConfig("dev", { secrets: credentials });
    let loaded: ReturnType<typeof loadStackConfig> | undefined;
    await runProgram(() => void (loaded = loadStackConfig()), { stack: "dev", config, secretKeys });
    assert.equal(await pulumi.isSecret(loaded!.credentials!.bearerToken), true);
    assert.equal(JSON.stringify(loaded!.config).includes(bearerToken), false);
  });

  it("hands the token to the chart as a secret value, and nothing else as secret", () => {
    assert.deepEqual(named(run, "atlas-chart").secretInputs.sort(), ["values.store.credentials.bearerToken"]);
    assert.equal(named(run, "atlas-chart").inputs.values.store.credentials.create, true);
  });

  it("keeps the payload of the Secret the chart renders secret", () => {
    const secret = run.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    assert.deepEqual(secret.secretInputs, ["data"]);
    assert.equal(Buffer.from(secret.inputs.data.ATLAS_STORE_S3_BEARER, "base64").toString(), bearerToken);
  });

  it("shows the credentials in no non-secret input, output or stack output", () => {
    assert.deepEqual(leaks(run), []);
  });

  it("would notice a leak: the check sees a credential in a plain value", () => {
    const planted = { ...run, outputs: { ...run.outputs, oops: Buffer.from(bearerToken).toString("base64") } };
    assert.deepEqual(leaks(planted), ["stack outputs"]);
  });

  it("exports no secret stack output", () => {
    assert.deepEqual(run.secretOutputs, []);
  });

  it("keeps all chart values secret when another key was set as a secret", async () => {
    const secretServer = await runStack("dev", { secrets: { "atlas:server.extraConfig.ATLAS_LOG_JSON": "true" } });
    assert.deepEqual(named(secretServer, "atlas-chart").secretInputs, ["values"]);
  });
});
