import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import { compareVersions, controls, controlsAt, evaluatePod, podSecurityRelease, versionAt } from "../../policy/src/podSecurity/controls";
import { check } from "../../policy/src/evaluate";
import { podSecurityRuleName, podSecurityRules } from "../../policy/src/rules/podSecurity";
import { asKind, podSpecOf, podTemplate } from "./support/baseline";
import { fixtureCheck, fixtureControls } from "./support/fixtureControls";
import { podSecurityFixtures, provide } from "./support/goTools";
import { controlCases } from "./podSecurityCases";

const restrictedPod = () => {
  const t = podTemplate();
  return { metadata: t.metadata, spec: t.spec };
};

describe(`Pod Security Standard restricted, tracked as data (pod-security-admission ${podSecurityRelease.version})`, () => {
  it(`is at the newest version the pinned release defines (v${podSecurityRelease.newest})`, () => {
    const newest = controls.flatMap((c) => c.versions.map((v) => v.since)).sort(compareVersions).pop();
    assert.equal(newest, podSecurityRelease.newest);
  });

  it("checks every control of the newest restricted level, one rule each", () => {
    assert.deepEqual(
      controlsAt("restricted").map((c) => c.control.id).sort(),
      ["allowPrivilegeEscalation", "appArmorProfile", "capabilities_restricted", "hostNamespaces", "hostPorts", "hostProbesAndHostLifecycle", "privileged", "procMount_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile_restricted", "sysctls", "windowsHostProcess"],
    );
    assert.equal(podSecurityRules.length, 15);
  });

  it("admits the compliant pod at every version", () => {
    for (let minor = 0; minor <= 37; minor++) assert.deepEqual(evaluatePod(restrictedPod(), "restricted", `1.${minor}`), [], `1.${minor}`);
  });

  for (const k of ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate", "Rollout"]) {
    it(`checks the pod template of a ${k}`, () => {
      const o = asKind(k);
      podSpecOf(o).hostPID = true;
      assert.ok(check([o]).some((f) => f.policy === "pss-host-namespaces"), k);
    });
  }
});

describe("Pod Security conformance table (one pass and several fail cases per control and version)", () => {
  for (const c of controlCases) {
    it(`${c.control} at v${c.version}${c.level === "baseline" ? " (baseline)" : ""}: ${c.name} is ${c.admitted ? "admitted" : "refused"}`, () => {
      const pod = restrictedPod();
      c.mutate(pod);
      const result = evaluatePod(pod, c.level ?? "restricted", c.version);
      assert.deepEqual(
        result.map((r) => r.control),
        c.admitted ? [] : [c.control],
        JSON.stringify(result),
      );
    });
  }

  it("has, for every control and every version one of its checks starts at, an admitted case and two refused cases at that version", () => {
    const short = controls.flatMap((control) =>
      control.versions.flatMap((v) => {
        const at = controlCases.filter((c) => c.control === control.id && c.version === v.since);
        const admitted = at.filter((c) => c.admitted).length;
        const refused = at.length - admitted;
        return admitted >= 1 && refused >= 2 ? [] : [`${control.id} at v${v.since}: ${admitted} admitted, ${refused} refused`];
      }),
    );
    assert.deepEqual(short, []);
  });

  it("names only controls the table has", () => {
    const known = new Set(controls.map((c) => c.id));
    assert.deepEqual([...new Set(controlCases.map((c) => c.control).filter((id) => !known.has(id)))], []);
  });
});

describe("Pod Security: the official fixtures of k8s.io/pod-security-admission", () => {
  let fixtures: ReturnType<typeof podSecurityFixtures> | undefined;
  before(function () {
    this.timeout(300_000);
    fixtures = provide(this, `the ${podSecurityRelease.module}@${podSecurityRelease.version} fixtures`, podSecurityFixtures);
  });
  const read = (file: string) => {
    const pod = load(fs.readFileSync(file, "utf8")) as any;
    return { metadata: pod.metadata ?? {}, spec: pod.spec };
  };
  const labelled = (file: string) => {
    const pod = read(file);
    return { apiVersion: "v1", kind: "Pod", metadata: { ...pod.metadata, labels: asKind("Pod").metadata!.labels }, spec: pod.spec };
  };
  /**
   * The control that refuses what a fail fixture exercises at the restricted level and a version:
   * the control it is named after, or the restricted control that overrides it at that version
   * (hostPath by restrictedVolumes, baseline capabilities by the restricted ones, ...).
   */
  const refusingControl = (file: string, version: string): string | undefined => {
    const id = fixtureControls[fixtureCheck(file)];
    const inForce = controlsAt("restricted", version).map((x) => x.control);
    return inForce.find((c) => c.id === id)?.id ?? inForce.find((c) => versionAt(c, version)?.overrides?.includes(id))?.id;
  };
  const failFixtures = () => [...fixtures!].flatMap(([version, { fail }]) => fail.map((file) => ({ version, file })));

  it(`holds every version from v1.0 to v${podSecurityRelease.newest}, and no newer one`, () => {
    const versions = [...fixtures!.keys()].sort(compareVersions);
    assert.deepEqual([versions[0], versions.at(-1)], ["1.0", podSecurityRelease.newest]);
    assert.ok([...fixtures!.values()].reduce((n, { pass, fail }) => n + pass.length + fail.length, 0) > 2000);
  });

  it("names every fail fixture after a check the fixture table maps to one of our controls", () => {
    const known = new Set(controls.map((c) => c.id));
    const unmapped = [...new Set(failFixtures().map(({ file }) => fixtureCheck(file)))].filter((name) => !known.has(fixtureControls[name]));
    assert.deepEqual(unmapped, [], `fail fixtures named after ${unmapped.join(", ")}: map each in test/policy/support/fixtureControls.ts to a control of policy/src/podSecurity/controls.ts`);
  });

  it(`admits every pass fixture of v${podSecurityRelease.newest} through the pack's rules`, () => {
    const { pass } = fixtures!.get(podSecurityRelease.newest)!;
    for (const file of pass) assert.deepEqual(check([labelled(file)], { rules: podSecurityRules }).map((f) => `${f.policy}: ${f.message}`), [], path.basename(file));
  });

  it(`refuses every fail fixture of v${podSecurityRelease.newest} through the pack's rule of the control it exercises`, () => {
    const { fail } = fixtures!.get(podSecurityRelease.newest)!;
    for (const file of fail) {
      const rule = podSecurityRuleName(refusingControl(file, podSecurityRelease.newest) ?? `unmapped fixture ${fixtureCheck(file)}`);
      const policies = check([labelled(file)], { rules: podSecurityRules }).map((f) => f.policy);
      assert.ok(policies.includes(rule), `${path.basename(file)}: expected a finding of ${rule}, got ${JSON.stringify(policies)}`);
    }
  });

  it("admits every pass fixture of every version", () => {
    for (const [version, { pass }] of fixtures!) for (const file of pass) assert.deepEqual(evaluatePod(read(file), "restricted", version), [], `v${version} pass ${path.basename(file)}`);
  });

  it("refuses every fail fixture of every version by the control it exercises", () => {
    for (const { version, file } of failFixtures()) {
      const expected = refusingControl(file, version);
      const found = evaluatePod(read(file), "restricted", version).map((r) => r.control);
      assert.ok(expected !== undefined && found.includes(expected), `v${version} fail ${path.basename(file)}: expected a finding of ${expected ?? `(no control in force for ${fixtureCheck(file)})`}, got ${JSON.stringify(found)}`);
    }
  });
});
