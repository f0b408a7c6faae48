/**
 * Sets of IP addresses as sorted, disjoint ranges, one set per family: what an ipBlock allows
 * (its CIDR minus its except blocks), unions across rules, and how many addresses that is.
 * Addresses are parsed by ipaddr.js; the arithmetic is on BigInts. The stack config (the chart
 * values' egress allowlist) and the policy pack (NetworkPolicies) count coverage with this same
 * code, so both draw the broad-egress line at the same address.
 */
import * as ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";
export const familyBits: Record<Family, number> = { ipv4: 32, ipv6: 128 };

type Range = [bigint, bigint];

/** A set of addresses of one family. */
export class AddressSet {
  private constructor(
    readonly family: Family,
    private readonly ranges: readonly Range[],
  ) {}

  static empty(family: Family): AddressSet {
    return new AddressSet(family, []);
  }

  static all(family: Family): AddressSet {
    return new AddressSet(family, [[0n, (1n << BigInt(familyBits[family])) - 1n]]);
  }

  static ofCidr(cidr: ParsedCidr): AddressSet {
    const size = 1n << BigInt(familyBits[cidr.family] - cidr.prefix);
    const start = (cidr.address / size) * size;
    return new AddressSet(cidr.family, [[start, start + size - 1n]]);
  }

  union(other: AddressSet): AddressSet {
    const all = [...this.ranges, ...other.ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Range[] = [];
    for (const [s, e] of all) {
      const last = out[out.length - 1];
      if (last && s <= last[1] + 1n) last[1] = e > last[1] ? e : last[1];
      else out.push([s, e]);
    }
    return new AddressSet(this.family, out);
  }

  minus(other: AddressSet): AddressSet {
    let out: Range[] = this.ranges.map(([s, e]) => [s, e]);
    for (const [cs, ce] of other.ranges) {
      out = out.flatMap(([s, e]): Range[] => {
        if (ce < s || cs > e) return [[s, e]];
        const keep: Range[] = [];
        if (cs > s) keep.push([s, cs - 1n]);
        if (ce < e) keep.push([ce + 1n, e]);
        return keep;
      });
    }
    return new AddressSet(this.family, out);
  }

  /** How many addresses the set holds. */
  size(): bigint {
    return this.ranges.reduce((n, [s, e]) => n + (e - s + 1n), 0n);
  }
}

export interface ParsedCidr {
  family: Family;
  address: bigint;
  prefix: number;
}

/**
 * Parses a CIDR as Kubernetes accepts it in ipBlock (IPv4 dotted decimal, leading zeros read as
 * decimal; IPv6 in any RFC 4291 form); undefined when it is not one.
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  let addr = m[1];
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) addr = v4.slice(1).map((o) => String(Number(o))).join(".");
  else if (!addr.includes(":")) return undefined;
  if (!ipaddr.isValid(addr)) return undefined;
  const parsed = ipaddr.parse(addr);
  const family: Family = parsed.kind() === "ipv4" ? "ipv4" : "ipv6";
  const prefix = Number(m[2]);
  if (prefix > familyBits[family]) return undefined;
  const address = parsed.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  return { family, address, prefix };
}

/** The addresses of each family a list of CIDRs covers together (overlaps count once); undefined entries are skipped. */
export function coverageOf(cidrs: readonly (ParsedCidr | undefined)[]): Record<Family, AddressSet> {
  const out: Record<Family, AddressSet> = { ipv4: AddressSet.empty("ipv4"), ipv6: AddressSet.empty("ipv6") };
  for (const c of cidrs) if (c) out[c.family] = out[c.family].union(AddressSet.ofCidr(c));
  return out;
}

/** 2^n as a short string: "2^16 (65536)". */
export function describeSize(n: bigint): string {
  const bits = n.toString(2).length - 1;
  return n === 1n << BigInt(bits) ? `2^${bits}` : n.toString();
}
