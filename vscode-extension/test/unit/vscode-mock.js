'use strict';
// A stand-in for the `vscode` module, enough for src/extension.ts and vscode-languageclient to
// run under plain Node: it records messages, commands and configuration listeners, and lets a
// test change settings. Anything not modelled here is a harmless no-op stub.
const Module = require('module');

function stub(name) {
  const fn = function () { return stub(`${name}()`); };
  return new Proxy(fn, {
    get(target, prop) {
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      if (prop === 'dispose') return () => undefined;
      if (prop === 'toString') return () => `[stub ${name}]`;
      if (!(prop in target)) target[prop] = stub(`${name}.${String(prop)}`);
      return target[prop];
    },
    construct() { return stub(`new ${name}`); },
  });
}

function withStubs(name, obj) {
  return new Proxy(obj, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then') return target[prop];
      target[prop] = stub(`${name}.${String(prop)}`);
      return target[prop];
    },
  });
}

class Disposable {
  constructor(fn) { this._fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose())); }
  dispose() { if (this._fn) { const fn = this._fn; this._fn = undefined; fn(); } }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const entry = (e) => listener.call(thisArg, e);
      this.listeners.add(entry);
      return new Disposable(() => this.listeners.delete(entry));
    };
  }
  fire(e) { [...this.listeners].forEach((l) => l(e)); }
  dispose() { this.listeners.clear(); }
}

class Uri {
  constructor(scheme, fsPath) { this.scheme = scheme; this.fsPath = fsPath; this.path = fsPath; }
  static file(p) { return new Uri('file', p); }
  static parse(s) { return s.startsWith('file://') ? new Uri('file', decodeURIComponent(s.slice(7))) : new Uri(s.split(':')[0], s); }
  toString() { return this.scheme === 'file' ? `file://${this.fsPath}` : this.path; }
  with() { return this; }
  toJSON() { return this.toString(); }
}

class CancellationTokenSource {
  constructor() { this.token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() }; }
  cancel() { this.token.isCancellationRequested = true; }
  dispose() {}
}

class CancellationError extends Error {}

function createMock() {
  const state = {
    settings: { 'mint.server.path': 'mintc', 'mint.server.args': ['lsp'], 'mint.trace.server': 'off' },
    errors: [],
    warnings: [],
    infos: [],
    commands: new Map(),
    executed: [],
    output: [],
    configListeners: new EventEmitter(),
  };

  const outputChannel = (name) => withStubs('OutputChannel', {
    name,
    append: (s) => state.output.push(s),
    appendLine: (s) => state.output.push(`${s}\n`),
    clear() {}, show() {}, hide() {}, dispose() {}, replace() {},
  });

  const configuration = (section) => withStubs('WorkspaceConfiguration', {
    get(key, dflt) {
      const full = section ? `${section}.${key}` : key;
      return full in state.settings ? state.settings[full] : dflt;
    },
    has(key) { return `${section}.${key}` in state.settings; },
    inspect() { return undefined; },
    update() { return Promise.resolve(); },
  });

  const vscode = {
    version: '1.82.0',
    Disposable, EventEmitter, Uri, CancellationTokenSource, CancellationError,
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    window: withStubs('window', {
      createOutputChannel: outputChannel,
      showErrorMessage: (msg, ...items) => { state.errors.push(msg); return Promise.resolve(undefined); },
      showWarningMessage: (msg) => { state.warnings.push(msg); return Promise.resolve(undefined); },
      showInformationMessage: (msg) => { state.infos.push(msg); return Promise.resolve(undefined); },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: withStubs('tabGroups', { all: [], onDidChangeTabs: () => new Disposable() }),
      onDidChangeActiveTextEditor: () => new Disposable(),
      onDidChangeVisibleTextEditors: () => new Disposable(),
    }),
    commands: withStubs('commands', {
      registerCommand: (id, fn) => { state.commands.set(id, fn); return new Disposable(() => state.commands.delete(id)); },
      executeCommand: (id, ...args) => { state.executed.push([id, ...args]); return Promise.resolve(undefined); },
    }),
    workspace: withStubs('workspace', {
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
      getConfiguration: configuration,
      onDidChangeConfiguration: state.configListeners.event,
      createFileSystemWatcher: () => withStubs('FileSystemWatcher', {
        onDidCreate: () => new Disposable(), onDidChange: () => new Disposable(), onDidDelete: () => new Disposable(), dispose() {},
      }),
    }),
    languages: withStubs('languages', {
      createDiagnosticCollection: () => withStubs('DiagnosticCollection', { set() {}, delete() {}, clear() {}, dispose() {}, forEach() {} }),
      match: () => 0,
    }),
    env: withStubs('env', { language: 'en', appName: 'Visual Studio Code (test)', machineId: 'test', sessionId: 'test' }),
  };

  /** Changes settings and fires onDidChangeConfiguration like VS Code does. */
  function updateSettings(changes) {
    Object.assign(state.settings, changes);
    const keys = Object.keys(changes);
    state.configListeners.fire({
      affectsConfiguration: (section) => keys.some((k) => k === section || k.startsWith(`${section}.`)),
    });
  }

  return { vscode: withStubs('vscode', vscode), state, updateSettings };
}

/** Makes `require('vscode')` return `mockModule` for every module loaded from now on. */
function installVscodeMock(mockModule) {
  const originalLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return mockModule;
    return originalLoad.call(this, request, parent, isMain);
  };
  return () => { Module._load = originalLoad; };
}

module.exports = { createMock, installVscodeMock };
