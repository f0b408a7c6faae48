import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The namespace an add-on installs into. Add-ons are third-party charts, so admission enforces
 * Pod Security "baseline" and only warns/audits at "restricted".
 */
export function addonNamespace(name: string, namespace: string, parent: pulumi.Resource, provider: k8s.Provider): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    `${name}-namespace`,
    {
      metadata: {
        name: namespace,
        labels: {
          "app.kubernetes.io/part-of": "bijux-atlas",
          "pod-security.kubernetes.io/enforce": "baseline",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": "latest",
        },
      },
    },
    { parent, provider },
  );
}
