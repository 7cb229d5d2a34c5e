#!/usr/bin/env node
'use strict';
// Bundles src/extension.ts and its runtime dependencies into out/extension.js (only `vscode`
// stays external), and writes out/THIRD_PARTY_NOTICES.txt with the license of every npm package
// that ended up in the bundle.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'out');

function packageOf(inputPath) {
  // "node_modules/a/..." or "node_modules/@scope/b/..." (possibly nested node_modules).
  const parts = inputPath.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0) return undefined;
  const name = parts[i + 1].startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
  return path.join(root, ...parts.slice(0, i + 1), ...name.split('/'));
}

function licenseText(pkgDir) {
  const file = fs.readdirSync(pkgDir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  return file ? fs.readFileSync(path.join(pkgDir, file), 'utf8').trim() : undefined;
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/extension.ts'],
    bundle: true,
    outfile: 'out/extension.js',
    external: ['vscode'],
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });

  const pkgDirs = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const dir = packageOf(input);
    if (dir) pkgDirs.add(dir);
  }
  const sections = [...pkgDirs].sort().map((dir) => {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const text = licenseText(dir) ?? `License: ${meta.license ?? 'see the package'}`;
    return `${meta.name} ${meta.version} (${meta.license ?? 'unknown license'})\n\n${text}\n`;
  });
  fs.writeFileSync(
    path.join(outDir, 'THIRD_PARTY_NOTICES.txt'),
    'out/extension.js bundles the following npm packages.\n\n' + sections.join('\n' + '-'.repeat(72) + '\n\n'),
  );
  const size = fs.statSync(path.join(outDir, 'extension.js')).size;
  console.log(`bundle: out/extension.js (${(size / 1024).toFixed(1)} KiB, ${pkgDirs.size} bundled packages)`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
