/**
 * HTTP into the pod's network namespace: requests travel over the holder's forwarding socket and
 * leave from inside the namespace, so they reach the pod's own addresses and nothing else.
 */
import * as http from "http";
import * as net from "net";
import * as tls from "tls";

export type Connect = (host: string, port: number, timeoutMs: number) => Promise<net.Socket>;

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = any>(): T;
}

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
  readonly https?: boolean;
  /** Read at most this many bytes of the body (the kubelet reads 10 KiB of a probe's). */
  readonly maxBodyBytes?: number;
}

export function httpRequest(connect: Connect, opts: HttpOptions): Promise<HttpResponse> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const timer = setTimeout(() => {
      fail(Object.assign(new Error(`${opts.method ?? "GET"} ${opts.path}: timeout after ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
      req?.destroy();
    }, timeoutMs);
    let req: http.ClientRequest | undefined;
    connect(opts.host, opts.port, timeoutMs).then(
      (raw) => {
        if (settled) {
          raw.destroy();
          return;
        }
        const socket = opts.https ? tls.connect({ socket: raw, rejectUnauthorized: false, servername: opts.host }) : raw;
        req = http.request(
          {
            host: opts.host,
            port: opts.port,
            path: opts.path,
            method: opts.method ?? "GET",
            headers: { ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...(opts.headers ?? {}) },
            createConnection: () => socket as net.Socket,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (c: Buffer) => {
              if (opts.maxBodyBytes !== undefined && size >= opts.maxBodyBytes) return;
              chunks.push(c);
              size += c.length;
            });
            res.on("end", () => {
              clearTimeout(timer);
              if (settled) return;
              settled = true;
              const body = Buffer.concat(chunks).toString("utf8");
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body,
                json: () => JSON.parse(body),
              });
              raw.destroy();
            });
            res.on("error", (e) => fail(e));
          },
        );
        req.on("error", (e) => {
          clearTimeout(timer);
          fail(e);
        });
        req.end(opts.body);
      },
      (err: Error) => {
        clearTimeout(timer);
        fail(err);
      },
    );
  });
}
