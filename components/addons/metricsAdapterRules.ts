/**
 * prometheus-adapter rules serving the two Pods metrics the atlas HPA scales on, under the names
 * the chart's HPA asks custom.metrics.k8s.io for (contract/metrics.ts).
 */
import { HpaPodMetric, hpaPodMetrics, inflightHeavy, latencyP95, queryRouteMatcher } from "../../contract/metrics";

/**
 * How each metric becomes one value per pod. The server exports its p95 per route (a `route`
 * label): the pod's value is its slowest query route's p95 (probe and scrape routes left out, or a
 * fast probe would mask a slow route). Heavy queries in flight are one series per pod already.
 */
const perPod: Record<HpaPodMetric, { matchers: string; aggregation: string }> = {
  [latencyP95.name]: { matchers: `,${queryRouteMatcher}`, aggregation: "max" },
  [inflightHeavy.name]: { matchers: "", aggregation: "sum" },
};

/** The adapter's rules: each atlas series scoped to its namespace and pod, aggregated per pod. */
export function atlasAdapterRules(): Record<string, unknown>[] {
  return hpaPodMetrics.map((metric) => ({
    seriesQuery: `${metric}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: `^${metric}$`, as: metric },
    metricsQuery: `${perPod[metric].aggregation}(<<.Series>>{<<.LabelMatchers>>${perPod[metric].matchers}}) by (<<.GroupBy>>)`,
  }));
}
