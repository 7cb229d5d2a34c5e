'use strict';
// End to end: the bundled extension client (src/extension.ts + vscode-languageclient) against the
// REAL language server, `mintc lsp`, under the mocked `vscode` module. It opens a `mint` document,
// and checks that the server's diagnostics reach VS Code's diagnostic collection, are cleared by
// a fixing edit, and that hover and formatting requests go through the client.
//
// mintc is taken from $MINTC, else from the repository's virtual environment (../../../.venv);
// without it the test is skipped (with the reason printed), so `npm test` still works without
// the Python side installed.
const test = require('node:test');
const fs = require('fs');
const path = require('path');

function findMintc() {
  if (process.env.MINTC) {
    const file = path.resolve(process.env.MINTC);
    return fs.existsSync(file) ? { file } : { reason: `MINTC=${process.env.MINTC} does not exist` };
  }
  const venv = path.join(__dirname, '../../../.venv');
  const candidates = process.platform === 'win32'
    ? [path.join(venv, 'Scripts', 'mintc.exe'), path.join(venv, 'Scripts', 'mintc')]
    : [path.join(venv, 'bin', 'mintc')];
  const file = candidates.find((f) => fs.existsSync(f));
  return file
    ? { file }
    : { reason: `mintc not found (set MINTC, or create the venv: ${candidates[0]} is missing)` };
}

const mintc = findMintc();
if (!mintc.file) {
  const reason = `real language server test skipped: ${mintc.reason}`;
  console.log(reason);
  test('the real `mintc lsp` language server through the extension client', { skip: reason }, () => {});
  return;
}

const assert = require('node:assert/strict');
const os = require('os');
const { bundle } = require('./bundle');
const { createMock, installVscodeMock } = require('./vscode-mock');

const built = bundle('src/extension.ts');
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mint-real-')));
const mock = createMock();
const uninstall = installVscodeMock(mock.vscode);
const ext = require(built.file);
const context = { subscriptions: [] };
const { Position, CancellationTokenSource } = mock.vscode;

const BROKEN = 'model: ["a", "b"]*\ntemperature: 0..1 step 0\n';
const FIXED = 'model: ["a", "b"]*\ntemperature: 0..1 step 1\n';
const UNFORMATTED = 'model:["a","b"]*\ntemperature: 0..1 step 1\n';
const FORMATTED = FIXED;

const file = path.join(work, 'sweep.mint');
fs.writeFileSync(file, BROKEN);
let document;

const output = () => mock.state.output.join('');

async function waitFor(predicate, what, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}; diagnostics: ${JSON.stringify([...mock.state.diagnostics])}; output: ${output()}`);
}

/** The provider the client registered for `kind` (e.g. 'Hover') whose selector matches `doc`. */
function providerFor(kind, doc) {
  const entry = mock.state.providers.find((p) => p.kind === kind && mock.vscode.languages.match(p.selector, doc) > 0);
  assert.ok(entry, `the client registered a ${kind} provider for mint documents (got: ${mock.state.providers.map((p) => p.kind)})`);
  return entry.provider;
}

function applyEdits(text, doc, edits) {
  const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
  for (const e of sorted) {
    text = text.slice(0, doc.offsetAt(e.range.start)) + e.newText + text.slice(doc.offsetAt(e.range.end));
  }
  return text;
}

test.after(async () => {
  await ext.deactivate();
  context.subscriptions.forEach((d) => d.dispose());
  uninstall();
  built.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

test('the client starts the real `mintc lsp`', { timeout: 15000 }, async () => {
  mock.updateSettings({ 'mint.server.path': mintc.file, 'mint.server.args': ['lsp'] });
  ext.activate(context);
  await ext.whenIdle();
  assert.deepEqual(mock.state.errors, [], `output: ${output()}`);
  assert.match(output(), /\[mint\] language server started/);
});

test('a mistake in an open mint document arrives as an E030 diagnostic from mintc', { timeout: 10000 }, async () => {
  document = mock.openTextDocument(file, 'mint', BROKEN);
  const key = document.uri.toString();
  await waitFor(() => mock.state.diagnostics.has(key), 'diagnostics for the open document');
  const diagnostics = mock.state.diagnostics.get(key);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  const [d] = diagnostics;
  assert.equal(d.code, 'E030');
  assert.equal(d.source, 'mintc');
  assert.equal(d.severity, mock.vscode.DiagnosticSeverity.Error);
  assert.match(d.message, /^the step of a range cannot be 0/);
  // `temperature: 0..1 step 0`: the `0` after `step` is character 23 of line 1 (0-based).
  const column = BROKEN.split('\n')[1].indexOf('step 0') + 5;
  assert.equal(column, 23);
  assert.deepEqual([d.range.start.line, d.range.start.character], [1, column]);
  assert.deepEqual([d.range.end.line, d.range.end.character], [1, column + 1]);
});

test('an edit that fixes the mistake clears the diagnostics', { timeout: 10000 }, async () => {
  mock.changeTextDocument(document, FIXED);
  await waitFor(() => !mock.state.diagnostics.has(document.uri.toString()), 'the diagnostics to be cleared');
});

test('hover on a swept key, requested through the client, shows its values', { timeout: 10000 }, async () => {
  const hover = await providerFor('Hover', document).provideHover(document, new Position(0, 2), new CancellationTokenSource().token);
  assert.ok(hover, 'a hover came back');
  const text = hover.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(text, /2 values/, text);
  assert.deepEqual([hover.range.start.line, hover.range.start.character, hover.range.end.character], [0, 0, 5]);
});

test('format document, requested through the client, gives the canonical layout', { timeout: 10000 }, async () => {
  mock.changeTextDocument(document, UNFORMATTED);
  const options = { tabSize: 2, insertSpaces: true };
  const edits = await providerFor('DocumentFormatting', document)
    .provideDocumentFormattingEdits(document, options, new CancellationTokenSource().token);
  assert.ok(Array.isArray(edits) && edits.length > 0, `edits: ${JSON.stringify(edits)}`);
  assert.equal(applyEdits(UNFORMATTED, document, edits), FORMATTED);
});

test('closing the document clears its diagnostics; deactivating stops the server cleanly', { timeout: 10000 }, async () => {
  const key = document.uri.toString();
  mock.changeTextDocument(document, BROKEN);
  await waitFor(() => mock.state.diagnostics.has(key), 'the diagnostic to come back');
  mock.closeTextDocument(document);
  // mintc answers didClose by publishing no diagnostics: once they are gone, the close was delivered.
  await waitFor(() => !mock.state.diagnostics.has(key), 'the diagnostics to be cleared on close');
  await ext.deactivate();
  assert.deepEqual(mock.state.errors, [], `output: ${output()}`);
  assert.doesNotMatch(output(), /unexpected error|failed|\[Error/i);
});
