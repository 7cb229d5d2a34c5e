'use strict';
// Compiles a TypeScript entry point of src/ with esbuild (as the build does) into a temporary
// folder, so the unit tests exercise the current sources and not a stale out/.
const fs = require('fs');
const os = require('os');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..');

function bundle(entry) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mint-ext-test-'));
  const outfile = path.join(dir, path.basename(entry).replace(/\.ts$/, '.js'));
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    outfile,
    external: ['vscode'],
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    logLevel: 'warning',
  });
  return { file: outfile, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { bundle, root };
