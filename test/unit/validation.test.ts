import * as assert from "assert";
import { SECRET_KEYS } from "../../provider/program/secrets";
import { type CheckFailure, checkIdentifier, checkObjectId, didYouMean, editDistanceWithin, MAX_SUGGESTION_DISTANCE, UNKNOWN } from "../../provider/validation";

/** The textbook Levenshtein table, unbounded: the reference editDistanceWithin must agree with. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Deterministic pseudo-random strings over a small alphabet, so that near misses are common. */
function* pairs(count: number): Generator<[string, string]> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () => Array.from({ length: Math.floor(next() * 14) }, () => "abc"[Math.floor(next() * 3)]).join("");
  for (let k = 0; k < count; k++) yield [word(), word()];
}

describe("validation helpers", () => {
  it("suggests the closest key, case-insensitively, and nothing for far-off input", () => {
    const keys = ["BaseAddress", "SecretToken", "SyncAll"];
    assert.strictEqual(didYouMean("baseaddress", keys), "BaseAddress");
    assert.strictEqual(didYouMean("SecretTokn", keys), "SecretToken");
    assert.strictEqual(didYouMean("Zzzzzzzzzzzz", keys), undefined);
  });

  it("bounded edit distance: exact within the bound, bound + 1 beyond it", () => {
    for (const [a, b] of pairs(2000)) {
      const exact = levenshtein(a, b);
      for (const bound of [0, 1, 2, 3, 5, 20]) {
        assert.strictEqual(editDistanceWithin(a, b, bound), Math.min(exact, bound + 1), `${JSON.stringify(a)} ${JSON.stringify(b)} bound ${bound}`);
      }
    }
  });

  it("suggests what the unbounded distance suggested, for names within the cap", () => {
    const names = ["BaseAddress", "SecretToken", "userPrincipalName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter"];
    assert.strictEqual(didYouMean("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCentre", names), names[3]);
    assert.strictEqual(didYouMean("userPrincipleName", names), "userPrincipalName");
    // Ties keep the first candidate, as before.
    assert.strictEqual(didYouMean("ab", ["ax", "ay"]), "ax");
    // More edits than the cap is not a typo, however long the name.
    const long = "x".repeat(60);
    assert.strictEqual(didYouMean(long + "y".repeat(MAX_SUGGESTION_DISTANCE), [long]), long);
    assert.strictEqual(didYouMean(long + "y".repeat(MAX_SUGGESTION_DISTANCE + 1), [long]), undefined);
  });

  // The old unbounded distance cost input length x candidate length per candidate, and each of
  // these inputs would take it minutes, past mocha's timeout (measured: 4.6 s per 1.1 MB name
  // against the secret keys; 0.7 s for 10 kB against 10 kB, growing with the product). Bounded,
  // each is a few million steps.
  it("stays linear in the input's length: a 33 MB name against the 45 secret keys", () => {
    assert.strictEqual(didYouMean("SecretToken".repeat(3_000_000), SECRET_KEYS), undefined);
  });

  it("stays linear when input and candidates are both long: 100 kB against 100 kB names", () => {
    const a = "a".repeat(100_000);
    assert.strictEqual(didYouMean(a + "b", [a.replace(/^a/, "c"), a]), a);
    assert.strictEqual(didYouMean("b".repeat(100_000), [a, "c".repeat(99_999)]), undefined);
  });

  it("checks object ids as GUIDs and skips unknowns", () => {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", "00000000-0000-0000-0000-000000000001", "service principal", failures);
    checkObjectId("servicePrincipalId", UNKNOWN, "service principal", failures);
    assert.deepStrictEqual(failures, []);
    checkObjectId("servicePrincipalId", "app-name", "service principal", failures);
    checkObjectId("servicePrincipalId", 7, "service principal", failures);
    assert.strictEqual(failures.length, 2);
  });

  it("checks identifiers: non-empty, no spaces or slashes", () => {
    const failures: CheckFailure[] = [];
    checkIdentifier("templateId", "scim", "template id", failures);
    checkIdentifier("templateId", "customappsso#V2", "template id", failures);
    assert.strictEqual(failures.length, 0);
    checkIdentifier("templateId", " ", "template id", failures);
    checkIdentifier("templateId", "a/b", "template id", failures);
    assert.deepStrictEqual(
      failures.map((f) => f.property),
      ["templateId", "templateId"],
    );
  });
});
