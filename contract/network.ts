/** The egress contract: where DNS lives, and what counts as broad egress. */
import { AddressSet, describeSize, familyBits, type Family } from "./addresses";

/** DNS egress goes to this namespace only, selected by its name label, on these ports. */
export const dns = {
  namespace: "kube-system",
  namespaceNameLabel: "kubernetes.io/metadata.name",
  port: 53,
  protocols: ["UDP", "TCP"] as const,
} as const;

/**
 * Broad egress, by coverage: the atlas pods' egress (the union of every NetworkPolicy selecting
 * them) may reach at most the addresses of one IPv4 /16 and of one IPv6 /48, counted after
 * `except` blocks, across all rules and policies together. Why these sizes: the contract asks for
 * an explicit allowlist of the catalog and store endpoints, which live in one provider network;
 * a /16 is the largest IPv4 block a cloud VPC or a private site network gets (AWS VPCs are /16 to
 * /28) and a /48 is one site's IPv6 allocation (RFC 6177). Anything wider reaches beyond one
 * network and is not an allowlist.
 */
export const broadEgress = {
  ipv4: { family: "IPv4", widestPrefix: 16 },
  ipv6: { family: "IPv6", widestPrefix: 48 },
} as const satisfies Record<Family, { family: string; widestPrefix: number }>;

/** How many addresses each family may reach at most (2^(bits - widestPrefix)). */
export function maxEgressAddresses(family: Family): bigint {
  return 1n << BigInt(familyBits[family] - broadEgress[family].widestPrefix);
}

/** The families in which a coverage reaches more addresses than broadEgress allows. */
export function broadFamilies(coverage: Record<Family, AddressSet>): Family[] {
  return (Object.keys(broadEgress) as Family[]).filter((f) => coverage[f].size() > maxEgressAddresses(f));
}

/** The threshold in words: "one IPv4 /16 and one IPv6 /48". */
export const broadEgressLimit = (Object.keys(broadEgress) as Family[]).map((f) => `one ${broadEgress[f].family} /${broadEgress[f].widestPrefix}`).join(" and ");

/**
 * The widest port range one explicit egress port entry may open (endPort - port + 1). Why 1024:
 * the catalog and store endpoints are named HTTP(S) services, each on one port (443, an object
 * store's 9000); a range is only for a service spread over consecutive ports, such as a pool of
 * gateways or a passive-mode data range, and 1024 ports (the size of the well-known block) is more
 * than any such pool needs. A wider range opens whole classes of unrelated services, up to every
 * port but one, and is not an allowlist.
 */
export const widestEgressPortRange = 1024;

/** One family's threshold in words: "2^16 (one IPv4 /16)". */
export const describeEgressLimit = (f: Family) => `${describeSize(maxEgressAddresses(f))} (one ${broadEgress[f].family} /${broadEgress[f].widestPrefix})`;
