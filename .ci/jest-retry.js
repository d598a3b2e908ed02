#!/usr/bin/env node
/**
 * Runs jest with the given arguments and, when suites fail, runs exactly those suites once more.
 *
 * Why: the end-to-end and fault suites kill processes, stop stores and drive a browser on a
 * 2-core machine; a suite can miss a time limit once for reasons outside the product. A suite that
 * fails twice fails the run. Every retry is printed with the first failure's test names, so a flaky
 * suite stays visible instead of hidden.
 *
 *   node .ci/jest-retry.js <label> <summary-file> [jest arguments…]
 *
 * Prints "<label> — N passed, N failed, N skipped" and writes the counts as JSON to <summary-file>
 * (the caller adds up several runs into one closing line). Exit status: 0 when nothing failed
 * after the retry.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const [label, summaryFile, ...jestArgs] = process.argv.slice(2);
if (!label || !summaryFile) {
  console.error('usage: node .ci/jest-retry.js <label> <summary-file> [jest arguments…]');
  process.exit(2);
}
// The package's own bin (its exports map hides the path from require.resolve).
const jest = join(process.cwd(), 'node_modules', 'jest', 'bin', 'jest.js');
const scratch = mkdtempSync(join(tmpdir(), 'jest-retry-'));

function run(args, name) {
  const out = join(scratch, `${name}.json`);
  const child = spawnSync(process.execPath, [jest, ...args, '--json', `--outputFile=${out}`], { stdio: 'inherit' });
  let results = null;
  try {
    results = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    // jest itself failed before writing results
  }
  return { code: child.status ?? 1, results };
}

/** Per file: passed, failed, skipped (pending and todo), and whether the file failed as a whole. */
function perFile(results) {
  const files = new Map();
  for (const file of results.testResults) {
    const counts = { passed: 0, failed: 0, skipped: 0, failedNames: [] };
    for (const a of file.assertionResults) {
      if (a.status === 'passed') counts.passed++;
      else if (a.status === 'failed') {
        counts.failed++;
        counts.failedNames.push(a.fullName);
      } else counts.skipped++;
    }
    // A suite that could not run at all (an error outside any test) fails with no failed test.
    counts.broken = file.status === 'failed';
    files.set(file.name, counts);
  }
  return files;
}

const first = run(jestArgs, 'first');
if (!first.results) {
  console.log(`${label} — no results: jest failed before running any test`);
  writeFileSync(summaryFile, JSON.stringify({ passed: 0, failed: 1, skipped: 0 }));
  process.exit(first.code || 1);
}
const files = perFile(first.results);
const failedFiles = [...files].filter(([, c]) => c.broken).map(([name]) => name);
let code = first.code;
if (failedFiles.length > 0) {
  console.log(`\n${label}: ${failedFiles.length} suite(s) failed; running them once more:`);
  for (const name of failedFiles) {
    const c = files.get(name);
    console.log(`  ${relative(process.cwd(), name)}${c.failedNames.length ? `: ${c.failedNames.join(' | ')}` : ' (the suite did not run)'}`);
  }
  const retry = run(['--runTestsByPath', ...failedFiles], 'retry');
  if (!retry.results) {
    code = retry.code || 1;
  } else {
    for (const [name, counts] of perFile(retry.results)) files.set(name, counts);
    code = retry.code;
    const still = [...perFile(retry.results)].filter(([, c]) => c.broken).map(([name]) => relative(process.cwd(), name));
    console.log(still.length === 0 ? `${label}: every retried suite passed on its second run` : `${label}: failed twice: ${still.join(', ')}`);
  }
} else if (code !== 0) {
  console.log(`${label}: jest exited ${code} with no failed suite`);
}
const total = { passed: 0, failed: 0, skipped: 0 };
for (const c of files.values()) {
  total.passed += c.passed;
  total.failed += c.failed + (c.broken && c.failed === 0 ? 1 : 0);
  total.skipped += c.skipped;
}
if (code !== 0 && total.failed === 0) total.failed = 1;
writeFileSync(summaryFile, JSON.stringify(total));
console.log(`${label} — ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 ? 0 : code || 1);
