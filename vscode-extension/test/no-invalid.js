#!/usr/bin/env node
'use strict';
// Tokenises every *.mint file under ../examples/ (the project's examples, recursively, if the
// folder exists) and under test/samples/ with the extension's grammar, through vscode-textmate
// and vscode-oniguruma from node_modules (no network), and fails if any token gets a scope
// containing "invalid". Each file is also tokenised again with a BOM and CRLF line endings.
// The samples must together produce every scope the grammar can assign (invalid ones aside),
// so a construct that silently stopped being highlighted is caught too, and every non-blank
// character of a sample must get some scope.
const fs = require('fs');
const path = require('path');
const { tokenize, GRAMMAR_PATH } = require('./tokenizer');

const EXT_ROOT = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.resolve(EXT_ROOT, '..', 'examples');
const SAMPLES_DIR = path.join(__dirname, 'samples');

function findMintFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findMintFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.mint')) found.push(full);
  }
  return found.sort();
}

/** Every scope name the grammar can assign, each space-separated part on its own. */
function grammarScopes() {
  const names = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'name' || key === 'contentName') && typeof value === 'string') {
        value.split(/\s+/).filter(Boolean).forEach((s) => names.add(s));
      } else {
        walk(value);
      }
    }
  };
  const grammar = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));
  walk(grammar.repository);
  walk(grammar.patterns);
  return names;
}

async function checkFile(file, seenScopes, unscoped) {
  const text = fs.readFileSync(file, 'utf8');
  const problems = [];
  const variants = [
    ['', text],
    [' (BOM + CRLF)', '\uFEFF' + text.replace(/\r?\n/g, '\r\n')],
  ];
  for (const [label, body] of variants) {
    for (const tok of await tokenize(body)) {
      if (label === '' && tok.scopes.length === 1 && tok.text.trim() !== '') {
        unscoped.push(`${path.relative(process.cwd(), file)}:${tok.line}:${tok.column}: ${JSON.stringify(tok.text)} has no scope`);
      }
      for (const scope of tok.scopes) {
        seenScopes.add(scope);
        if (scope.includes('invalid')) {
          problems.push(`${path.relative(process.cwd(), file)}:${tok.line}:${tok.column}${label}: ` +
            `${JSON.stringify(tok.text)} has scope ${scope} (${tok.scopes.join(' ')})`);
        }
      }
    }
  }
  return problems;
}

async function main() {
  const examples = findMintFiles(EXAMPLES_DIR);
  const samples = findMintFiles(SAMPLES_DIR);
  if (samples.length === 0) throw new Error(`no sample files in ${SAMPLES_DIR}`);
  console.log(`no-invalid: ${examples.length} file(s) under ${EXAMPLES_DIR}` +
    (examples.length ? '' : ' (folder missing or empty)') + `, ${samples.length} sample(s) under ${SAMPLES_DIR}`);

  let passed = 0;
  let failed = 0;
  const sampleScopes = new Set();
  for (const file of [...examples, ...samples]) {
    const isSample = samples.includes(file);
    const unscoped = [];
    const problems = await checkFile(file, isSample ? sampleScopes : new Set(), unscoped);
    // Text the grammar does not recognise at all: a gap in the samples (which must be fully
    // highlighted) fails; in the project's examples it is only reported.
    if (isSample) problems.push(...unscoped);
    else unscoped.forEach((u) => console.log(`note ${u}`));
    if (problems.length) {
      failed++;
      console.log(`FAIL ${path.relative(process.cwd(), file)}`);
      problems.slice(0, 20).forEach((p) => console.log(`  ${p}`));
      if (problems.length > 20) console.log(`  ... and ${problems.length - 20} more`);
    } else {
      passed++;
      console.log(`ok   ${path.relative(process.cwd(), file)}`);
    }
  }

  const missing = [...grammarScopes()].filter((s) => !s.includes('invalid') && !sampleScopes.has(s)).sort();
  if (missing.length) {
    failed++;
    console.log(`FAIL sample coverage: test/samples never produce these grammar scopes: ${missing.join(', ')}`);
  } else {
    passed++;
    console.log('ok   sample coverage: the samples produce every non-invalid scope of the grammar');
  }

  console.log(`no-invalid: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exitCode = 1;
});
