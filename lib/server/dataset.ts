/**
 * A small synthetic dataset taken through the real CLI into a store the real server serves:
 * GFF3 + FASTA + .fai written here (three made-up genes on one contig), then
 * `ingest` -> `dataset evidence-verify` -> `dataset verify` -> `dataset publish` -> `catalog promote`.
 * The content is synthetic whatever dataset id it is published under (tests publish it under the
 * ids the stacks pin), and the facts tests assert come from the files written here, not from the
 * server.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { datasetIdParts, isDatasetId, patterns } from "../../contract/grammar";
import { workspaceContents } from "./datasetWorkspace";

export interface SyntheticGene {
  readonly id: string;
  readonly name: string;
  readonly biotype: "protein_coding" | "lncRNA";
  readonly strand: "+" | "-";
  readonly start: number;
  readonly end: number;
  readonly transcripts: readonly { id: string; name: string; exons: readonly [number, number][] }[];
}

/** The dataset's content: one contig, three genes, four transcripts, six exons. */
export const syntheticContig = { name: "chr1", length: 3000, lineWidth: 60 } as const;

export const syntheticGenes: readonly SyntheticGene[] = [
  {
    id: "gene:SYNG0001",
    name: "SYNTH_ALPHA",
    biotype: "protein_coding",
    strand: "+",
    start: 101,
    end: 600,
    transcripts: [
      { id: "transcript:SYNT0001", name: "SYNTH_ALPHA-201", exons: [[101, 250], [401, 600]] },
      { id: "transcript:SYNT0002", name: "SYNTH_ALPHA-202", exons: [[101, 500]] },
    ],
  },
  {
    id: "gene:SYNG0002",
    name: "SYNTH_BETA",
    biotype: "lncRNA",
    strand: "-",
    start: 1001,
    end: 1400,
    transcripts: [{ id: "transcript:SYNT0003", name: "SYNTH_BETA-201", exons: [[1001, 1400]] }],
  },
  {
    id: "gene:SYNG0003",
    name: "SYNTH_GAMMA",
    biotype: "protein_coding",
    strand: "+",
    start: 2001,
    end: 2800,
    transcripts: [{ id: "transcript:SYNT0004", name: "SYNTH_GAMMA-201", exons: [[2001, 2300], [2501, 2800]] }],
  },
];

/** The contig's bases: a fixed pseudo-random sequence (a linear congruential generator), so every run writes the same FASTA. */
export function syntheticSequence(): string {
  let state = 0x2545f491;
  let out = "";
  for (let i = 0; i < syntheticContig.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += "ACGT"[(state >>> 16) & 3];
  }
  return out;
}

export function gff3(): string {
  const c = syntheticContig.name;
  const lines = ["##gff-version 3", `##sequence-region ${c} 1 ${syntheticContig.length}`];
  let exon = 0;
  for (const g of syntheticGenes) {
    const bare = g.id.split(":")[1];
    lines.push([c, "synthetic", "gene", g.start, g.end, ".", g.strand, ".", `ID=${g.id};Name=${g.name};biotype=${g.biotype};gene_id=${bare}`].join("\t"));
    for (const t of g.transcripts) {
      const tStart = Math.min(...t.exons.map((e) => e[0]));
      const tEnd = Math.max(...t.exons.map((e) => e[1]));
      // The ingester takes transcript, mRNA and mrna as transcript features (not lnc_RNA).
      const type = g.biotype === "protein_coding" ? "mRNA" : "transcript";
      lines.push([c, "synthetic", type, tStart, tEnd, ".", g.strand, ".", `ID=${t.id};Parent=${g.id};Name=${t.name};biotype=${g.biotype};transcript_id=${t.id.split(":")[1]}`].join("\t"));
      for (const [s, e] of t.exons) {
        exon++;
        lines.push([c, "synthetic", "exon", s, e, ".", g.strand, ".", `ID=exon:SYNE${String(exon).padStart(4, "0")};Parent=${t.id}`].join("\t"));
      }
    }
  }
  return lines.join("\n") + "\n";
}

