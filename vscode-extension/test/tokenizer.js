'use strict';
// Loads syntaxes/mint.tmLanguage.json into vscode-textmate (the engine VS Code uses) with the
// Oniguruma WebAssembly build from node_modules. No network access.
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR_PATH = path.join(__dirname, '..', 'syntaxes', 'mint.tmLanguage.json');
const SCOPE = 'source.mint';

let grammarPromise;

function loadGrammar() {
  if (!grammarPromise) {
    const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
    const wasm = fs.readFileSync(wasmPath);
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) => {
        if (scopeName !== SCOPE) return null;
        return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      },
    });
    grammarPromise = registry.loadGrammar(SCOPE).then((g) => {
      if (!g) throw new Error(`could not load grammar ${SCOPE}`);
      return g;
    });
  }
  return grammarPromise;
}

/** Splits text as VS Code does (BOM dropped, LF or CRLF) and tokenises every line. */
async function tokenize(text) {
  const grammar = await loadGrammar();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let ruleStack = vsctm.INITIAL;
  const out = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, ruleStack);
    for (const t of r.tokens) {
      out.push({ line: i + 1, column: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    ruleStack = r.ruleStack;
  });
  return out;
}

module.exports = { tokenize, loadGrammar, GRAMMAR_PATH, SCOPE };

if (require.main === module) {
  // Debug helper: node test/tokenizer.js FILE  prints every token with its scopes.
  const file = process.argv[2];
  tokenize(fs.readFileSync(file, 'utf8')).then((tokens) => {
    for (const t of tokens) {
      if (t.text.trim() === '') continue;
      console.log(`${t.line}:${t.column}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}`);
    }
  });
}
