/** The egress contract: where DNS lives, and what counts as broad egress. */

/** DNS egress goes to this namespace only, selected by its name label, on these ports. */
export const dns = {
  namespace: "kube-system",
  namespaceNameLabel: "kubernetes.io/metadata.name",
  port: 53,
  protocols: ["UDP", "TCP"] as const,
} as const;
