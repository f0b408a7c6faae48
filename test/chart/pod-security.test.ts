import { strict as assert } from "assert";
import { componentLabel } from "../../contract/labels";
import { writablePathsOf } from "../../contract/pod";
import { K8sObject, profiles, renderProfile } from "../../lib/chartProfiles";
import { containersOf, podSpecOf } from "../support/chart";

/** Every pod-bearing object of every profile, with its pod template. */
const podBearers: { profile: string; obj: K8sObject; pod: { metadata?: any; spec: any } }[] = [];
for (const profile of profiles) {
  for (const obj of renderProfile(profile.name)) {
    const pod = podSpecOf(obj);
    if (pod) podBearers.push({ profile: profile.name, obj, pod });
  }
}

describe("chart: security defaults on every pod (Pod Security Standard restricted)", () => {
  it("renders pod-bearing objects in every profile", () => {
    for (const profile of profiles) {
      assert.ok(podBearers.some((p) => p.profile === profile.name), `no pod-bearing object in ${profile.name}`);
    }
  });

  for (const { profile, obj, pod } of podBearers) {
    const id = `${profile}: ${obj.kind}/${obj.metadata.name}`;
    describe(id, () => {
      it("pod runs as non-root with RuntimeDefault seccomp", () => {
        const sc = pod.spec.securityContext;
        assert.equal(sc.runAsNonRoot, true);
        assert.notEqual(sc.runAsUser, 0);
        assert.equal(sc.seccompProfile?.type, "RuntimeDefault");
      });

      it("uses no host namespaces, host ports or hostPath volumes", () => {
        assert.ok(!pod.spec.hostNetwork && !pod.spec.hostPID && !pod.spec.hostIPC);
        for (const v of pod.spec.volumes ?? []) assert.equal(v.hostPath, undefined, `hostPath volume ${v.name}`);
        for (const c of containersOf(pod.spec)) {
          for (const port of c.ports ?? []) assert.equal(port.hostPort, undefined, `${c.name} hostPort`);
        }
      });

      for (const c of containersOf(pod.spec)) {
        it(`container ${c.name}: non-root, read-only root, no privilege escalation, drops ALL`, () => {
          const sc = c.securityContext;
          assert.equal(sc.runAsNonRoot, true);
          assert.notEqual(sc.runAsUser, 0);
          assert.equal(sc.readOnlyRootFilesystem, true);
          assert.equal(sc.allowPrivilegeEscalation, false);
          assert.notEqual(sc.privileged, true);
          assert.deepEqual(sc.capabilities?.drop, ["ALL"]);
          assert.equal(sc.capabilities?.add, undefined);
          assert.equal(sc.seccompProfile?.type, "RuntimeDefault");
        });
      }
    });
  }
});

describe("chart: filesystem strategy on every pod", () => {
  for (const { profile, obj, pod } of podBearers) {
    const id = `${profile}: ${obj.kind}/${obj.metadata.name}`;
    const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v.name, v]));

    it(`${id}: writable mounts are only /cache and /tmp (and /store for the catalog publish Job, which writes the catalog)`, () => {
      const allowed = writablePathsOf(pod.metadata?.labels?.[componentLabel]);
      for (const c of containersOf(pod.spec)) {
        for (const m of c.volumeMounts ?? []) {
          if (m.readOnly) continue;
          assert.ok(allowed.includes(m.mountPath), `${c.name} mounts ${m.mountPath} writable`);
        }
      }
    });

    it(`${id}: /tmp is an emptyDir with a sizeLimit`, () => {
      for (const c of containersOf(pod.spec)) {
        const m = (c.volumeMounts ?? []).find((x: any) => x.mountPath === "/tmp");
        assert.ok(m, `${c.name} has no /tmp mount`);
        assert.ok(volumes.get(m.name)?.emptyDir?.sizeLimit, `/tmp volume ${m.name} has no emptyDir sizeLimit`);
      }
    });

    it(`${id}: every emptyDir has an explicit sizeLimit`, () => {
      for (const v of volumes.values()) if (v.emptyDir) assert.ok(v.emptyDir.sizeLimit, `emptyDir ${v.name} unbounded`);
    });

    it(`${id}: /cache, where mounted, is a bounded emptyDir or a claim (node-local SSD, a seeded cache)`, () => {
      for (const c of containersOf(pod.spec)) {
        const m = (c.volumeMounts ?? []).find((x: any) => x.mountPath === "/cache");
        if (!m) continue;
        const v = volumes.get(m.name);
        const pvc = v?.ephemeral?.volumeClaimTemplate ?? v?.persistentVolumeClaim;
        assert.ok(v?.emptyDir?.sizeLimit || pvc, `/cache volume ${m.name} is neither a bounded emptyDir nor a PVC`);
      }
    });
  }
});

describe("chart: requests and limits on every container", () => {
  for (const { profile, obj, pod } of podBearers) {
    for (const c of containersOf(pod.spec)) {
      it(`${profile}: ${obj.kind}/${obj.metadata.name} ${c.name} sets cpu, memory and ephemeral-storage`, () => {
        for (const kind of ["requests", "limits"]) {
          for (const r of ["cpu", "memory", "ephemeral-storage"]) {
            assert.ok(c.resources?.[kind]?.[r], `${kind}.${r} missing`);
          }
        }
      });
    }
  }

  it("defaults to requests 500m/512Mi and limits 2000m/2Gi", () => {
    const deployment = renderProfile("default").find((o) => o.kind === "Deployment")!;
    const server = deployment.spec.template.spec.containers[0];
    assert.equal(server.resources.requests.cpu, "500m");
    assert.equal(server.resources.requests.memory, "512Mi");
    assert.equal(server.resources.limits.cpu, "2000m");
    assert.equal(server.resources.limits.memory, "2Gi");
  });
});
