/** Where the bootstrap reports what it is doing; stderr by default so `--json` output stays clean. */
export interface Reporter {
  line(message: string): void;
}

export const stderrReporter: Reporter = {
  line: (message) => process.stderr.write(`toolchain: ${message}\n`),
};

export const silentReporter: Reporter = { line: () => undefined };

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/**
 * Prints a heartbeat while a long step runs: the first Go build of a tool takes minutes and
 * a silent terminal looks hung. `detail` supplies live figures such as packages compiled.
 */
export function heartbeat(
  reporter: Reporter,
  label: string,
  detail: () => string,
  everyMs = 30_000,
): { stop(): number } {
  const started = Date.now();
  const timer = setInterval(() => {
    reporter.line(`  ... ${label}: ${formatDuration(Date.now() - started)} elapsed${detail()}`);
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Date.now() - started;
    },
  };
}
