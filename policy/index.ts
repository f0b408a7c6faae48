/** The CrossGuard pack: `pulumi preview --policy-pack policy [--policy-pack-config policy/config/<stack>.json]`. */
import { PolicyPack } from "@pulumi/policy";
import { defaultExemptionsFile } from "./src/cli";
import { readExemptions } from "./src/config";
import { crossGuardPolicies } from "./src/crossguard";
import { rules } from "./src/rules";

new PolicyPack("bijux-atlas", {
  policies: crossGuardPolicies(readExemptions(defaultExemptionsFile, rules)),
});
