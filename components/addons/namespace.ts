import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonNamespaceLabels, atlasName, partOfLabel } from "../../contract/labels";

/** The namespace an add-on installs into, with the contract's Pod Security levels for add-ons. */
export function addonNamespace(name: string, namespace: string, parent: pulumi.Resource, provider: k8s.Provider): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    `${name}-namespace`,
    { metadata: { name: namespace, labels: { [partOfLabel]: atlasName, ...addonNamespaceLabels } } },
    { parent, provider },
  );
}
