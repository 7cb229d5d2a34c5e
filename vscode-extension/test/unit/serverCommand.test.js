'use strict';
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

const built = bundle('src/serverCommand.ts');
const sc = require(built.file);
test.after(() => built.cleanup());

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mint-path-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function touch(file, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, mode);
  return file;
}

const posix = (env, extra = {}) => ({ env, platform: 'linux', home: '/home/u', ...extra });

test('settings fall back to the defaults mintc / ["lsp"]', () => {
  assert.equal(sc.serverPathSetting(undefined), 'mintc');
  assert.equal(sc.serverPathSetting('   '), 'mintc');
  assert.equal(sc.serverPathSetting(42), 'mintc');
  assert.equal(sc.serverPathSetting(' /opt/mintc '), '/opt/mintc');
  assert.deepEqual(sc.serverArgsSetting(undefined), ['lsp']);
  assert.deepEqual(sc.serverArgsSetting(['lsp', 1]), ['lsp']);
  assert.deepEqual(sc.serverArgsSetting([]), []);
  assert.deepEqual(sc.serverArgsSetting(['lsp', '--log', 'x']), ['lsp', '--log', 'x']);
});

test('variables in the configured path are expanded', () => {
  const ctx = posix({ VENV: '/v' }, { workspaceFolder: '/ws' });
  assert.equal(sc.expandVariables('~/bin/mintc', ctx), '/home/u/bin/mintc');
  assert.equal(sc.expandVariables('~', ctx), '/home/u');
  assert.equal(sc.expandVariables('${userHome}/x', ctx), '/home/u/x');
  assert.equal(sc.expandVariables('${workspaceFolder}/.venv/bin/mintc', ctx), '/ws/.venv/bin/mintc');
  assert.equal(sc.expandVariables('${env:VENV}/bin/mintc', ctx), '/v/bin/mintc');
  assert.equal(sc.expandVariables('${env:NOPE}/mintc', ctx), '/mintc');
  assert.equal(sc.expandVariables('a~b', ctx), 'a~b');
});

test('the mint.server.path description lists exactly the variables that are expanded', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  const listed = props['mint.server.path'].markdownDescription.match(/\$\{[^}]+\}/g);
  assert.deepEqual(listed, ['${userHome}', '${workspaceFolder}', '${env:NAME}']);
  const ctx = posix({ NAME: '/from-env' }, { workspaceFolder: '/ws' });
  for (const variable of listed) {
    assert.notEqual(sc.expandVariables(variable, ctx), variable, `${variable} is expanded`);
  }
  assert.equal(sc.expandVariables('${env:NAME}', posix({})), '', 'an unset variable is empty');
  assert.equal(sc.expandVariables('${workspaceFolder}/m', posix({})), '${workspaceFolder}/m', 'kept without a folder');
  assert.equal(sc.expandVariables('~/m', ctx), '/home/u/m');
  for (const other of ['${workspaceFolderBasename}', '${config:mint.x}', '${file}', '~user/m']) {
    assert.equal(sc.expandVariables(other, ctx), other, `${other} is not expanded`);
  }
  assert.match(props['mint.server.args'].markdownDescription, /no variables are expanded/);
});

test('a bare name is looked up on PATH, skipping non-executable files', () => {
  const a = tempDir();
  const b = tempDir();
  touch(path.join(a, 'mintc'), 0o644); // not executable: skipped
  const good = touch(path.join(b, 'mintc'), 0o755);
  const r = sc.resolveServerCommand('mintc', posix({ PATH: `${a}:${b}` }));
  assert.deepEqual(r, { found: true, command: good, useShell: false });
});

test('a bare name missing from PATH is reported as not found', () => {
  const empty = tempDir();
  const r = sc.resolveServerCommand('mintc', posix({ PATH: empty }));
  assert.equal(r.found, false);
  assert.match(r.reason, /not on PATH/);
  assert.equal(sc.resolveServerCommand('mintc', posix({})).found, false);
});

test('a path must be an executable file; relative paths start at the workspace folder', () => {
  const ws = tempDir();
  const exe = touch(path.join(ws, '.venv', 'bin', 'mintc'), 0o755);
  assert.deepEqual(sc.resolveServerCommand(exe, posix({ PATH: '' })), { found: true, command: exe, useShell: false });
  assert.deepEqual(sc.resolveServerCommand('.venv/bin/mintc', posix({ PATH: '' }, { workspaceFolder: ws })),
    { found: true, command: exe, useShell: false });
  assert.deepEqual(sc.resolveServerCommand('${workspaceFolder}/.venv/bin/mintc', posix({}, { workspaceFolder: ws })),
    { found: true, command: exe, useShell: false });
  const missing = sc.resolveServerCommand(path.join(ws, 'nope', 'mintc'), posix({}));
  assert.equal(missing.found, false);
  assert.match(missing.reason, /does not exist or is not an executable file/);
  assert.equal(sc.resolveServerCommand(path.join(ws, '.venv'), posix({})).found, false, 'a directory is not an executable');
});

test('on Windows, PATHEXT extensions are tried and batch files run through a shell', () => {
  const a = tempDir();
  const b = tempDir();
  const exe = touch(path.join(a, 'mintc.exe'), 0o644);
  const win = (env) => ({ env, platform: 'win32', home: 'C:\\Users\\u' });
  assert.deepEqual(sc.resolveServerCommand('mintc', win({ Path: `${a};${b}`, PATHEXT: '.COM;.EXE;.BAT;.CMD' })),
    { found: true, command: exe, useShell: false });
  const cmd = touch(path.join(b, 'mintc.cmd'), 0o644);
  assert.deepEqual(sc.resolveServerCommand('mintc', win({ PATH: b })), { found: true, command: cmd, useShell: true });
});

test('the not-found message names mintc, the pip package and the setting', () => {
  for (const msg of [sc.notFoundMessage('mintc', 'x'), sc.notFoundMessage('/opt/mintc', '/opt/mintc does not exist')]) {
    assert.match(msg, /"mintc" was not found/);
    assert.match(msg, /pip install spearmint-lang/);
    assert.match(msg, /mint\.server\.path/);
    assert.match(msg, /[Ss]yntax highlighting/);
  }
  assert.match(sc.notFoundMessage('/opt/mintc', 'r'), /\/opt\/mintc/);
  assert.match(sc.startFailedMessage('/usr/bin/mintc', ['lsp'], 'boom'), /\/usr\/bin\/mintc lsp\): boom/);
});
