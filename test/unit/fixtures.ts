/**
 * Shared fixtures of the unit tests: stack configs as the program reads them (parsed ones, for
 * driving components directly, are config/stackFile.ts stackFileStackConfig), and stand-ins.
 */
import * as pulumi from "@pulumi/pulumi";
import { atlasKeys, ConfigEdits, stackConfig } from "../../config/stackFile";

/** `atlas:` keys of a stack (with `set` applied) keyed without the namespace, as validateStackConfig takes them. */
export function rawConfig(stack: string, set: ConfigEdits["set"] = {}): Record<string, unknown> {
  return atlasKeys(stackConfig(stack, { set }).config);
}

/** A digest reference for tests. */
export const testImageRef = `registry.example.org/bijux/bijux-atlas:0.1.0@sha256:${"ab".repeat(32)}`;

/** A custom resource standing in for one a component must wait for (a registry, an add-on's CRDs). */
export class StandIn extends pulumi.CustomResource {
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super("test:index:StandIn", name, {}, opts);
  }
}
