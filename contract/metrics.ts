/** Metric names the project relies on, as the pinned server exports them on /metrics. */
import { metricsPath, probePaths } from "./pod";

/** Per-route p95 request latency gauge, labelled `route` (a route template); no series until a route is served. */
export const latencyP95 = { name: "bijux_http_request_latency_p95_seconds", routeLabel: "route" } as const;

/** Heavy-class queries in flight (a gauge, one series per pod). */
export const inflightHeavy = { name: "bijux_inflight_heavy_queries" } as const;

/** The two Pods metrics the HPA scales on, by the names the adapter serves them under. */
export const hpaPodMetrics = [latencyP95.name, inflightHeavy.name] as const;
export type HpaPodMetric = (typeof hpaPodMetrics)[number];

/**
 * Routes whose latency says nothing about query load: probes and scrapes. They are left out when
 * the per-route p95 is aggregated per pod, or a fast probe would mask a slow query route.
 */
export const nonQueryRoutes = [probePaths.liveness, `${probePaths.liveness}/overload`, probePaths.readiness, metricsPath] as const;

/** PromQL label matcher selecting the query routes only. */
export const queryRouteMatcher = `${latencyP95.routeLabel}!~"${nonQueryRoutes.join("|")}"`;
