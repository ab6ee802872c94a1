/**
 * The committed public API reports (review/*.api.md) match the built declarations: a change of the
 * API must come with its report, so that reviewers see it.
 */
import { strict as assert } from "node:assert";

const { checkApiReports } = require("../../scripts/api-report") as {
  checkApiReports: (options?: { update?: boolean }) => { changed: string[]; problems: string[] };
};

describe("public API reports", function () {
  this.timeout(60_000);

  it("match the built declarations (run `npm run api-report` and commit the reports when they do not)", () => {
    const { changed, problems } = checkApiReports();
    assert.deepEqual(problems, []);
    assert.deepEqual(changed, [], `out of date: ${changed.join(", ")}; run \`npm run api-report\` and commit the result`);
  });
});
