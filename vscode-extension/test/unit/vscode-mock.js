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

// The value types vscode-languageclient builds when it converts what the server sends (it
// `extends` Diagnostic at load time, so these must be real classes, not stubs).
class Position {
  constructor(line, character) { this.line = line; this.character = character; }
}

class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); } else { this.start = a; this.end = b; }
  }
  get isEmpty() { return this.start.line === this.end.line && this.start.character === this.end.character; }
}

class Location {
  constructor(uri, rangeOrPosition) { this.uri = uri; this.range = rangeOrPosition; }
}

const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };

class Diagnostic {
  constructor(range, message, severity = DiagnosticSeverity.Error) { this.range = range; this.message = message; this.severity = severity; }
}

class DiagnosticRelatedInformation {
  constructor(location, message) { this.location = location; this.message = message; }
}

class MarkdownString {
  constructor(value = '', supportThemeIcons = false) { this.value = value; this.supportThemeIcons = supportThemeIcons; }
  appendText(text) { this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&'); return this; }
  appendMarkdown(text) { this.value += text; return this; }
  appendCodeblock(code, language = '') { this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`; return this; }
}

class Hover {
  constructor(contents, range) { this.contents = Array.isArray(contents) ? contents : [contents]; this.range = range; }
}

class TextEdit {
  constructor(range, newText) { this.range = range; this.newText = newText; }
}

/** An open document: what vscode-languageclient reads to send didOpen/didChange. */
class TextDocument {
  constructor(uri, languageId, text) {
    this.uri = uri;
    this.fileName = uri.fsPath;
    this.languageId = languageId;
    this.version = 1;
    this.isUntitled = uri.scheme === 'untitled';
    this.isDirty = false;
    this.isClosed = false;
    this.eol = 1;
    this._text = text;
  }
  get lineCount() { return this._text.split('\n').length; }
  offsetAt(position) {
    const lines = this._text.split('\n');
    let offset = 0;
    for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
    return Math.min(offset + position.character, this._text.length);
  }
  positionAt(offset) {
    const before = this._text.slice(0, Math.max(0, offset)).split('\n');
    return new Position(before.length - 1, before[before.length - 1].length);
  }
  getText(range) {
    return range ? this._text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this._text;
  }
  save() { return Promise.resolve(true); }
}

/** A (small) subset of vscode.languages.match: language, scheme and a `**\/*.ext` pattern. */
function matchSelector(selector, document) {
  const filters = Array.isArray(selector) ? selector : [selector];
  return filters.some((f) => {
    if (typeof f === 'string') return f === '*' || f === document.languageId;
    if (f.notebookType !== undefined) return false;
    if (f.language !== undefined && f.language !== '*' && f.language !== document.languageId) return false;
    if (f.scheme !== undefined && f.scheme !== '*' && f.scheme !== document.uri.scheme) return false;
    if (typeof f.pattern === 'string') {
      const ext = /^\*\*\/\*(\.[\w-]+)$/.exec(f.pattern);
      if (!ext || !document.uri.fsPath.endsWith(ext[1])) return false;
    }
    return true;
  }) ? 10 : 0;
}

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
    /** What the client last published per document URI (string) through its diagnostic collections. */
    diagnostics: new Map(),
    /** Every languages.register*Provider call: { kind: 'Hover', selector, provider, ... }. */
    providers: [],
    textDocuments: [],
    didOpen: new EventEmitter(),
    didChange: new EventEmitter(),
    didClose: new EventEmitter(),
  };

  const diagnosticCollection = (name) => {
    const own = new Map();
    const sync = (key) => {
      if (own.has(key)) state.diagnostics.set(key, own.get(key));
      else state.diagnostics.delete(key);
    };
    return withStubs('DiagnosticCollection', {
      name,
      set(uri, diagnostics) {
        if (Array.isArray(uri)) { uri.forEach(([u, d]) => this.set(u, d)); return; }
        const key = uri.toString();
        if (diagnostics && diagnostics.length > 0) own.set(key, [...diagnostics]); else own.delete(key);
        sync(key);
      },
      get(uri) { return own.get(uri.toString()); },
      has(uri) { return own.has(uri.toString()); },
      delete(uri) { own.delete(uri.toString()); sync(uri.toString()); },
      clear() { const keys = [...own.keys()]; own.clear(); keys.forEach(sync); },
      forEach(fn) { own.forEach((d, key) => fn(Uri.parse(key), d, this)); },
      dispose() { this.clear(); },
    });
  };

  const languages = new Proxy({
    createDiagnosticCollection: diagnosticCollection,
    match: matchSelector,
  }, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then') return target[prop];
      const provider = /^register(\w+?)(Edit)?Provider$/.exec(String(prop));
      if (provider) {
        // Records the provider (e.g. the client's hover provider) so a test can call it like VS Code.
        return (selector, impl, ...rest) => {
          const entry = { kind: provider[1], selector, provider: impl, rest };
          state.providers.push(entry);
          return new Disposable(() => { const i = state.providers.indexOf(entry); if (i >= 0) state.providers.splice(i, 1); });
        };
      }
      target[prop] = stub(`languages.${String(prop)}`);
      return target[prop];
    },
  });

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
    Position, Range, Location, Diagnostic, DiagnosticSeverity, DiagnosticTag, DiagnosticRelatedInformation,
    MarkdownString, Hover, TextEdit,
    TextDocumentChangeReason: { Undo: 1, Redo: 2 },
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
      get textDocuments() { return state.textDocuments; },
      notebookDocuments: [],
      getConfiguration: configuration,
      onDidChangeConfiguration: state.configListeners.event,
      onDidOpenTextDocument: state.didOpen.event,
      onDidChangeTextDocument: state.didChange.event,
      onDidCloseTextDocument: state.didClose.event,
      createFileSystemWatcher: () => withStubs('FileSystemWatcher', {
        onDidCreate: () => new Disposable(), onDidChange: () => new Disposable(), onDidDelete: () => new Disposable(), dispose() {},
      }),
    }),
    languages,
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

  /** Opens a document like VS Code: it joins workspace.textDocuments and onDidOpenTextDocument fires. */
  function openTextDocument(fsPath, languageId, text) {
    const document = new TextDocument(Uri.file(fsPath), languageId, text);
    state.textDocuments.push(document);
    state.didOpen.fire(document);
    return document;
  }

  /** Replaces a document's whole text (a new version) and fires onDidChangeTextDocument. */
  function changeTextDocument(document, text) {
    const range = new Range(new Position(0, 0), document.positionAt(document._text.length));
    const rangeLength = document._text.length;
    document._text = text;
    document.version += 1;
    document.isDirty = true;
    state.didChange.fire({ document, contentChanges: [{ range, rangeOffset: 0, rangeLength, text }], reason: undefined });
  }

  /** Closes a document: it leaves workspace.textDocuments and onDidCloseTextDocument fires. */
  function closeTextDocument(document) {
    state.textDocuments.splice(state.textDocuments.indexOf(document), 1);
    document.isClosed = true;
    state.didClose.fire(document);
  }

  return { vscode: withStubs('vscode', vscode), state, updateSettings, openTextDocument, changeTextDocument, closeTextDocument };
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
