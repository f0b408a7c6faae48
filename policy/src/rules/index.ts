import cacheVolume from "./cacheVolume";
import egress from "./egress";
import emptyDirSizeLimit from "./emptyDirSizeLimit";
import hpa from "./hpa";
import imageDigest from "./imageDigest";
import imageTag from "./imageTag";
import nonRoot from "./nonRoot";
import pdb from "./pdb";
import { podSecurityRules } from "./podSecurity";
import probes from "./probes";
import readOnlyRootFilesystem from "./readOnlyRootFilesystem";
import resources from "./resources";
import rolloutCrds from "./rolloutCrds";
import secretEnv from "./secretEnv";
import writableMounts from "./writableMounts";
import type { Rule } from "../types";

/** Every rule of the pack: the Pod Security Standard first, then the contract's additions. */
export const rules: readonly Rule[] = [
  ...podSecurityRules,
  nonRoot,
  readOnlyRootFilesystem,
  writableMounts,
  emptyDirSizeLimit,
  cacheVolume,
  resources,
  probes,
  imageTag,
  imageDigest,
  secretEnv,
  egress,
  hpa,
  pdb,
  rolloutCrds,
];

export const ruleNames = rules.map((r) => r.name);