export function fasta(sequence = syntheticSequence()): { fasta: string; fai: string } {
  const w = syntheticContig.lineWidth;
  const header = `>${syntheticContig.name}\n`;
  const body = sequence.match(new RegExp(`.{1,${w}}`, "g"))!.join("\n") + "\n";
  // name, length, offset of the first base, bases per line, bytes per line
  const fai = [syntheticContig.name, sequence.length, header.length, w, w + 1].join("\t") + "\n";
  return { fasta: header + body, fai };
}

/** What tests can assert about the published dataset, derived from the files written here. */
export interface GoldenFacts {
  readonly geneIds: readonly string[];
  readonly geneCount: number;
  readonly geneCountByBiotype: Readonly<Record<string, number>>;
  readonly genes: readonly SyntheticGene[];
  readonly transcriptIds: readonly string[];
  /** A region (1-based, inclusive, as the server's `region=` parameter takes it) and its bases. */
  readonly region: { readonly region: string; readonly sequence: string };
}

export function goldenFacts(): GoldenFacts {
  const seq = syntheticSequence();
  const [start, end] = [101, 130];
  const byBiotype: Record<string, number> = {};
  for (const g of syntheticGenes) byBiotype[g.biotype] = (byBiotype[g.biotype] ?? 0) + 1;
  return {
    geneIds: syntheticGenes.map((g) => g.id),
    geneCount: syntheticGenes.length,
    geneCountByBiotype: byBiotype,
    genes: syntheticGenes,
    transcriptIds: syntheticGenes.flatMap((g) => g.transcripts.map((t) => t.id)),
    region: { region: `${syntheticContig.name}:${start}-${end}`, sequence: seq.slice(start - 1, end) },
  };
}

export interface PublishedDataset {
  /** The store root: catalog.json plus `release=<r>/species=<s>/assembly=<a>/{derived,inputs}`. */
  readonly storeRoot: string;
  /** `release/species/assembly`. */
  readonly id: string;
  readonly release: string;
  readonly species: string;
  readonly assembly: string;
  /** The dataset's directory in the store. */
  readonly datasetDir: string;
  readonly golden: GoldenFacts;
  /** Wall time of the CLI pipeline, in milliseconds. */
  readonly ms: number;
}

export interface PublishOptions {
  /** The `bijux-atlas` CLI binary (ensureServerBinaries().cli). */
  readonly cli: string;
  /** `release/species/assembly`, e.g. 112/homo_sapiens/GRCh38. */
  readonly datasetId: string;
  /** Working directory: inputs, the ingest output and the CLI workspace go under it; the store is `<dir>/store`. */
  readonly dir: string;
  /** Publish into this store instead of `<dir>/store` (several datasets in one store: call once per id). */
  readonly storeRoot?: string;
}

/** Relative path of a dataset's directory in the local store layout. */
export function datasetStorePath(id: string): string {
  const { release, species, assembly } = datasetIdParts(id);
  return path.join(`release=${release}`, `species=${species}`, `assembly=${assembly}`);
}

/**
 * Writes the synthetic inputs and takes them through the CLI into a store; returns where it is
 * and what it holds. Throws naming the failing command and its output.
 */
