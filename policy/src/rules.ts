import cacheVolume from "./rules/cacheVolume";
import egress from "./rules/egress";
import emptyDirSizeLimit from "./rules/emptyDirSizeLimit";
import hpa from "./rules/hpa";
import imageDigest from "./rules/imageDigest";
import imageTag from "./rules/imageTag";
import pdb from "./rules/pdb";
import probes from "./rules/probes";
import pssAppArmor from "./rules/pssAppArmor";
import pssCapabilities from "./rules/pssCapabilities";
import pssHostNamespaces from "./rules/pssHostNamespaces";
import pssHostPorts from "./rules/pssHostPorts";
import pssHostProbes from "./rules/pssHostProbes";
import pssHostProcess from "./rules/pssHostProcess";
import pssPrivilegeEscalation from "./rules/pssPrivilegeEscalation";
import pssPrivileged from "./rules/pssPrivileged";
import pssProcMount from "./rules/pssProcMount";
import pssRunAsNonRoot from "./rules/pssRunAsNonRoot";
import pssSeccomp from "./rules/pssSeccomp";
import pssSeLinux from "./rules/pssSeLinux";
import pssSysctls from "./rules/pssSysctls";
import pssVolumeTypes from "./rules/pssVolumeTypes";
import readOnlyRootFilesystem from "./rules/readOnlyRootFilesystem";
import resources from "./rules/resources";
import rolloutCrds from "./rules/rolloutCrds";
import storeCredentials from "./rules/storeCredentials";
import writableMounts from "./rules/writableMounts";
import type { Rule } from "./types";

/** Every rule of the pack, Pod Security Standard first, then the contract's additions. */
export const rules: readonly Rule[] = [
  pssPrivileged,
  pssHostProcess,
  pssHostNamespaces,
  pssHostPorts,
  pssVolumeTypes,
  pssCapabilities,
  pssRunAsNonRoot,
  pssPrivilegeEscalation,
  pssSeccomp,
  pssAppArmor,
  pssSeLinux,
  pssProcMount,
  pssSysctls,
  pssHostProbes,
  readOnlyRootFilesystem,
  writableMounts,
  emptyDirSizeLimit,
  cacheVolume,
  resources,
  probes,
  imageTag,
  imageDigest,
  storeCredentials,
  egress,
  hpa,
  pdb,
  rolloutCrds,
];
