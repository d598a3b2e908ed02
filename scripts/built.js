#!/usr/bin/env node
'use strict';
/**
 * Runs a compiled entry point of dist/, building first only when the sources changed.
 *
 *   node scripts/built.js dist/apps/cli/src/main.js token --role admin
 *
 * The build is stamped with a SHA-256 over every file the build reads (apps/, libs/, bench/, scripts/, the
 * tsconfig files, package.json and package-lock.json: their paths and contents). When the stamp in
 * dist/ matches the working tree, the entry runs at once, in this process. When it does not (an
 * edit, a `git pull`, a checkout, a fresh clone), `npm run build` runs first (tsc --incremental,
 * so only what changed is re-checked), its output goes to stderr so that stdout stays the
 * command's own, and the stamp is written only if the build succeeded. A failed build stops here
 * with its exit code: a stale build never runs silently. Concurrent callers share one build
 * through a lock directory.
 *
 * `node scripts/built.js --build` builds if needed and runs nothing (for the test support).
 */
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.source-stamp');
const SOURCE_DIRS = ['apps', 'libs', 'bench', 'scripts'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const LOCK = path.join(os.tmpdir(), `asiointitili-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}.lock`);
const STALE_LOCK_MS = 180_000;

/** SHA-256 over the path and content of every file the build reads, in a stable order. */
function sourceStamp() {
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir));
  for (const file of SOURCE_FILES) if (fs.existsSync(path.join(ROOT, file))) files.push(path.join(ROOT, file));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function currentStamp() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim();
  } catch {
    return null;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(work) {
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed build is taken over after three minutes.
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK}`);
      sleep(200);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds when the stamp does not match the sources; returns the build's exit status (0 when up to date). */
function ensureBuilt() {
  if (currentStamp() === sourceStamp()) return 0;
  return withLock(() => {
    const stamp = sourceStamp(); // taken before tsc reads the files: an edit during the build leaves it stale
    if (currentStamp() === stamp) return 0; // another caller built it while we waited
    process.stderr.write('sources changed since the last build: npm run build\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (build.error) throw build.error;
    if (build.status !== 0) {
      process.stderr.write(`the build failed (exit ${build.status}); not running a stale dist/\n`);
      return build.status || 1;
    }
    fs.writeFileSync(STAMP, `${stamp}\n`);
    return 0;
  });
}

module.exports = { ensureBuilt, sourceStamp, STAMP };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node scripts/built.js <dist entry.js> [args…] | --build\n');
    process.exit(2);
  }
  const status = ensureBuilt();
  if (status !== 0) process.exit(status);
  if (entry !== '--build') {
    const target = path.resolve(ROOT, entry);
    // The entry runs as the main module, with the argv it would see as `node <entry> args…`.
    process.argv = [process.argv[0], target, ...args];
    require('node:module').runMain();
  }
}