export async function publishSyntheticDataset(opts: PublishOptions): Promise<PublishedDataset> {
  if (!isDatasetId(opts.datasetId)) {
    throw new Error(`dataset id ${JSON.stringify(opts.datasetId)} is not release/species/assembly (${patterns.datasetId})`);
  }
  const started = Date.now();
  const { release, species, assembly } = datasetIdParts(opts.datasetId);
  const dir = path.resolve(opts.dir);
  const storeRoot = path.resolve(opts.storeRoot ?? path.join(dir, "store"));
  const key = opts.datasetId.replace(/\//g, "_");
  const inputs = path.join(dir, "inputs", key);
  const build = path.join(dir, "build", key);
  const workspace = path.join(dir, "workspace");
  for (const d of [inputs, workspace, storeRoot]) fs.mkdirSync(d, { recursive: true });
  fs.rmSync(build, { recursive: true, force: true });

  const { fasta: fa, fai } = fasta();
  fs.writeFileSync(path.join(inputs, "genes.gff3"), gff3());
  fs.writeFileSync(path.join(inputs, "genome.fa"), fa);
  fs.writeFileSync(path.join(inputs, "genome.fa.fai"), fai);
  for (const [rel, text] of Object.entries(workspaceContents())) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), text);
  }

  const ids = ["--release", release, "--species", species, "--assembly", assembly];
  const cli = (args: string[]) => runCli(opts.cli, args, workspace);
  await cli(["ingest", "--gff3", path.join(inputs, "genes.gff3"), "--fasta", path.join(inputs, "genome.fa"), "--fai", path.join(inputs, "genome.fa.fai"), "--output-root", build, ...ids]);
  await cli(["dataset", "evidence-verify", "--root", build, ...ids]);
  await cli(["dataset", "verify", "--root", build, ...ids]);
  await cli(["dataset", "publish", "--source-root", build, "--store-root", storeRoot, ...ids]);
  await cli(["catalog", "promote", "--store-root", storeRoot, ...ids]);

  // `dataset publish` copies only the manifest and the sqlite (plus its lock and lifecycle
  // files). The server reads the FASTA and its index for the sequence routes, and the release
  // gene index for the diff routes, from the same dataset directory of the store; without them
  // those routes answer 503. So they are copied from the ingest output, as a release pipeline
  // would upload them next to the published artifacts.
  const rel = datasetStorePath(opts.datasetId);
  const from = path.join(build, rel);
  const to = path.join(storeRoot, rel);
  fs.mkdirSync(path.join(to, "inputs"), { recursive: true });
  for (const f of ["inputs/genome.fa.bgz", "inputs/genome.fa.bgz.fai", "derived/release_gene_index.json"]) {
    fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
  return { storeRoot, id: opts.datasetId, release, species, assembly, datasetDir: to, golden: goldenFacts(), ms: Date.now() - started };
}

/**
 * Fills a cache directory with a dataset the way the server finds it in cached-only mode without
 * an index key (its fallback "store layout in the cache"): a copy of the dataset's store tree.
 */
export function seedCacheFromStore(storeRoot: string, cacheRoot: string, datasetId: string): string {
  const rel = datasetStorePath(datasetId);
  const to = path.join(cacheRoot, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(path.join(storeRoot, rel), to, { recursive: true });
  return to;
}

function runCli(cli: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Only what the CLI needs: its checks read the workspace from the working directory.
    const child = spawn(cli, args, { cwd, env: { PATH: "/usr/bin:/bin", HOME: cwd }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.on("error", (err) => reject(new Error(`bijux-atlas ${args.slice(0, 2).join(" ")}: ${err.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`bijux-atlas ${args.join(" ")} exited ${code} in ${cwd}:\n${out.trim().split("\n").slice(-10).join("\n")}`));
    });
  });
}

/**
 * Lays out published datasets the way the server's HTTP store backend (`ATLAS_STORE_S3_BASE_URL`)
 * fetches them: `<base>/catalog.json` and `<base>/<release>/<species>/<assembly>/{derived,inputs}/...`
 * (no `key=` segments, unlike the local store). `basePath` is the URL's path; files are copied
 * under `<dir>/<basePath>`, so a static file server rooted at `dir` serves the base URL.
 */
export function httpStoreTree(storeRoot: string, datasetIds: readonly string[], dir: string, basePath: string): string {
  const base = path.join(dir, basePath);
  fs.mkdirSync(base, { recursive: true });
  fs.copyFileSync(path.join(storeRoot, "catalog.json"), path.join(base, "catalog.json"));
  for (const id of datasetIds) {
    const { release, species, assembly } = datasetIdParts(id);
    fs.cpSync(path.join(storeRoot, datasetStorePath(id)), path.join(base, release, species, assembly), { recursive: true });
  }
  return base;
}
