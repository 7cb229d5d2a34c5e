'use strict';
// Checks the declarative parts of the extension: package.json contributions, the language
// configuration and the snippets (whose expansions must highlight without `invalid` scopes).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { tokenize } = require('../tokenizer');

const root = path.resolve(__dirname, '..', '..');
const readJson = (rel) => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8'));
const pkg = readJson('package.json');

test('package.json contributes the mint language, grammar, snippets, command and settings', () => {
  assert.equal(pkg.name, 'spearmint-mint');
  assert.equal(pkg.publisher, 'spearmint-lang');
  assert.equal(pkg.version, '0.1.0');
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.engines.vscode, '^1.82.0');
  assert.equal(pkg.main, './out/extension.js');
  assert.deepEqual(pkg.activationEvents, ['onLanguage:mint']);

  const [lang] = pkg.contributes.languages;
  assert.equal(lang.id, 'mint');
  assert.deepEqual(lang.extensions, ['.mint']);
  assert.deepEqual(lang.aliases, ['Mint', 'mint']);
  const [grammar] = pkg.contributes.grammars;
  assert.deepEqual(grammar, { language: 'mint', scopeName: 'source.mint', path: './syntaxes/mint.tmLanguage.json' });
  assert.equal(readJson(grammar.path).scopeName, 'source.mint');
  for (const rel of [lang.configuration, grammar.path, pkg.contributes.snippets[0].path]) {
    assert.ok(fs.existsSync(path.join(root, rel)), `${rel} exists`);
  }
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'mint.restartServer'));

  const props = pkg.contributes.configuration.properties;
  assert.equal(props['mint.server.path'].type, 'string');
  assert.equal(props['mint.server.path'].default, 'mintc');
  assert.equal(props['mint.server.args'].type, 'array');
  assert.deepEqual(props['mint.server.args'].default, ['lsp']);
  assert.deepEqual(props['mint.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.equal(props['mint.trace.server'].default, 'off');
  assert.equal(pkg.dependencies['vscode-languageclient'].startsWith('^9.'), true,
    'vscode-languageclient 9.x is the line that supports VS Code ^1.82');
});

test('[mint] editor defaults match mintc fmt: 2-space indent, spaces, one final newline', () => {
  assert.deepEqual(pkg.contributes.configurationDefaults, {
    '[mint]': {
      'editor.tabSize': 2,
      'editor.insertSpaces': true,
      'editor.detectIndentation': false,
      'files.insertFinalNewline': true,
      'files.trimFinalNewlines': true,
    },
  });
  // The formatter's own indent, when the extension sits in the project's checkout.
  const fmt = path.join(root, '..', 'spearmint_lang', 'fmt.py');
  if (fs.existsSync(fmt)) {
    const indent = /^INDENT = (\d+)$/m.exec(fs.readFileSync(fmt, 'utf8'));
    assert.ok(indent, 'fmt.py defines INDENT');
    assert.equal(pkg.contributes.configurationDefaults['[mint]']['editor.tabSize'], Number(indent[1]));
  }
});

test('language configuration: comments, brackets, pairs, folding and indentation rules', () => {
  const conf = readJson(pkg.contributes.languages[0].configuration);
  assert.equal(conf.comments.lineComment, '#');
  assert.deepEqual(conf.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const opens = conf.autoClosingPairs.map((p) => p.open);
  for (const o of ['{', '[', '(', '"', '"""']) assert.ok(opens.includes(o), `auto-closes ${o}`);
  assert.ok(conf.surroundingPairs.some(([a, b]) => a === '"' && b === '"'));
  const start = new RegExp(conf.folding.markers.start);
  const end = new RegExp(conf.folding.markers.end);
  assert.ok(start.test('  # region models') && end.test('# endregion'));
  const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
  const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
  for (const line of ['zip {', 'variants [', 'llm: {  # comment', 'where not (', 'schema {']) assert.ok(inc.test(line), line);
  for (const line of ['x: "{"', 'a: [1, 2]*', '# {', 'x: { a: 1 }']) assert.ok(!inc.test(line), line);
  for (const line of ['}', '  ]*', ')']) assert.ok(dec.test(line), line);
  const words = 'max-tokens: -3.5e-3 gpt-4'.match(new RegExp(conf.wordPattern, 'g'));
  assert.deepEqual(words, ['max-tokens', '-3.5e-3', 'gpt-4']);
});

/** Replaces snippet placeholders by their default text: `${1:x}` -> x, `${1|a,b|}` -> a, `$1` -> ''. */
function expandSnippet(body) {
  let text = body.join('\n').replace(/\t/g, '  ');
  let previous;
  do {
    previous = text;
    text = text
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:((?:[^${}]|\$(?!\{))*)\}/g, '$1');
  } while (text !== previous);
  return text.replace(/\$\{\d+\}|\$\d+/g, '');
}

const snippets = readJson(pkg.contributes.snippets[0].path);

test('snippets cover every construct the brief lists', () => {
  const prefixes = Object.values(snippets).flatMap((s) => [].concat(s.prefix));
  for (const p of ['sweep', 'range', 'range-step', 'zip', 'variants', 'schema', 'where', 'let', 'extends', '---',
    'random-search', 'sobol', 'choice', 'uniform']) {
    assert.ok(prefixes.includes(p), `a snippet with prefix ${p}`);
  }
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}" expands to text that highlights without invalid scopes`, async () => {
    const text = expandSnippet(snippet.body);
    assert.doesNotMatch(text, /\$\{|\$\d/, `placeholders left in ${JSON.stringify(text)}`);
    const tokens = await tokenize(text);
    const bad = tokens.filter((t) => t.scopes.some((s) => s.includes('invalid')));
    assert.deepEqual(bad, [], `invalid tokens in ${JSON.stringify(text)}`);
    const unscoped = tokens.filter((t) => t.scopes.length === 1 && t.text.trim() !== '');
    assert.deepEqual(unscoped, [], `unscoped text in ${JSON.stringify(text)}`);
  });
}
