/**
 * The pod-faithful runner: runs one pod of rendered Kubernetes objects with the pinned server
 * binaries as the image, under the pod's own constraints (identity, capabilities, read-only root,
 * bounded volumes, env, limits, network, probes, termination). See pod.ts for the lifecycle and
 * each file for its part.
 */
export { runPod, RunningPod, RunPodOptions, PodEvent, ContainerStatus, StopReport } from "./pod";
export { runJob, JobReport } from "./job";
export { cleanupStale } from "./state";
export { PodSpecError, SandboxError } from "./errors";
export { serverImage, ImageConfig } from "./image";
export { egressOf, Egress, Endpoint } from "./network";
