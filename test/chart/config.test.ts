import { strict as assert } from "assert";
import { containersOf, K8sObject, podSpecOf, profiles, renderChart, renderProfile } from "../support/chart";

const configMap = (objs: K8sObject[]) => objs.find((o) => o.kind === "ConfigMap")!;
const STORE_KEYS = ["ATLAS_STORE_ACCESS_KEY", "ATLAS_STORE_SECRET_KEY"];

describe("chart: runtime config in the ConfigMap", () => {
  const data = configMap(renderProfile("default")).data;

  for (const key of [
    "ATLAS_MAX_SEQUENCE_BASES",
    "ATLAS_SEQUENCE_API_KEY_REQUIRED_BASES",
    "ATLAS_SEQUENCE_TTL_MS",
    "ATLAS_SEQUENCE_RATE_LIMIT_CAPACITY",
    "ATLAS_SEQUENCE_RATE_LIMIT_REFILL_PER_SEC",
    "ATLAS_CACHED_ONLY_MODE",
    "ATLAS_CACHE_MAX_DISK_BYTES",
    "ATLAS_PINNED_DATASETS",
    "ATLAS_CONCURRENCY_CHEAP",
    "ATLAS_CONCURRENCY_MEDIUM",
    "ATLAS_CONCURRENCY_HEAVY",
  ]) {
    it(`carries ${key}`, () => assert.equal(typeof data[key], "string"));
  }

  it("has only ATLAS_* keys, all strings", () => {
    for (const [k, v] of Object.entries(data)) {
      assert.match(k, /^ATLAS_[A-Z0-9_]+$/);
      assert.equal(typeof v, "string", k);
    }
  });

  it("maps values to keys: sequence knobs, cache cap and concurrency caps", () => {
    const d = configMap(renderChart({ values: { server: { sequence: { maxBases: 5000 } }, cache: { maxDiskBytes: 1024 }, concurrency: { heavy: 3 } } })).data;
    assert.equal(d.ATLAS_MAX_SEQUENCE_BASES, "5000");
    assert.equal(d.ATLAS_CACHE_MAX_DISK_BYTES, "1024");
    assert.equal(d.ATLAS_CONCURRENCY_HEAVY, "3");
  });

  it("renders large byte counts as plain integers, not floats", () => {
    assert.equal(configMap(renderProfile("node-local-ssd")).data.ATLAS_CACHE_MAX_DISK_BYTES, "193273528320");
  });

  it("offline sets ATLAS_CACHED_ONLY_MODE=true and lists the pinned datasets", () => {
    const d = configMap(renderProfile("offline")).data;
    assert.equal(d.ATLAS_CACHED_ONLY_MODE, "true");
    assert.equal(d.ATLAS_PINNED_DATASETS, "GRCh38/release-112,GRCm39/release-112");
    assert.equal(d.ATLAS_STORE_ENDPOINT, "");
    assert.equal(d.ATLAS_CATALOG_URL, "");
  });

  it("default is not cached-only", () => assert.equal(data.ATLAS_CACHED_ONLY_MODE, "false"));
});

describe("chart: store credentials only through a Secret", () => {
  for (const profile of profiles) {
    it(`${profile.name}: no ConfigMap carries a store credential key`, () => {
      for (const cm of renderProfile(profile.name).filter((o) => o.kind === "ConfigMap")) {
        for (const k of STORE_KEYS) assert.equal(cm.data?.[k], undefined);
      }
    });

    it(`${profile.name}: containers get store credentials only via secretKeyRef`, () => {
      for (const obj of renderProfile(profile.name)) {
        const pod = podSpecOf(obj);
        for (const c of pod ? containersOf(pod.spec) : []) {
          for (const e of c.env ?? []) {
            if (STORE_KEYS.includes(e.name)) {
              assert.equal(e.value, undefined, `${c.name}: literal ${e.name}`);
              assert.equal(e.valueFrom?.secretKeyRef?.key, e.name);
            }
          }
        }
      }
    });
  }

  it("created Secret holds both keys and the pods reference it", () => {
    const objs = renderProfile("all-features");
    const secret = objs.find((o) => o.kind === "Secret")!;
    assert.deepEqual(Object.keys(secret.data).sort(), STORE_KEYS);
    assert.equal(Buffer.from(secret.data.ATLAS_STORE_SECRET_KEY, "base64").toString(), "test-secret-key");
    const server = objs.find((o) => o.kind === "Rollout")!.spec.template.spec.containers[0];
    const refs = server.env.map((e: any) => e.valueFrom.secretKeyRef.name);
    assert.deepEqual(refs, [secret.metadata.name, secret.metadata.name]);
  });

  it("references an existing Secret without rendering one", () => {
    const objs = renderChart({ values: { store: { credentials: { existingSecret: "atlas-store-creds" } } } });
    assert.equal(objs.filter((o) => o.kind === "Secret").length, 0);
    const env = objs.find((o) => o.kind === "Deployment")!.spec.template.spec.containers[0].env;
    assert.deepEqual(env.map((e: any) => e.valueFrom.secretKeyRef.name), ["atlas-store-creds", "atlas-store-creds"]);
  });

  it("refuses store credential keys in server.extraConfig", () => {
    assert.throws(() => renderChart({ values: { server: { extraConfig: { ATLAS_STORE_SECRET_KEY: "x" } } } }), /server\.extraConfig/);
  });
});

describe("chart: config checksum rolls pods", () => {
  const checksum = (objs: K8sObject[]) => objs.find((o) => o.kind === "Deployment")!.spec.template.metadata.annotations["checksum/config"];

  it("changes when the runtime config changes", () => {
    assert.notEqual(checksum(renderProfile("default")), checksum(renderChart({ values: { concurrency: { heavy: 9 } } })));
  });

  it("is stable when nothing changes", () => {
    assert.equal(checksum(renderProfile("default")), checksum(renderProfile("default")));
  });

  it("changes when a created Secret changes", () => {
    const secretSum = (key: string) =>
      renderChart({ values: { store: { credentials: { create: true, accessKey: "a", secretKey: key } } } }).find((o) => o.kind === "Deployment")!
        .spec.template.metadata.annotations["checksum/secret"];
    assert.notEqual(secretSum("one"), secretSum("two"));
  });
});
