/**
 * The node-local SSD profile as Kubernetes objects: a StorageClass without a provisioner that
 * binds on first consumer (so the scheduler picks the node first), and one local
 * PersistentVolume per SSD directory, pinned to its node.
 */
import type * as k8s from "@pulumi/kubernetes";
import { atlasName, componentLabel, partOfLabel } from "../../contract/labels";
import { cacheComponent } from "../../contract/pod";

/** One SSD directory on one node. */
export interface LocalVolume {
  /** Node name (its kubernetes.io/hostname label). */
  node: string;
  /** Absolute path of the directory on the node. */
  path: string;
  /** Capacity the volume advertises. */
  capacity: string;
}

const labels = { [partOfLabel]: atlasName, [componentLabel]: cacheComponent };

export function localStorageClassArgs(name: string): k8s.storage.v1.StorageClassArgs {
  return {
    metadata: { name, labels },
    provisioner: "kubernetes.io/no-provisioner",
    volumeBindingMode: "WaitForFirstConsumer",
    // The cache is disposable: a released volume is reclaimed by hand (local volumes cannot be scrubbed automatically).
    reclaimPolicy: "Retain",
  };
}

/** node + path as a DNS-safe slug: identifies a volume whatever its position in the config. */
export function localVolumeSlug(volume: LocalVolume): string {
  return `${volume.node}${volume.path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** A PersistentVolume name unique per node and directory, and stable across runs. */
export function localVolumeName(storageClassName: string, volume: LocalVolume): string {
  return `${storageClassName}-${localVolumeSlug(volume)}`.slice(0, 253).replace(/-$/, "");
}

export function localPersistentVolumeArgs(storageClassName: string, volume: LocalVolume): k8s.core.v1.PersistentVolumeArgs {
  return {
    metadata: { name: localVolumeName(storageClassName, volume), labels },
    spec: {
      capacity: { storage: volume.capacity },
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName,
      local: { path: volume.path },
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [volume.node] }] }] },
      },
    },
  };
}
