import cacheVolume from "./cacheVolume";
import egress from "./egress";
import emptyDirSizeLimit from "./emptyDirSizeLimit";
import hpa from "./hpa";
import imageDigest from "./imageDigest";
import imageTag from "./imageTag";
import pdb from "./pdb";
import probes from "./probes";
import pssAppArmor from "./pssAppArmor";
import pssCapabilities from "./pssCapabilities";
import pssHostNamespaces from "./pssHostNamespaces";
import pssHostPorts from "./pssHostPorts";
import pssHostProbes from "./pssHostProbes";
import pssHostProcess from "./pssHostProcess";
import pssPrivilegeEscalation from "./pssPrivilegeEscalation";
import pssPrivileged from "./pssPrivileged";
import pssProcMount from "./pssProcMount";
import pssRunAsNonRoot from "./pssRunAsNonRoot";
import pssSeccomp from "./pssSeccomp";
import pssSeLinux from "./pssSeLinux";
import pssSysctls from "./pssSysctls";
import pssVolumeTypes from "./pssVolumeTypes";
import readOnlyRootFilesystem from "./readOnlyRootFilesystem";
import resources from "./resources";
import rolloutCrds from "./rolloutCrds";
import storeCredentials from "./storeCredentials";
import writableMounts from "./writableMounts";
import type { Rule } from "../types";

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
