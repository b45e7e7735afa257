// Render a folder of Cucumber JSON files with multiple-cucumber-html-reporter, as a newsroom's CI would, and
// print the numbers the reporter computed (its enriched output): node report.cjs <json folder> <report folder>
const fs = require("fs");
const path = require("path");
const reporter = require("multiple-cucumber-html-reporter");

const [jsonDir, reportPath] = process.argv.slice(2);
reporter.generate({ jsonDir, reportPath, saveCollectedJSON: true, disableLog: true });
const enriched = JSON.parse(fs.readFileSync(path.join(reportPath, "enriched-output.json"), "utf8"));
process.stdout.write(JSON.stringify({ features: enriched.featureCount, scenarios: enriched.scenarios }) + "\n");
