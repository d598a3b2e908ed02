#!/usr/bin/env node
'use strict';
/**
 * Builds the citizen's web inbox (apps/web, React + Vite) into dist/web, only when its sources
 * changed: a SHA-256 over apps/web and package-lock.json is kept in dist/web/.web-stamp, and a
 * matching stamp with an index.html present skips the build (≈0.1 s instead of ≈4 s). Prints the
 * bundle's size (raw and gzip) after a build.
 *
 *   node scripts/build-web.js           build if needed
 *   node scripts/build-web.js --force   build anyway
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'apps', 'web');
const OUT = path.join(ROOT, 'dist', 'web');
const STAMP = path.join(OUT, '.web-stamp');

function webStamp() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(SOURCE);
  files.push(path.join(ROOT, 'package-lock.json'));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function upToDate(stamp) {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() === stamp && fs.existsSync(path.join(OUT, 'index.html'));
  } catch {
    return false;
  }
}

/** Sizes of the built JavaScript and CSS, raw and gzip-compressed, in bytes. */
function bundleSize() {
  const assets = path.join(OUT, 'assets');
  let raw = 0;
  let gzip = 0;
  for (const name of fs.readdirSync(assets)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const content = fs.readFileSync(path.join(assets, name));
    raw += content.length;
    gzip += zlib.gzipSync(content, { level: 9 }).length;
  }
  return { raw, gzip };
}

async function buildWeb({ force = false, quiet = false } = {}) {
  const stamp = webStamp();
  if (!force && upToDate(stamp)) return { built: false };
  const { build } = await import('vite');
  await build({ configFile: path.join(SOURCE, 'vite.config.mjs'), logLevel: quiet ? 'warn' : 'info' });
  fs.writeFileSync(STAMP, `${stamp}\n`);
  const size = bundleSize();
  if (!quiet) process.stderr.write(`web inbox: ${(size.raw / 1024).toFixed(1)} KiB of JavaScript and CSS, ${(size.gzip / 1024).toFixed(1)} KiB gzip\n`);
  return { built: true, size };
}

module.exports = { buildWeb, bundleSize, webStamp };

if (require.main === module) {
  buildWeb({ force: process.argv.includes('--force') }).catch((error) => {
    process.stderr.write(`the web build failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
