/** The CrossGuard pack: `pulumi preview --policy-pack policy [--policy-pack-config policy/config/<stack>.json]`. */
import { PolicyPack } from "@pulumi/policy";
import { readExemptions } from "./src/config";
import { crossGuardPolicies } from "./src/crossguard";
import { defaultExemptionsFile } from "./src/cli";
import { rules } from "./src/rules";

new PolicyPack("bijux-atlas", {
  policies: crossGuardPolicies(readExemptions(defaultExemptionsFile, rules.map((r) => r.name))),
});
