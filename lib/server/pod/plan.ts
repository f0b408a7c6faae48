/**
 * Everything the runner will do for a pod, worked out before anything is created: the pod's
 * names and address, each container's identity, environment, command, limits and mounts, the
 * volumes and the egress. Any field it cannot honour fails here, so a refused pod leaves nothing.
 */
import { randomUUID } from "crypto";
import { containersOf, describeObject, K8sObject } from "../../../contract/k8s";
import { limitsOf, Limits } from "./cgroups";
import { containerEnv, expand, PodFacts } from "./env";
import { PodSpecError } from "./errors";
import { ImageConfig } from "./image";
import { choosePodIP, Egress, egressOf } from "./network";
import { checkProbe } from "./probes";
import { containerSecurity, ContainerSecurity, hostSecurity, podLevelRefusal } from "./security";
import { PodTarget, selectPod, SelectedPod } from "./select";
import { planVolumes, VolumePlan } from "./volumes";

export interface ContainerPlan {
  readonly name: string;
  readonly kind: "init" | "main";
  readonly spec: any;
  readonly security: ContainerSecurity;
  readonly env: Readonly<Record<string, string>>;
  /** Command and arguments after $(VAR) expansion; the executable is resolved at start. */
  readonly command: readonly string[];
  readonly workingDir: string;
  readonly limits: Limits;
  readonly where: string;
}

export interface PodPlan {
  readonly selected: SelectedPod;
  readonly facts: PodFacts;
  readonly egress: Egress;
  readonly podIP: string;
  readonly restartPolicy: "Always" | "OnFailure" | "Never";
  readonly gracePeriodMs: number;
  readonly init: readonly ContainerPlan[];
  readonly main: readonly ContainerPlan[];
  readonly volumes: Map<string, VolumePlan>;
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: string;
}

export interface PlanOptions {
  readonly podName?: string;
  readonly namespace?: string;
  readonly podIP?: string;
  readonly claims?: Readonly<Record<string, string>>;
  readonly image: ImageConfig;
  /** The node the pod pretends to run on (spec.nodeName, status.hostIP). */
  readonly nodeName?: string;
  readonly hostIP?: string;
}

/** Command line of a container as the runtime combines it with the image's entrypoint and cmd. */
function commandLine(c: any, image: ImageConfig, vars: Readonly<Record<string, string>>): string[] {
  const cmd: string[] = c.command ?? [...image.entrypoint];
  const args: string[] = c.args ?? (c.command ? [] : [...image.cmd]);
  const lookup = (n: string) => vars[n];
  return [...cmd, ...args].map((a) => expand(a, lookup));
}

export function planPod(objects: readonly K8sObject[], target: PodTarget, runDir: string, opts: PlanOptions): PodPlan {
  const selected = selectPod(objects, target, opts);
  const where = `${describeObject(selected.object)} (pod ${selected.podName})`;
  const spec = selected.template.spec;
  const refusal = podLevelRefusal(spec);
  if (refusal) throw new PodSpecError(where, refusal);
  const defaultPolicy = selected.object.kind === "Job" || selected.object.kind === "CronJob" ? "Never" : "Always";
  const restartPolicy = spec.restartPolicy ?? defaultPolicy;
  if (!["Always", "OnFailure", "Never"].includes(restartPolicy)) throw new PodSpecError(where, `restartPolicy ${restartPolicy} is not Always, OnFailure or Never`);

  const egress = egressOf(objects, selected.namespace, selected.labels);
  const podIP = choosePodIP(egress, opts.podIP);
  const facts: PodFacts = {
    name: selected.podName,
    namespace: selected.namespace,
    uid: randomUUID(),
    labels: selected.labels,
    annotations: selected.annotations,
    podIP,
    hostIP: opts.hostIP ?? "192.168.0.2",
    nodeName: opts.nodeName ?? "pod-runner",
    serviceAccountName: spec.serviceAccountName ?? "default",
    spec,
  };
  const host = hostSecurity();
  const names = new Set<string>();
  const plans = containersOf(spec, { ephemeral: false }).map(({ list, container: c }) => {
    const w = `${where} container ${c.name}`;
    if (names.has(c.name)) throw new PodSpecError(w, "duplicate container name");
    names.add(c.name);
    if (list === "initContainers" && c.restartPolicy === "Always") throw new PodSpecError(w, "sidecar init containers (restartPolicy: Always) are not supported by the runner");
    if (list === "initContainers" && (c.readinessProbe || c.livenessProbe || c.startupProbe)) throw new PodSpecError(w, "init containers may not have probes");
    for (const k of ["startupProbe", "readinessProbe", "livenessProbe"]) checkProbe(c[k], `${w} ${k}`);
    if (c.image === undefined) throw new PodSpecError(w, "has no image");
    const security = containerSecurity(spec, c, opts.image, host, w);
    const { env, kubelet } = containerEnv(objects, facts, c, opts.image, selected.hostname, w);
    return {
      name: c.name,
      kind: list === "initContainers" ? "init" : "main",
      spec: c,
      security,
      env,
      command: commandLine(c, opts.image, kubelet),
      workingDir: c.workingDir ?? opts.image.workingDir,
      limits: limitsOf(c.resources),
      where: w,
    } satisfies ContainerPlan;
  });
  if (!plans.some((p) => p.kind === "main")) throw new PodSpecError(where, "the pod has no containers");
  const volumes = planVolumes(objects, facts, runDir, opts.claims ?? {}, where);
  return {
    selected,
    facts,
    egress,
    podIP,
    restartPolicy,
    gracePeriodMs: (spec.terminationGracePeriodSeconds ?? 30) * 1000,
    init: plans.filter((p) => p.kind === "init"),
    main: plans.filter((p) => p.kind === "main"),
    volumes,
    fsGroup: spec.securityContext?.fsGroup,
    fsGroupChangePolicy: spec.securityContext?.fsGroupChangePolicy,
  };
}
