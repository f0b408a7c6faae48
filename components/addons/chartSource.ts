import type * as k8s from "@pulumi/kubernetes";
import type { ChartSource } from "../../config/schema";
import { fromProject } from "../../lib/paths";

/** The chart, version and repository arguments of a helm v4 Chart for a resolved source. */
export function chartArgs(source: ChartSource): Pick<k8s.helm.v4.ChartArgs, "chart" | "version" | "repositoryOpts"> {
  switch (source.kind) {
    case "repository":
      return { chart: source.chart, version: source.version, repositoryOpts: { repo: source.repository } };
    case "oci":
      return { chart: source.url, version: source.version };
    case "path":
      // Resolved here so the chart is found whatever directory the provider runs in.
      return { chart: fromProject(source.path) };
  }
}

/** Where the chart comes from, as one line for stack outputs and previews. */
export function describeSource(source: ChartSource): string {
  switch (source.kind) {
    case "repository":
      return `${source.repository} ${source.chart} ${source.version}`;
    case "oci":
      return `${source.url} ${source.version}`;
    case "path":
      return source.path;
  }
}
