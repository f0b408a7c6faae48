import * as path from "path";

/** The Pulumi project directory (where Pulumi.yaml lives). */
export const projectDir = path.resolve(__dirname, "..");

/** The atlas Helm chart shipped with this project. */
export const atlasChartDir = path.join(projectDir, "charts", "bijux-atlas");

/** The Dockerfile of the server image. */
export const dockerfilePath = path.join(projectDir, "docker", "Dockerfile");

/** Resolves a config path relative to the project directory. */
export function fromProject(p: string): string {
  return path.resolve(projectDir, p);
}
