/**
 * The custom metrics the atlas HPA scales on. The chart's HPA asks custom.metrics.k8s.io for
 * Pods metrics under exactly these names; the adapter rules below serve them.
 */
export const atlasPodMetrics = ["bijux_http_request_latency_p95_seconds", "bijux_inflight_heavy_queries"] as const;

/** How each metric aggregates the series of one pod (several series per pod, e.g. per route). */
const aggregation: Record<(typeof atlasPodMetrics)[number], string> = {
  // The slowest route's p95 is what the pod's latency target guards.
  bijux_http_request_latency_p95_seconds: "max",
  // Heavy queries in flight add up across series.
  bijux_inflight_heavy_queries: "sum",
};

/**
 * prometheus-adapter rules: each atlas series the server exports, scoped to its namespace and
 * pod, exposed as a Pods metric of the same name.
 */
export function atlasAdapterRules(): Record<string, unknown>[] {
  return atlasPodMetrics.map((metric) => ({
    seriesQuery: `${metric}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: `^${metric}$`, as: metric },
    metricsQuery: `${aggregation[metric]}(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)`,
  }));
}
