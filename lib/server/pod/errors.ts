/** Why the runner refuses a pod: the spec asks for something it cannot honour, or refers to something absent. */
export class PodSpecError extends Error {
  constructor(
    /** "Deployment ns/name" or the container the problem is in. */
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "PodSpecError";
  }
}

/** A step of starting or stopping the pod's sandbox failed (a command, a mount, a cgroup write). */
export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxError";
  }
}
