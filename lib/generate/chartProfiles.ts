/**
 * The chart's stack profiles (charts/bijux-atlas/values-<stack>.yaml), generated from the stack
 * files: the chart sections each Pulumi.<stack>.yaml sets, so a `helm install -f values-offline.yaml`
 * deploys what `pulumi up -s offline` deploys (the image and the cluster aside).
 */
import { stringify } from "yaml";
import { atlasKeys, stackFileConfig } from "../../config/stackFile";
import { stackSectionValues } from "../../config/stackValues";

/** Stacks whose chart sections become a chart profile, and why each profile exists. */
export const stackProfiles: { stack: string; file: string; purpose: string }[] = [
  { stack: "offline", file: "values-offline.yaml", purpose: "Air-gapped clusters: cached-only serving from a seeded cache claim, no store egress." },
  { stack: "dev", file: "values-dev.yaml", purpose: "Small dev and test clusters: one replica, small budgets, canary." },
  { stack: "prod", file: "values-prod.yaml", purpose: "High-throughput production: /cache on node-local SSD, HPA, canary, start-up jitter." },
];

/** The chart values the stack file sets, as the program hands them to the chart (config/stackValues.ts). */
export function stackProfileValues(stack: string): Record<string, unknown> {
  return stackSectionValues(atlasKeys(stackFileConfig(stack)));
}

export function renderStackProfile(stack: string): string {
  const profile = stackProfiles.find((p) => p.stack === stack);
  if (!profile) throw new Error(`no chart profile for stack ${stack}; the profiles are ${stackProfiles.map((p) => p.stack).join(", ")}`);
  return [
    `# ${profile.purpose}`,
    `# Generated from Pulumi.${stack}.yaml (its chart sections) by \`npm run generate\`; edit the stack file, not this one.`,
    `# helm install atlas charts/bijux-atlas -f charts/bijux-atlas/${profile.file}`,
    "",
    stringify(stackProfileValues(stack)).trimEnd(),
    "",
  ].join("\n");
}
