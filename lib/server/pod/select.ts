/**
 * Which pod to run: one pod-bearing object among the rendered ones, the pod template it carries,
 * and the names the pod gets, as the controllers and the kubelet would name it.
 */
import { createHash, randomBytes } from "crypto";
import { describeObject, isKind, K8sObject, podTemplateOf, PodTemplate } from "../../../contract/k8s";
import { PodSpecError } from "./errors";

export interface PodTarget {
  readonly kind: string;
  readonly name: string;
}

export interface SelectedPod {
  readonly object: K8sObject;
  readonly template: PodTemplate;
  readonly namespace: string;
  /** metadata.name of the pod. */
  readonly podName: string;
  /** The hostname the kubelet gives it (spec.hostname, else the pod name, at most 63 characters). */
  readonly hostname: string;
  /** The pod's labels: the template's plus what the controller adds. */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

function suffix(): string {
  // The alphabet Kubernetes uses for generated names (no vowels, no digits 0, 1, 3).
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from(randomBytes(5), (b) => alphabet[b % alphabet.length]).join("");
}

/** The pod name a controller would give one pod of `obj` (random like the real ones, unless given). */
function generatedPodName(obj: K8sObject, template: PodTemplate): string {
  const name = obj.metadata?.name ?? "pod";
  switch (obj.kind) {
    case "Pod":
      return name;
    case "StatefulSet":
      return `${name}-0`;
    case "Deployment":
    case "Rollout": {
      // <deployment>-<pod-template-hash>-<random>; the hash stands in for the ReplicaSet's.
      const hash = createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);
      return `${name}-${hash}-${suffix()}`;
    }
    default:
      return `${name}-${suffix()}`;
  }
}

export function selectPod(objects: readonly K8sObject[], target: PodTarget, opts: { podName?: string; namespace?: string } = {}): SelectedPod {
  const matches = objects.filter((o) => o.kind === target.kind && o.metadata?.name === target.name);
  if (matches.length === 0) {
    const bearers = objects.filter((o) => podTemplateOf(o)).map(describeObject);
    throw new PodSpecError(`${target.kind} ${target.name}`, `not among the rendered objects; pod-bearing objects: ${bearers.join(", ") || "none"}`);
  }
  if (matches.length > 1) throw new PodSpecError(`${target.kind} ${target.name}`, `rendered ${matches.length} times (in several namespaces?)`);
  const object = matches[0];
  const template = podTemplateOf(object);
  if (!template) throw new PodSpecError(describeObject(object), "carries no pod template");
  const namespace = opts.namespace ?? object.metadata?.namespace ?? "default";
  const podName = opts.podName ?? generatedPodName(object, template);
  const hostname = (template.spec.hostname ?? podName).slice(0, 63);
  const labels = { ...(template.metadata.labels ?? {}) };
  if (isKind(object, "Job", "batch")) labels["job-name"] = object.metadata?.name ?? "";
  return { object, template, namespace, podName, hostname, labels, annotations: { ...(template.metadata.annotations ?? {}) } };
}
