'use strict';
// Runs the real extension (src/extension.ts bundled with vscode-languageclient) against a mocked
// `vscode` module and a fake language server process.
const test = require('node:test');

if (process.platform === 'win32') {
  // These tests use POSIX executables and PATH syntax.
  test('POSIX-only tests', { skip: 'not on Windows' }, () => {});
  return;
}
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { bundle } = require('./bundle');
const { createMock, installVscodeMock } = require('./vscode-mock');

const built = bundle('src/extension.ts');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mint-ext-'));
const mock = createMock();
const uninstall = installVscodeMock(mock.vscode);
const ext = require(built.file);
const context = { subscriptions: [] };

// A launcher for the fake server that runs it with this very node binary.
const launcher = path.join(work, 'fake-mintc');
fs.writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${path.join(__dirname, 'fake-server.js')}" "$@"\n`);
fs.chmodSync(launcher, 0o755);
const logFile = path.join(work, 'server.log');
const events = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const methods = () => events().filter((e) => e.event === 'message').map((e) => e.method);

async function waitFor(predicate, what, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}; server log: ${JSON.stringify(events())}; output: ${mock.state.output.join('')}`);
}

const savedPath = process.env.PATH;
test.after(async () => {
  process.env.PATH = savedPath;
  await ext.deactivate();
  context.subscriptions.forEach((d) => d.dispose());
  uninstall();
  built.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

test('without mintc on PATH: activation succeeds and one clear error is shown', async () => {
  process.env.PATH = work + '-nothing-here';
  ext.activate(context);
  await ext.whenIdle();
  process.env.PATH = savedPath;
  assert.ok(mock.state.commands.has('mint.restartServer'), 'mint.restartServer is registered');
  assert.equal(mock.state.errors.length, 1, `errors: ${JSON.stringify(mock.state.errors)}`);
  const [message] = mock.state.errors;
  assert.match(message, /"mintc" was not found/);
  assert.match(message, /pip install spearmint-lang/);
  assert.match(message, /mint\.server\.path/);
  assert.equal(events().length, 0, 'no server process was started');
});

test('changing mint.server.* restarts the client, which runs exactly <path> <args...> over stdio', async () => {
  mock.state.errors.length = 0;
  mock.updateSettings({ 'mint.server.path': launcher, 'mint.server.args': [logFile] });
  await ext.whenIdle();
  assert.deepEqual(mock.state.errors, []);
  const starts = events().filter((e) => e.event === 'start');
  assert.equal(starts.length, 1);
  assert.deepEqual(starts[0].argv, [logFile], 'no --stdio or other flag is appended');
  await waitFor(() => methods().includes('initialized'), 'the initialized notification');
  assert.deepEqual(methods().slice(0, 2), ['initialize', 'initialized']);
});

test('other settings do not restart the server', async () => {
  const before = events().filter((e) => e.event === 'start').length;
  mock.updateSettings({ 'editor.tabSize': 4 });
  await ext.whenIdle();
  assert.equal(events().filter((e) => e.event === 'start').length, before);
});

test('mint.restartServer stops the server cleanly and starts a new one', async () => {
  await mock.state.commands.get('mint.restartServer')();
  await ext.whenIdle();
  await waitFor(() => methods().filter((m) => m === 'initialized').length === 2, 'a second initialized');
  const m = methods();
  assert.ok(m.indexOf('shutdown') > m.indexOf('initialized'), `shutdown after the first start: ${m}`);
  assert.ok(m.includes('exit'));
  assert.equal(events().filter((e) => e.event === 'start').length, 2);
  assert.deepEqual(mock.state.errors, []);
});

test('a server that exits at once gives one clear error and no restart loop', async () => {
  mock.state.errors.length = 0;
  const before = events().filter((e) => e.event === 'start').length;
  mock.updateSettings({ 'mint.server.args': [logFile, 'crash'] });
  await ext.whenIdle();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(events().filter((e) => e.event === 'start').length, before + 1, 'started once, not restarted');
  assert.equal(mock.state.errors.length, 1, `errors: ${JSON.stringify(mock.state.errors)} output: ${mock.state.output.join('')}`);
  assert.match(mock.state.errors[0], /"mintc" could not be started/);
  assert.match(mock.state.errors[0], /pip install -U spearmint-lang/);
});

test('a server that keeps crashing after startup is restarted 4 times, then given up on', async () => {
  mock.state.errors.length = 0;
  const before = events().filter((e) => e.event === 'start').length;
  mock.updateSettings({ 'mint.server.path': launcher, 'mint.server.args': [logFile, 'crash-later'] });
  await ext.whenIdle();
  await waitFor(() => mock.state.errors.length > 0, 'the give-up message');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(events().filter((e) => e.event === 'start').length, before + 5, 'first start + 4 restarts');
  assert.equal(mock.state.errors.length, 1, `errors: ${JSON.stringify(mock.state.errors)}`);
  assert.match(mock.state.errors[0], /stopped 5 times in 3 minutes and will not be restarted/);
});

test('a configured path that does not exist is reported with the path', async () => {
  mock.state.errors.length = 0;
  mock.updateSettings({ 'mint.server.path': path.join(work, 'missing', 'mintc'), 'mint.server.args': ['lsp'] });
  await ext.whenIdle();
  assert.equal(mock.state.errors.length, 1);
  assert.match(mock.state.errors[0], /"mintc" was not found at ".*missing\/mintc"/);
  assert.match(mock.state.errors[0], /pip install spearmint-lang/);
});

test('deactivate stops a running server', async () => {
  mock.updateSettings({ 'mint.server.path': launcher, 'mint.server.args': [logFile] });
  await ext.whenIdle();
  const exitsBefore = methods().filter((m) => m === 'exit').length;
  await ext.deactivate();
  await waitFor(() => methods().filter((m) => m === 'exit').length === exitsBefore + 1, 'exit after deactivate');
});
