/** The custom metrics the atlas HPA scales on, exactly as the chart's HPA names them. */
export const atlasPodMetrics = ["bijux_http_request_latency_p95_seconds", "bijux_inflight_heavy_queries"] as const;

const podResources = { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } };

/**
 * prometheus-adapter rules exposing the atlas Pods metrics on custom.metrics.k8s.io:
 * the p95 latency from the server's request-duration histogram, and the in-flight heavy
 * query gauge as is.
 */
export function atlasAdapterRules(): Record<string, unknown>[] {
  return [
    {
      seriesQuery: 'bijux_http_request_duration_seconds_bucket{namespace!="",pod!=""}',
      resources: podResources,
      name: { matches: "^bijux_http_request_duration_seconds_bucket$", as: atlasPodMetrics[0] },
      metricsQuery: "histogram_quantile(0.95, sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (le, <<.GroupBy>>))",
    },
    {
      seriesQuery: 'bijux_inflight_heavy_queries{namespace!="",pod!=""}',
      resources: podResources,
      name: { matches: "^bijux_inflight_heavy_queries$", as: atlasPodMetrics[1] },
      metricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
    },
  ];
}
