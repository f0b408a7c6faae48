import { strict as assert } from "assert";
import { poll } from "../../lib/poll";

describe("lib/poll: waiting for a state reached on its own", () => {
  it("returns the probe's first value other than undefined", async () => {
    let calls = 0;
    assert.equal(await poll("third call", 1000, () => (++calls === 3 ? "ready" : undefined), 1), "ready");
  });

  it("gives up after the deadline, naming what it waited for and the probe's last error", async () => {
    await assert.rejects(
      poll("the thing", 50, () => {
        throw new Error("not there yet");
      }, 5),
      { message: "the thing: not within 0.05 s (last error: not there yet)" },
    );
  });
});
