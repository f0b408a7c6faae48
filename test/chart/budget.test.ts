import { strict as assert } from "assert";
import { helmTemplate, renderChart } from "../support/chart";

describe("chart: ephemeral-storage budget", () => {
  it("refuses /cache + /tmp emptyDirs larger than the ephemeral-storage limit, saying so", () => {
    const r = helmTemplate({ values: { cache: { diskSize: "9Gi", tmpSize: "2Gi" } } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /ephemeral-storage budget: cache\.diskSize \(9Gi\) \+ cache\.tmpSize \(2Gi\) exceed resources\.limits\.ephemeral-storage \(10Gi\)/);
  });

  it("accepts emptyDirs that exactly fill the limit", () => {
    assert.doesNotThrow(() => renderChart({ values: { cache: { diskSize: "9Gi", tmpSize: "1Gi", maxDiskBytes: 1024 } } }));
  });

  it("compares across units (decimal G against binary Gi)", () => {
    // 10G = 10^10 bytes < 10Gi, so 10G + 1Gi overflows a 10Gi limit by less than 1Gi.
    const r = helmTemplate({ values: { cache: { diskSize: "10G", tmpSize: "1Gi", maxDiskBytes: 1024 } } });
    assert.match(r.stderr, /ephemeral-storage budget/);
    assert.doesNotThrow(() => renderChart({ values: { cache: { diskSize: "9G", tmpSize: "1Gi", maxDiskBytes: 1024 } } }));
  });

  it("does not count /cache on node-local SSD, but still counts /tmp", () => {
    const ssd = { nodeLocalSsdProfile: { enabled: true, size: "100Gi" }, cache: { diskSize: "50Gi" } };
    assert.doesNotThrow(() => renderChart({ values: ssd }));
    const r = helmTemplate({ values: { ...ssd, cache: { diskSize: "50Gi", tmpSize: "11Gi" } } });
    assert.match(r.stderr, /ephemeral-storage budget: cache\.tmpSize \(11Gi\) exceeds resources\.limits\.ephemeral-storage/);
  });

  it("refuses a cache cap larger than the /cache volume", () => {
    const r = helmTemplate({ values: { cache: { maxDiskBytes: 9 * 1024 ** 3 } } });
    assert.match(r.stderr, /cache\.maxDiskBytes \(9663676416\) exceeds cache\.diskSize \(8Gi\)/);
  });
});
