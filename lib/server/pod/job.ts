/**
 * A Job (or a CronJob's job template) run to completion as the Job controller and the kubelet
 * run it: pods one after another until `completions` succeed (parallelism is not emulated), a new
 * pod after each failed one with restartPolicy Never, restarts in place with OnFailure, the
 * controller's back-off between attempts, and failure after backoffLimit failures or at
 * activeDeadlineSeconds.
 */
import { describeObject, K8sObject } from "../../../contract/k8s";
import { PodSpecError } from "./errors";
import { runPod, RunPodOptions, RunningPod } from "./pod";
import { PodTarget } from "./select";

export interface JobAttempt {
  readonly podName: string;
  readonly phase: string;
  readonly containers: readonly { name: string; exitCode?: number; reason?: string; restartCount: number; logs: string[] }[];
  readonly ms: number;
}

export interface JobReport {
  readonly succeeded: boolean;
  /** Why the Job failed, in the controller's words. */
  readonly reason?: "BackoffLimitExceeded" | "DeadlineExceeded";
  readonly attempts: readonly JobAttempt[];
  readonly ms: number;
}

export interface RunJobOptions extends RunPodOptions {
  /** First delay between failed pods (the controller's: 10 s, doubling, at most 6 min). */
  readonly jobBackoffMs?: number;
  /** Give up waiting after this long even without a deadline in the spec (default 10 min). */
  readonly timeoutMs?: number;
}

function jobSpec(objects: readonly K8sObject[], target: PodTarget): any {
  const obj = objects.find((o) => o.kind === target.kind && o.metadata?.name === target.name);
  if (!obj) throw new PodSpecError(`${target.kind} ${target.name}`, "not among the rendered objects");
  if (obj.kind === "Job") return obj.spec ?? {};
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec ?? {};
  throw new PodSpecError(describeObject(obj), "is not a Job or CronJob");
}

function attemptOf(pod: RunningPod, started: number): JobAttempt {
  const st = pod.status();
  return {
    podName: pod.name,
    phase: st.phase,
    containers: st.containers.map((c) => {
      const term = "terminated" in c.state ? c.state.terminated : c.lastState && "terminated" in c.lastState ? c.lastState.terminated : undefined;
      return { name: c.name, exitCode: term?.exitCode, reason: term?.reason, restartCount: c.restartCount, logs: pod.logs(c.name, { previous: true }) };
    }),
    ms: Date.now() - started,
  };
}

export async function runJob(objects: readonly K8sObject[], target: PodTarget, opts: RunJobOptions): Promise<JobReport> {
  const spec = jobSpec(objects, target);
  const started = Date.now();
  const completions: number = spec.completions ?? 1;
  const backoffLimit: number = spec.backoffLimit ?? 6;
  const deadline = spec.activeDeadlineSeconds !== undefined ? started + spec.activeDeadlineSeconds * 1000 : started + (opts.timeoutMs ?? 600_000);
  const baseDelay = opts.jobBackoffMs ?? 10_000;
  const attempts: JobAttempt[] = [];
  let succeeded = 0;
  let failures = 0;
  const finish = (ok: boolean, reason?: JobReport["reason"]): JobReport => ({ succeeded: ok, reason, attempts, ms: Date.now() - started });

  while (succeeded < completions) {
    const podStarted = Date.now();
    const pod = await runPod(objects, target, { ...opts, podName: undefined });
    let outcome: "succeeded" | "failed" | "deadline";
    try {
      outcome = await pod.waitFor(
        () => {
          const st = pod.status();
          if (st.phase === "Succeeded") return "succeeded" as const;
          if (st.phase === "Failed") return "failed" as const;
          // With OnFailure the kubelet restarts in place; the controller counts the restarts.
          const restarts = st.containers.reduce((n, c) => n + c.restartCount, 0);
          if (restarts > backoffLimit - failures) return "failed" as const;
          if (Date.now() > deadline) return "deadline" as const;
          return undefined;
        },
        Math.max(0, deadline - Date.now()) + 5_000,
        `job ${target.name} pod ${pod.name}`,
      );
    } catch {
      outcome = "deadline";
    }
    attempts.push(attemptOf(pod, podStarted));
    await pod.stop();
    if (outcome === "deadline") return finish(false, "DeadlineExceeded");
    if (outcome === "succeeded") {
      succeeded++;
      continue;
    }
    failures += 1 + attempts[attempts.length - 1].containers.reduce((n, c) => n + c.restartCount, 0);
    if (failures > backoffLimit) return finish(false, "BackoffLimitExceeded");
    const delay = Math.min(360_000, baseDelay * 2 ** (failures - 1));
    if (Date.now() + delay > deadline) return finish(false, "DeadlineExceeded");
    await new Promise((r) => setTimeout(r, delay));
  }
  return finish(true);
}
