/**
 * The CLI's fault flags: --faults FILE (the control plane's JSON), --latency-ms N (a global latency
 * rule placed first, so the file's route rules refine it), --fault-seed N; invalid faults are a usage error.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../../emulator/cli";

describe("emulator CLI fault flags", () => {
  const faultsFile = (config: unknown) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-faults-")), "faults.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it("leaves faults off without fault flags", () => {
    assert.equal(parseArgs(["--seed", "3"]).options.faults, undefined);
  });

  it("turns --latency-ms and --fault-seed into a configuration", () => {
    assert.deepEqual(parseArgs(["--latency-ms", "50", "--fault-seed=9"]).options.faults, { seed: 9, rules: [{ latency: { ms: 50 } }] });
  });

  it("reads --faults FILE and puts the --latency-ms rule before its rules", () => {
    const file = faultsFile({ seed: 2, rules: [{ path: "users", latency: { ms: 0 } }], consistency: { jobCreate: { reads: 1 } } });
    assert.deepEqual(parseArgs(["--faults", file, "--latency-ms", "50"]).options.faults, {
      seed: 2,
      rules: [{ latency: { ms: 50 } }, { path: "users", latency: { ms: 0 } }],
      consistency: { jobCreate: { reads: 1 } },
    });
  });

  it("refuses unreadable or invalid fault files and bad numbers", () => {
    assert.throws(() => parseArgs(["--faults", "/nonexistent/faults.json"]), /--faults \/nonexistent\/faults\.json: ENOENT/);
    assert.throws(() => parseArgs(["--faults", faultsFile({ rules: [{ throttle: { probability: 3 } }] })]), /invalid faults: rules\[0\]\.throttle\.probability/);
    assert.throws(() => parseArgs(["--latency-ms", "-5"]), /--latency-ms must be a non-negative integer/);
  });
});
