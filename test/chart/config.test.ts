import { strict as assert } from "assert";
import { env, secretEnvKeys } from "../../contract/env";
import { paths } from "../../contract/pod";
import { serverEnvAllowlist } from "../../contract/serverEnvAllowlist.generated";
import { K8sObject, profiles, renderProfile } from "../../lib/chartProfiles";
import { containersOf, helmTemplate, podSpecOf, renderChart } from "../support/chart";

const configMap = (objs: K8sObject[]) => objs.find((o) => o.kind === "ConfigMap" && !o.metadata.name.endsWith("-warmup"))!;
const server = (objs: K8sObject[]) => objs.find((o) => o.kind === "Deployment" || o.kind === "Rollout")!.spec.template.spec.containers[0];

describe("chart: runtime config in the ConfigMap, under the pinned server's names", () => {
  for (const profile of profiles) {
    it(`${profile.name}: every key is in the server's env allowlist`, () => {
      for (const key of Object.keys(configMap(renderProfile(profile.name)).data)) assert.ok(serverEnvAllowlist.includes(key), `${key} would stop the server at start`);
    });

    it(`${profile.name}: every value is a string`, () => {
      for (const [k, v] of Object.entries(configMap(renderProfile(profile.name)).data)) assert.equal(typeof v, "string", k);
    });
  }

  const data = configMap(renderProfile("default")).data;

  it("binds all interfaces on the server port", () => assert.equal(data[env.bind], "0.0.0.0:8080"));

  it("puts the cache at /cache", () => assert.equal(data[env.cacheRoot], paths.cache));

  it("carries the five sequence knobs under the contract's names", () => {
    assert.deepEqual(
      ["ATLAS_MAX_SEQUENCE_BASES", "ATLAS_SEQUENCE_API_KEY_REQUIRED_BASES", "ATLAS_SEQUENCE_TTL_MS", "ATLAS_SEQUENCE_RATE_LIMIT_CAPACITY", "ATLAS_SEQUENCE_RATE_LIMIT_REFILL_PER_SEC"].map((k) => data[k]),
      ["100000", "10000", "300000", "20", "5"],
    );
  });

  it("turns an HTTP store into the server's S3-like backend", () => {
    assert.equal(data[env.storeS3Enabled], "true");
    assert.equal(data[env.storeS3BaseUrl], "https://store.atlas.internal/releases/");
    assert.equal(data[env.allowPrivateStoreHosts], "false");
  });

  it("waits for the catalog when not cached-only", () => {
    assert.equal(data[env.cachedOnlyMode], "false");
    assert.equal(data[env.readinessRequiresCatalog], "true");
  });

  it("gives the jitter and the drain in milliseconds", () => {
    const d = configMap(renderChart({ values: { cache: { warmupJitterSeconds: 7 }, server: { shutdownDrainSeconds: 4 } } })).data;
    assert.equal(d[env.startupWarmupJitterMaxMs], "7000");
    assert.equal(d[env.shutdownDrainMs], "4000");
  });

  it("maps values to keys: sequence knob, cache cap and heavy concurrency", () => {
    const d = configMap(renderChart({ values: { server: { sequence: { maxBases: 5000 } }, cache: { maxDiskBytes: 1024 }, concurrency: { heavy: 3, queueDepth: 99 } } })).data;
    assert.deepEqual([d.ATLAS_MAX_SEQUENCE_BASES, d[env.maxDiskBytes], d[env.heavyWorkerPoolSize], d[env.maxRequestQueueDepth]], ["5000", "1024", "3", "99"]);
  });

  it("renders large byte counts as plain integers, not floats", () => {
    assert.equal(configMap(renderProfile("prod")).data[env.maxDiskBytes], "193273528320");
  });

  it("warms the pinned datasets up only when initPrewarm is on", () => {
    assert.equal(data[env.startupWarmup], undefined);
    const d = configMap(renderChart({ values: { cache: { initPrewarm: { enabled: true }, pinnedDatasets: ["112/homo_sapiens/GRCh38", "1/x_y/Z1"] } } })).data;
    assert.equal(d[env.startupWarmup], "112/homo_sapiens/GRCh38,1/x_y/Z1");
    assert.equal(d[env.pinnedDatasets], "112/homo_sapiens/GRCh38,1/x_y/Z1");
  });

  it("offline: cached-only, catalog not required, no store, the pinned datasets warmed up", () => {
    const d = configMap(renderProfile("offline")).data;
    assert.deepEqual([d[env.cachedOnlyMode], d[env.readinessRequiresCatalog], d[env.storeS3Enabled]], ["true", "false", undefined]);
    assert.equal(d[env.startupWarmup], "112/homo_sapiens/GRCh38,112/mus_musculus/GRCm39");
  });

  it("points the server at a mounted store claim", () => {
    const d = configMap(renderProfile("all-features")).data;
    assert.equal(d[env.storeRoot], paths.store);
    assert.equal(d[env.storeS3Enabled], undefined);
  });

  it("adds allowlisted extra settings", () => assert.equal(configMap(renderProfile("all-features")).data.ATLAS_REQUEST_TIMEOUT_MS, "30000"));

  it("refuses an extra setting the server does not know, naming it", () => {
    const r = helmTemplate({ values: { server: { extraConfig: { ATLAS_CONCURRENCY_HEAVY: 4 } } } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /extraConfig/);
  });

  it("refuses an extra setting the chart sets itself", () => assert.notEqual(helmTemplate({ values: { server: { extraConfig: { [env.bind]: "0.0.0.0:1" } } } }).status, 0));
});

describe("chart: the store's bearer token only through a Secret", () => {
  for (const profile of profiles) {
    it(`${profile.name}: no ConfigMap carries a credential key`, () => {
      for (const cm of renderProfile(profile.name).filter((o) => o.kind === "ConfigMap")) {
        for (const k of secretEnvKeys) assert.equal(cm.data?.[k], undefined, k);
      }
    });

    it(`${profile.name}: containers get credentials only via secretKeyRef`, () => {
      for (const obj of renderProfile(profile.name)) {
        const pod = podSpecOf(obj);
        for (const c of pod ? containersOf(pod.spec) : []) {
          for (const e of c.env ?? []) {
            if (!secretEnvKeys.includes(e.name)) continue;
            assert.equal(e.value, undefined, `${c.name}: literal ${e.name}`);
            assert.equal(e.valueFrom?.secretKeyRef?.key, e.name);
          }
        }
      }
    });
  }

  it("the created Secret holds the token and the server references it", () => {
    const objs = renderProfile("store-credentials");
    const secret = objs.find((o) => o.kind === "Secret")!;
    assert.deepEqual(Object.keys(secret.data), [env.storeBearer]);
    assert.equal(Buffer.from(secret.data[env.storeBearer], "base64").toString(), "test-bearer-token");
    assert.deepEqual(server(objs).env, [{ name: env.storeBearer, valueFrom: { secretKeyRef: { name: secret.metadata.name, key: env.storeBearer } } }]);
  });

  it("references an existing Secret without rendering one", () => {
    const objs = renderChart({ values: { store: { credentials: { existingSecret: "atlas-store-creds" } } } });
    assert.equal(objs.filter((o) => o.kind === "Secret").length, 0);
    assert.equal(server(objs).env[0].valueFrom.secretKeyRef.name, "atlas-store-creds");
  });

  it("never loads a Secret whole (envFrom): an unknown key in it would stop the server", () => {
    for (const profile of profiles) {
      for (const obj of renderProfile(profile.name)) {
        for (const c of containersOf(podSpecOf(obj)?.spec)) assert.ok(!(c.envFrom ?? []).some((s: any) => s.secretRef), c.name);
      }
    }
  });

  it("refuses credential keys in server.extraConfig", () => assert.notEqual(helmTemplate({ values: { server: { extraConfig: { [env.storeBearer]: "x" } } } }).status, 0));
});

describe("chart: config checksum rolls pods", () => {
  const checksum = (objs: K8sObject[]) => objs.find((o) => o.kind === "Deployment")!.spec.template.metadata.annotations["checksum/config"];

  it("changes when the runtime config changes", () => {
    assert.notEqual(checksum(renderProfile("default")), checksum(renderChart({ values: { concurrency: { heavy: 9 } } })));
  });

  it("is stable when nothing changes", () => assert.equal(checksum(renderProfile("default")), checksum(renderProfile("default"))));

  it("changes when a created Secret changes", () => {
    const secretSum = (token: string) =>
      renderChart({ values: { store: { credentials: { create: true, bearerToken: token } } } }).find((o) => o.kind === "Deployment")!.spec.template.metadata.annotations["checksum/secret"];
    assert.notEqual(secretSum("one"), secretSum("two"));
  });
});
