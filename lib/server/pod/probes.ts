/**
 * The kubelet's probes, run from inside the pod's network namespace against the pod IP (the
 * kubelet's default host): httpGet (success is a status from 200 to 399), tcpSocket (the connect
 * succeeds), exec (exit 0), each bounded by timeoutSeconds, with the kubelet's defaults and
 * failure messages. A worker per probe keeps the kubelet's schedule: a probe at once and every
 * periodSeconds, none before initialDelaySeconds, successThreshold/failureThreshold consecutive
 * results to flip.
 */
import { httpRequest, Connect } from "./podHttp";
import { PodSpecError } from "./errors";

export type ProbeKind = "startup" | "readiness" | "liveness";

export interface ProbeResult {
  readonly kind: ProbeKind;
  readonly ok: boolean;
  readonly message: string;
  readonly at: number;
  readonly ms: number;
}

export interface ProbeTimings {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** The probe's timings with the API's defaults filled in. */
export function probeTimings(probe: any): ProbeTimings {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** Rejects probe handlers the runner cannot execute. */
export function checkProbe(probe: any, where: string): void {
  if (!probe) return;
  if (probe.grpc) throw new PodSpecError(where, "grpc probes are not supported by the runner");
  if (!probe.httpGet && !probe.tcpSocket && !probe.exec) throw new PodSpecError(where, "probe has no handler (httpGet, tcpSocket or exec)");
}

/** Resolves a probe port (a number, or the name of one of the container's ports). */
export function resolvePort(port: number | string, containerPorts: readonly any[], where: string): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = containerPorts.find((p) => p.name === port);
  if (!named) throw new PodSpecError(where, `port ${port} names no port of the container (ports: ${containerPorts.map((p) => p.name ?? p.containerPort).join(", ") || "none"})`);
  return named.containerPort;
}

export interface ProbeContext {
  readonly podIP: string;
  readonly containerPorts: readonly any[];
  readonly connect: Connect;
  /** Runs a command in the container; resolves with its exit code and output. */
  readonly exec: (command: readonly string[], timeoutMs: number) => Promise<{ code: number; output: string }>;
  readonly where: string;
}

/** The kubelet's User-Agent on probes. */
const probeUserAgent = "kube-probe/1.34";

export async function runProbe(kind: ProbeKind, probe: any, ctx: ProbeContext): Promise<ProbeResult> {
  const started = Date.now();
  const { timeoutMs } = probeTimings(probe);
  const done = (ok: boolean, message: string): ProbeResult => ({ kind, ok, message, at: started, ms: Date.now() - started });
  try {
    if (probe.httpGet) {
      const g = probe.httpGet;
      const host = g.host ?? ctx.podIP;
      const port = resolvePort(g.port, ctx.containerPorts, ctx.where);
      const scheme = String(g.scheme ?? "HTTP").toLowerCase();
      const p = g.path ?? "/";
      const headers: Record<string, string> = { "User-Agent": probeUserAgent, Accept: "*/*" };
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      const url = `${scheme}://${host}:${port}${p}`;
      try {
        const res = await httpRequest(ctx.connect, { host, port, path: p, headers, timeoutMs, https: scheme === "https", maxBodyBytes: 10 * 1024 });
        if (res.status >= 200 && res.status < 400) return done(true, `HTTP probe succeeded with statuscode: ${res.status}`);
        return done(false, `HTTP probe failed with statuscode: ${res.status}`);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const reason = e.code === "ETIMEDOUT" ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" : e.message;
        return done(false, `Get "${url}": ${reason}`);
      }
    }
    if (probe.tcpSocket) {
      const host = probe.tcpSocket.host ?? ctx.podIP;
      const port = resolvePort(probe.tcpSocket.port, ctx.containerPorts, ctx.where);
      try {
        const s = await ctx.connect(host, port, timeoutMs);
        s.destroy();
        return done(true, `tcp ${host}:${port} connected`);
      } catch (err) {
        return done(false, (err as Error).message);
      }
    }
    const r = await ctx.exec(probe.exec.command ?? [], timeoutMs);
    return done(r.code === 0, r.code === 0 ? r.output : `command ${JSON.stringify(probe.exec.command)} exited with ${r.code}: ${r.output.trim()}`);
  } catch (err) {
    return done(false, (err as Error).message);
  }
}

/**
 * Runs one probe on the kubelet's schedule until stopped; reports each result and each flip of
 * the probe's state (success after successThreshold, failure after failureThreshold).
 */
export class ProbeWorker {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  /** The probe's current verdict: undefined until the first flip. */
  state?: boolean;
  last?: ProbeResult;
  readonly timings: ProbeTimings;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: any,
    private readonly ctx: ProbeContext,
    private readonly containerStartedAt: number,
    private readonly onResult: (r: ProbeResult, flipped: boolean) => void,
  ) {
    this.timings = probeTimings(probe);
  }

  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const due = Date.now();
    if (due - this.containerStartedAt >= this.timings.initialDelayMs) {
      const r = await runProbe(this.kind, this.probe, this.ctx);
      if (this.stopped) return;
      this.last = r;
      let flipped = false;
      if (r.ok) {
        this.failures = 0;
        this.successes++;
        if (this.state !== true && this.successes >= this.timings.successThreshold) {
          this.state = true;
          flipped = true;
        }
      } else {
        this.successes = 0;
        this.failures++;
        if (this.state !== false && this.failures >= this.timings.failureThreshold) {
          this.state = false;
          flipped = true;
        }
      }
      this.onResult(r, flipped);
      if (this.stopped) return;
    }
    const next = Math.max(0, due + this.timings.periodMs - Date.now());
    this.timer = setTimeout(() => void this.tick(), next);
  }

  /** Starts over (the kubelet resets a worker's counters when the container restarts). */
  reset(): void {
    this.successes = 0;
    this.failures = 0;
    this.state = undefined;
  }
}
