import { strict as assert } from "assert";
import { profiles, renderProfile } from "../../lib/chartProfiles";
import { openApiProblems } from "../support/openapi";

describe("chart: every rendered object validates against its OpenAPI schema (offline)", () => {
  for (const profile of profiles) {
    for (const obj of renderProfile(profile.name)) {
      it(`${profile.name}: ${obj.apiVersion} ${obj.kind}/${obj.metadata.name}`, async () => {
        assert.deepEqual(await openApiProblems(obj), []);
      });
    }
  }
});

describe("strict OpenAPI validation", () => {
  const deployment = () => structuredClone(renderProfile("default").find((o) => o.kind === "Deployment")!);

  it("rejects a misspelt field", async () => {
    const d = deployment();
    d.spec.template.spec.containers[0].securityContex = d.spec.template.spec.containers[0].securityContext;
    delete d.spec.template.spec.containers[0].securityContext;
    assert.deepEqual(await openApiProblems(d), ["/spec/template/spec/containers/0/securityContex: unknown field (not in the Deployment schema)"]);
  });

  it("rejects a wrongly typed field", async () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = "http";
    assert.match((await openApiProblems(d)).join("\n"), /containerPort/);
  });

  it("rejects a misspelt field inside a custom resource", async () => {
    const rollout = structuredClone(renderProfile("all-features").find((o) => o.kind === "Rollout")!);
    rollout.spec.strategy.canary.stepz = rollout.spec.strategy.canary.steps;
    assert.ok((await openApiProblems(rollout)).some((p) => p.startsWith("/spec/strategy/canary/stepz")));
  });
});
