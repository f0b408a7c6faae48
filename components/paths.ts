import * as os from "os";
import * as path from "path";

/** The Pulumi project directory (where Pulumi.yaml lives). */
export const projectDir = path.resolve(__dirname, "..");

/** The atlas Helm chart shipped with this project. */
export const atlasChartDir = path.join(projectDir, "charts", "bijux-atlas");

/** The Dockerfile of the server image. */
export const dockerfilePath = path.join(projectDir, "docker", "Dockerfile");

/** Resolves a path from the stack config: `~/` is the home directory, anything else relative to the project. */
export function fromProject(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : path.resolve(projectDir, p);
}
