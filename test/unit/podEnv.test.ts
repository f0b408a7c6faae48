/**
 * A container's environment as the pod runner resolves it (lib/server/pod/env.ts), checked
 * against the kubelet's documented behaviour ("Define Dependent Environment Variables", "Expose Pod
 * Information to Containers Through Environment Variables", the EnvVar and EnvFromSource API
 * reference): one compliant baseline pod and named mutations of it, no binaries.
 */
import { strict as assert } from "assert";
import { K8sObject } from "../../contract/k8s";
import { containerEnv, PodFacts } from "../../lib/server/pod/env";
import { PodSpecError } from "../../lib/server/pod/errors";

const namespace = "atlas-test";
const podIP = "10.244.0.7";
const image = { env: { PATH: "/usr/bin:/bin" } };

/** The baseline: a ConfigMap, a Secret and a pod whose one container reads a key of each. */
function baseline(): K8sObject[] {
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "atlas-runtime", namespace }, data: { LOG_LEVEL: "info", SHARED: "from-runtime" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "atlas-tuning", namespace }, data: { SHARED: "from-tuning", WORKERS: "4" } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "atlas-store-credentials", namespace }, type: "Opaque", data: { bearer: Buffer.from("s3cr3t-token").toString("base64") } },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "atlas-0", namespace, labels: { app: "atlas" } },
      spec: {
        enableServiceLinks: false,
        containers: [
          {
            name: "server",
            image: "bijux-atlas:0.2.2",
            resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            env: [
              { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "atlas-runtime", key: "LOG_LEVEL" } } },
              { name: "TOKEN", valueFrom: { secretKeyRef: { name: "atlas-store-credentials", key: "bearer" } } },
            ],
          },
        ],
      },
    },
  ];
}

const pod = (objects: K8sObject[]): any => objects.find((o) => o.kind === "Pod")!;
const server = (objects: K8sObject[]): any => pod(objects).spec.containers[0];
const addEnv = (objects: K8sObject[], ...vars: any[]) => {
  server(objects).env.push(...vars);
  return objects;
};

/** Mutations: each changes one thing of the baseline. */
const mutations = {
  /** A key ref to a ConfigMap that is not among the objects. */
  missingConfigMap: (o: K8sObject[]) => addEnv(o, { name: "MODE", valueFrom: { configMapKeyRef: { name: "atlas-missing", key: "MODE" } } }),
  /** A key ref to a key the ConfigMap does not have. */
  missingKey: (o: K8sObject[]) => addEnv(o, { name: "MODE", valueFrom: { configMapKeyRef: { name: "atlas-runtime", key: "MODE" } } }),
  /** The same two refs, marked optional. */
  optionalMissing: (o: K8sObject[]) =>
    addEnv(
      o,
      { name: "MODE", valueFrom: { configMapKeyRef: { name: "atlas-missing", key: "MODE", optional: true } } },
      { name: "EXTRA_TOKEN", valueFrom: { secretKeyRef: { name: "atlas-store-credentials", key: "extra", optional: true } } },
    ),
  /** Both ConfigMaps loaded whole, the first with a prefix. */
  envFrom: (prefix: string) => (o: K8sObject[]) => {
    server(o).envFrom = [{ configMapRef: { name: "atlas-runtime" }, prefix }, { configMapRef: { name: "atlas-tuning" } }];
    return o;
  },
  /** Both ConfigMaps loaded whole without prefix (both have SHARED), and env sets WORKERS too. */
  envFromOverlap: (o: K8sObject[]) => {
    server(o).envFrom = [{ configMapRef: { name: "atlas-runtime" } }, { configMapRef: { name: "atlas-tuning" } }];
    return addEnv(o, { name: "WORKERS", value: "8" });
  },
  /** The example of "Define Dependent Environment Variables". */
  dependentVars: (o: K8sObject[]) =>
    addEnv(
      o,
      { name: "SERVICE_PORT", value: "80" },
      { name: "SERVICE_IP", value: "172.17.0.1" },
      { name: "UNCHANGED_REFERENCE", value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)" },
      { name: "PROTOCOL", value: "https" },
      { name: "SERVICE_ADDRESS", value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)" },
      { name: "ESCAPED_REFERENCE", value: "$$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)" },
    ),
  /** A value that uses a variable loaded by envFrom. */
  referToEnvFrom: (o: K8sObject[]) => addEnv(mutations.envFrom("")(o), { name: "POOL", value: "workers=$(WORKERS)" }),
  /** A value that names a variable nobody defines. */
  undefinedReference: (o: K8sObject[]) => addEnv(o, { name: "URL", value: "http://$(NOWHERE):80" }),
  /** A value with an unclosed "$(" followed by an escaped "$$". */
  unclosedReference: (o: K8sObject[]) => addEnv(o, { name: "TEXT", value: "$(open $$ end" }),
  /** Downward API: the pod's name, namespace and address. */
  podFields: (o: K8sObject[]) =>
    addEnv(
      o,
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    ),
  /** Downward API: a resource of the container, with a divisor. */
  resource: (resource: string, divisor?: string) => (o: K8sObject[]) => addEnv(o, { name: "RESOURCE", valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } } }),
  /** The container's CPU limit, in a quantity floating point gets wrong. */
  cpuLimit: (cpu: string) => (o: K8sObject[]) => {
    server(o).resources.limits.cpu = cpu;
    return o;
  },
  /** The container sets limits only. */
  limitsOnly: (o: K8sObject[]) => {
    delete server(o).resources.requests;
    return o;
  },
  /** An explicitly empty value next to a valueFrom. */
  emptyValueWithSource: (o: K8sObject[]) => addEnv(o, { name: "LEVEL2", value: "", valueFrom: { configMapKeyRef: { name: "atlas-runtime", key: "LOG_LEVEL" } } }),
  /** The ConfigMap carries a binaryData key and is loaded whole. */
  binaryData: (o: K8sObject[]) => {
    o.find((x) => x.metadata?.name === "atlas-runtime")!.binaryData = { BLOB: Buffer.from("bytes").toString("base64") };
    server(o).envFrom = [{ configMapRef: { name: "atlas-runtime" } }];
    return o;
  },
  /** Service links on, with a Service in the namespace whose link variable envFrom also sets. */
  serviceLinks: (o: K8sObject[]) => {
    pod(o).spec.enableServiceLinks = true;
    o.push({ apiVersion: "v1", kind: "Service", metadata: { name: "bijux-atlas", namespace }, spec: { clusterIP: "10.96.0.20", ports: [{ name: "http", port: 80 }] } });
    o.find((x) => x.metadata?.name === "atlas-tuning")!.data.BIJUX_ATLAS_SERVICE_PORT = "8080";
    server(o).envFrom = [{ configMapRef: { name: "atlas-tuning" } }];
    return o;
  },
};

