/**
 * Which control each official fail fixture of k8s.io/pod-security-admission exercises: the
 * fixtures are named after the check they break (test/testdata/restricted/v1.N/fail/<check><n>.yaml),
 * and each name maps to one control id of policy/src/podSecurity/controls.ts. A fixture name
 * missing here fails the fixtures test, so a new check of a newer release cannot pass unnoticed.
 */
import * as path from "path";

export const fixtureControls: Readonly<Record<string, string>> = {
  allowprivilegeescalation: "allowPrivilegeEscalation",
  apparmorprofile: "appArmorProfile",
  capabilities_baseline: "capabilities_baseline",
  capabilities_restricted: "capabilities_restricted",
  hostnamespaces: "hostNamespaces",
  hostpathvolumes: "hostPathVolumes",
  hostports: "hostPorts",
  hostprobesandhostlifecycle: "hostProbesAndHostLifecycle",
  privileged: "privileged",
  procmount: "procMount",
  procmount_restricted: "procMount_restricted",
  restrictedvolumes: "restrictedVolumes",
  runasnonroot: "runAsNonRoot",
  runasuser: "runAsUser",
  seccompprofile_baseline: "seccompProfile_baseline",
  seccompprofile_restricted: "seccompProfile_restricted",
  selinuxoptions: "seLinuxOptions",
  sysctls: "sysctls",
  windowshostprocess: "windowsHostProcess",
};

/** The check a fixture file is named after: "capabilities_baseline3.yaml" -> "capabilities_baseline". */
export const fixtureCheck = (file: string) => path.basename(file).replace(/[0-9]*\.yaml$/, "");
