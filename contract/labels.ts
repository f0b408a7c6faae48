/** Labels that carry meaning across layers: how atlas pods are recognised, and Pod Security admission. */

/** The label (and value) that marks atlas pods; add-on pods do not carry it. Policy and selectors rely on it. */
export const atlasNameLabel = "app.kubernetes.io/name";
export const atlasName = "bijux-atlas";

/** Marks every object of the deployment as part of bijux-atlas. */
export const partOfLabel = "app.kubernetes.io/part-of";

/** The component label: server, warmup, catalog-publish. */
export const componentLabel = "app.kubernetes.io/component";

/** Pod Security admission labels: level for enforce/audit/warn, each at the newest version. */
export function podSecurityLabels(levels: { enforce: "restricted" | "baseline"; audit: "restricted" | "baseline"; warn: "restricted" | "baseline" }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"] as const) {
    out[`pod-security.kubernetes.io/${mode}`] = levels[mode];
    out[`pod-security.kubernetes.io/${mode}-version`] = "latest";
  }
  return out;
}

/** The atlas namespace: restricted everywhere. */
export const atlasNamespaceLabels = podSecurityLabels({ enforce: "restricted", audit: "restricted", warn: "restricted" });

/**
 * An add-on's namespace: add-ons are third-party charts, so admission enforces "baseline" and
 * only warns and audits at "restricted".
 */
export const addonNamespaceLabels = podSecurityLabels({ enforce: "baseline", audit: "restricted", warn: "restricted" });
