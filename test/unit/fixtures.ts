/**
 * Shared fixtures of the unit tests: stack configs as the program reads them, parsed configs for
 * driving components directly, and the project's paths.
 */
import * as pulumi from "@pulumi/pulumi";
import { validateStackConfig } from "../../config/load";
import { formatProblems } from "../../config/problems";
import type { StackConfig } from "../../config/schema";
import { RunOptions, stackConfig } from "../support/stack";

/** `atlas:` keys of a stack (with `set` applied) keyed without the namespace, as validateStackConfig takes them. */
export function rawConfig(stack: string, set: RunOptions["set"] = {}): Record<string, unknown> {
  const { config } = stackConfig(stack, { set });
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^atlas:/, ""), v]));
}

/** The validated config of a stack with `set` applied; throws listing the problems if invalid. */
export function parsedConfig(stack: string, set: RunOptions["set"] = {}): StackConfig {
  const { config, problems } = validateStackConfig(rawConfig(stack, set), () => true);
  if (!config) throw new Error(`fixture config invalid:\n${formatProblems(problems).join("\n")}`);
  return config;
}

/** A digest reference for tests. */
export const testImageRef = `registry.example.org/bijux/bijux-atlas:0.1.0@sha256:${"ab".repeat(32)}`;

/** A custom resource standing in for one a component must wait for (a registry, an add-on's CRDs). */
export class StandIn extends pulumi.CustomResource {
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super("test:index:StandIn", name, {}, opts);
  }
}
