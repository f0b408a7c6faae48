import * as fs from "fs";
import * as path from "path";
import { Reporter } from "./progress";
import { GoToolchain } from "./go-build";
import { lastLine, run, which } from "./process";
import { buildModulesDir } from "./pins";

/** How to build one provider from its Go module through a pinned build module. */
export interface BuildRecipe {
  /** The pinned build module (holds go.mod, go.sum and any generator it needs). */
  readonly moduleDir: string;
  /** The provider's Go module, required by the build module at the version to build. */
  readonly module: string;
  /** Where the provider reads its version from. */
  readonly versionVar: string;
  /** Further `-X` settings of the build (importpath.name to value). */
  readonly stamps?: Readonly<Record<string, string>>;
  /**
   * Writes whatever the main package needs that upstream does not commit into `workDir` and
   * returns the package to build plus a `go build -overlay` map.
   */
  prepare(go: GoToolchain, providerDir: string, workDir: string, version: string, reporter: Reporter): Promise<{
    pkg: string;
    overlay?: Record<string, string>;
  }>;
}

/**
 * pulumi-resource-kubernetes: its main package embeds schema-embed.json and
 * terraform-mapping-embed.json, generated upstream at release time from the committed schema.json
 * and terraform-mapping.json. The module cache is read-only and `go build -overlay` may not
 * replace files under it, so the main package is built as a package of the build module that
 * exists only in the overlay: upstream's main.go plus the two generated files.
 */
const kubernetes: BuildRecipe = {
  moduleDir: path.join(buildModulesDir, "kubernetes"),
  module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
  versionVar: "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version",
  // Helm's own release build stamps the Kubernetes version its client library speaks; without it
  // Helm assumes v1.20.0 whenever no cluster answers (the render target), and refuses charts
  // whose kubeVersion needs newer. The provider's client-go is v0.33.
  stamps: { "helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor": "1", "helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor": "33" },
  async prepare(go, providerDir, workDir, version, reporter) {
    const upstreamMain = path.join(providerDir, "cmd", "pulumi-resource-kubernetes");
    reporter.line("generating schema-embed.json and terraform-mapping-embed.json from the committed schema.json");
    const nice = which("nice") ? ["nice", "-n", "10"] : [];
    const [command, ...prefix] = [...nice, go.bin];
    const result = await run(
      command,
      [...prefix, "run", "./genembed", "-src", upstreamMain, "-out", workDir, "-version", version],
      { cwd: this.moduleDir },
    );
    if (result.code !== 0) throw new Error(`generating the kubernetes provider's embedded schema failed: ${lastLine(result.stderr)}`);
    const pkgDir = path.join(this.moduleDir, "cmd", "pulumi-resource-kubernetes");
    const overlay: Record<string, string> = { [path.join(pkgDir, "main.go")]: path.join(upstreamMain, "main.go") };
    for (const file of ["schema-embed.json", "terraform-mapping-embed.json"]) {
      const generated = path.join(workDir, file);
      if (!fs.existsSync(generated)) throw new Error(`genembed did not write ${file}`);
      overlay[path.join(pkgDir, file)] = generated;
    }
    return { pkg: "./cmd/pulumi-resource-kubernetes", overlay };
  },
};

/**
 * Providers that can be built here. pulumi-command and pulumi-random have no recipe: their
 * provider modules are not served by the module proxy our machines reach.
 */
export const buildRecipes: Readonly<Record<string, BuildRecipe>> = { kubernetes };