function factsOf(objects: K8sObject[]): PodFacts {
  const p = pod(objects);
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    uid: "0b5c6a4e-2f1d-4c9e-9a51-6f0e8d3c2b1a",
    labels: p.metadata.labels ?? {},
    annotations: p.metadata.annotations ?? {},
    podIP,
    hostIP: "192.168.0.2",
    nodeName: "node-1",
    serviceAccountName: "default",
    spec: p.spec,
  };
}

/** The kubelet's part of the environment (what the container gets besides the image's env and HOSTNAME). */
function resolve(objects: K8sObject[]): Record<string, string> {
  return containerEnv(objects, factsOf(objects), server(objects), image, "atlas-0", "pod atlas-0 container server").kubelet;
}

const pick = (env: Record<string, string>, ...names: string[]) => Object.fromEntries(names.map((n) => [n, env[n]]));

describe("container environment (kubelet semantics)", () => {
  describe("the baseline pod", () => {
    it("resolves a configMapKeyRef to the ConfigMap's value", () => {
      assert.equal(resolve(baseline()).LEVEL, "info");
    });

    it("resolves a secretKeyRef to the Secret's base64-decoded value", () => {
      assert.equal(resolve(baseline()).TOKEN, "s3cr3t-token");
    });

    it("puts the image's env and HOSTNAME under the kubelet's variables", () => {
      const o = baseline();
      const { env } = containerEnv(o, factsOf(o), server(o), image, "atlas-0", "server");
      assert.deepEqual(env, { PATH: "/usr/bin:/bin", HOSTNAME: "atlas-0", LEVEL: "info", TOKEN: "s3cr3t-token" });
    });
  });

  describe("references to ConfigMaps and Secrets", () => {
    it("refuses a key ref to a missing ConfigMap, naming the object and the key", () => {
      assert.throws(() => resolve(mutations.missingConfigMap(baseline())), (e: Error) => e instanceof PodSpecError && /env MODE: ConfigMap atlas-test\/atlas-missing is referenced for key MODE but not among/.test(e.message));
    });

    it("refuses a key ref to a key the ConfigMap lacks, naming the object, the key and the keys it has", () => {
      assert.throws(() => resolve(mutations.missingKey(baseline())), /env MODE: ConfigMap atlas-test\/atlas-runtime has no key MODE \(keys: LOG_LEVEL, SHARED\)/);
    });

    it("leaves a variable unset when its optional object or key is missing", () => {
      const env = resolve(mutations.optionalMissing(baseline()));
      assert.deepEqual(["MODE" in env, "EXTRA_TOKEN" in env], [false, false]);
    });

    it("resolves valueFrom when value is the empty string", () => {
      assert.equal(resolve(mutations.emptyValueWithSource(baseline())).LEVEL2, "info");
    });
  });

  describe("envFrom", () => {
    it("loads every key of the source under its prefix", () => {
      const env = resolve(mutations.envFrom("RT_")(baseline()));
      assert.deepEqual(pick(env, "RT_LOG_LEVEL", "RT_SHARED", "LOG_LEVEL"), { RT_LOG_LEVEL: "info", RT_SHARED: "from-runtime", LOG_LEVEL: undefined });
    });

    it("lets the later source win a key two sources share", () => {
      assert.equal(resolve(mutations.envFromOverlap(baseline())).SHARED, "from-tuning");
    });

    it("lets env win over envFrom", () => {
      assert.equal(resolve(mutations.envFromOverlap(baseline())).WORKERS, "8");
    });

    it("does not expose a ConfigMap's binaryData as variables", () => {
      assert.equal("BLOB" in resolve(mutations.binaryData(baseline())), false);
    });
  });

  describe("$(VAR) references", () => {
    it("expands variables defined earlier, keeps references to later ones and unescapes $$ (the documented example)", () => {
      const env = resolve(mutations.dependentVars(baseline()));
      assert.deepEqual(pick(env, "UNCHANGED_REFERENCE", "SERVICE_ADDRESS", "ESCAPED_REFERENCE"), {
        UNCHANGED_REFERENCE: "$(PROTOCOL)://172.17.0.1:80",
        SERVICE_ADDRESS: "https://172.17.0.1:80",
        ESCAPED_REFERENCE: "$(PROTOCOL)://172.17.0.1:80",
      });
    });

    it("expands variables loaded by envFrom", () => {
      assert.equal(resolve(mutations.referToEnvFrom(baseline())).POOL, "workers=4");
    });

    it("leaves a reference to an undefined variable as written", () => {
      assert.equal(resolve(mutations.undefinedReference(baseline())).URL, "http://$(NOWHERE):80");
    });

    it("keeps an unclosed $( and still unescapes what follows it", () => {
      assert.equal(resolve(mutations.unclosedReference(baseline())).TEXT, "$(open $ end");
    });
  });

  describe("downward API", () => {
    it("gives fieldRef metadata.name, metadata.namespace and status.podIP", () => {
      const env = resolve(mutations.podFields(baseline()));
      assert.deepEqual(pick(env, "POD_NAME", "POD_NAMESPACE", "POD_IP"), { POD_NAME: "atlas-0", POD_NAMESPACE: namespace, POD_IP: podIP });
    });

    it("gives resourceFieldRef limits.memory divided by the divisor", () => {
      assert.equal(resolve(mutations.resource("limits.memory", "1Mi")(baseline())).RESOURCE, "512");
    });

    it("rounds a CPU value up to whole divisors (250m with the default divisor 1 is 1)", () => {
      assert.equal(resolve(mutations.resource("requests.cpu")(baseline())).RESOURCE, "1");
    });

    it("divides CPU in exact millicores, without floating-point error (1001m / 1m is 1001)", () => {
      assert.equal(resolve(mutations.resource("limits.cpu", "1m")(mutations.cpuLimit("1001m")(baseline()))).RESOURCE, "1001");
    });

    it("reads a request the container does not set as its limit, as the API server defaults it", () => {
      assert.equal(resolve(mutations.resource("requests.memory", "1Mi")(mutations.limitsOnly(baseline()))).RESOURCE, "512");
    });
  });

  describe("service links", () => {
    it("injects the namespace's Service variables, below envFrom and env", () => {
      const env = resolve(mutations.serviceLinks(baseline()));
      assert.deepEqual(pick(env, "BIJUX_ATLAS_SERVICE_HOST", "BIJUX_ATLAS_SERVICE_PORT", "BIJUX_ATLAS_PORT_80_TCP_ADDR"), {
        BIJUX_ATLAS_SERVICE_HOST: "10.96.0.20",
        BIJUX_ATLAS_SERVICE_PORT: "8080",
        BIJUX_ATLAS_PORT_80_TCP_ADDR: "10.96.0.20",
      });
    });
  });
});
