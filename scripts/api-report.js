#!/usr/bin/env node
"use strict";
/**
 * `npm run api-report`: builds, then rewrites the public API reports with API Extractor:
 * review/pulumi-entra-sync.api.md (the package's entry point) and
 * emulator/review/pulumi-entra-sync-emulator.api.md. Commit them with the change that made them
 * differ: they are how a change of the API shows in review. test/unit/api-report.test.ts runs the
 * same check without writing (checkApiReports) and fails while a report is out of date.
 */
const path = require("path");

const root = path.resolve(__dirname, "..");
const CONFIGS = ["api-extractor.json", "emulator/api-extractor.json"];

/**
 * Compares the built declarations (dist/) with the committed reports; `update` rewrites them.
 * Returns the reports that differ(ed) and the problems API Extractor found.
 */
function checkApiReports({ update = false } = {}) {
  const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");
  const changed = [];
  const problems = [];
  for (const file of CONFIGS) {
    const config = ExtractorConfig.loadFileAndPrepare(path.join(root, file));
    const result = Extractor.invoke(config, {
      localBuild: update,
      messageCallback: (message) => {
        // Warnings about the API itself are written into the report; what is left is about the run.
        if (message.logLevel === "error") problems.push(message.text);
        message.handled = true;
      },
    });
    if (!result.succeeded && !result.apiReportChanged) problems.push(`${file}: API Extractor failed`);
    if (result.apiReportChanged) changed.push(path.relative(root, config.reportFilePath));
  }
  return { changed, problems };
}

if (require.main === module) {
  require("./build").build();
  const { changed, problems } = checkApiReports({ update: true });
  for (const p of problems) console.error(p);
  console.log(changed.length ? `updated: ${changed.join(", ")}` : "API reports are up to date");
  process.exit(problems.length ? 1 : 0);
}

module.exports = { checkApiReports };
