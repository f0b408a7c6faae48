import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The namespace an add-on installs into, labelled as managed by this stack. */
export function addonNamespace(name: string, namespace: string, parent: pulumi.Resource, provider: k8s.Provider): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    `${name}-ns`,
    { metadata: { name: namespace, labels: { "app.kubernetes.io/part-of": "bijux-atlas-platform" } } },
    { parent, provider },
  );
}
