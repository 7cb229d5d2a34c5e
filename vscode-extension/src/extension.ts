// VS Code client for the spearmint-lang language server (`mintc lsp`, spoken over stdio).
// Highlighting, snippets and the language configuration are declarative and work whether or not
// the server can be started; this file only manages the server process.
import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  Message,
  ServerOptions,
} from 'vscode-languageclient/node';
import {
  notFoundMessage,
  resolveServerCommand,
  serverArgsSetting,
  serverPathSetting,
  startFailedMessage,
} from './serverCommand';

const CLIENT_ID = 'mint';
const CLIENT_NAME = 'Mint Language Server';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_OUTPUT = 'Show Output';
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * A LanguageClient that, while it is starting, only logs its own generic failure notifications
 * (the extension shows one clear message of its own instead), and that copes with a server that
 * dies during startup.
 */
class MintLanguageClient extends LanguageClient {
  quietStartup = true;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.quietStartup ? false : showNotification);
  }

  override start(): Promise<void> {
    const started = super.start();
    // vscode-languageclient 9.0.1: when the server exits before answering `initialize`, start()
    // resolves (the caller checks isRunning()) but leaves its internal start promise rejected
    // with nobody listening. Observe it so it is not reported as an unhandled rejection.
    const internal = (this as unknown as { _onStart?: Promise<void> })._onStart;
    internal?.catch(() => undefined);
    return started;
  }

  override async stop(timeout?: number): Promise<void> {
    try {
      await super.stop(timeout);
    } catch (err) {
      // The library stops a client whose initialization failed, which throws when it never ran.
      if (this.isRunning()) throw err;
    }
  }
}

/** Restarts a crashed server a few times, then gives up with a clear message. */
class MintErrorHandler implements ErrorHandler {
  private restarts: number[] = [];

  constructor(private readonly isRunning: () => boolean) {}

  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    if (!this.isRunning()) {
      // The server died before it finished starting: startClient() reports that, once.
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    this.restarts.push(now);
    if (this.restarts.length <= MAX_RESTARTS) {
      return { action: CloseAction.Restart, handled: true };
    }
    return {
      action: CloseAction.DoNotRestart,
      message:
        `Mint: the language server "mintc" stopped ${this.restarts.length} times in 3 minutes and will not be restarted. ` +
        'See the "Mint Language Server" output, then run "Mint: Restart Language Server".',
    };
  }
}

let client: MintLanguageClient | undefined;
let outputChannel: vscode.OutputChannel | undefined;
let mintFileWatcher: vscode.FileSystemWatcher | undefined;
/** Start/stop/restart requests run one after another, never interleaved. */
let queue: Promise<void> = Promise.resolve();

function enqueue(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task).catch((err: unknown) => {
    outputChannel?.appendLine(`[mint] unexpected error: ${describeError(err)}`);
  });
  return queue;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_OUTPUT);
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'mint.server');
  } else if (choice === SHOW_OUTPUT) {
    outputChannel?.show(true);
  }
}

function workspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder?.uri.fsPath;
}

async function startClient(): Promise<void> {
  const config = vscode.workspace.getConfiguration('mint');
  const configuredPath = serverPathSetting(config.get<unknown>('server.path'));
  const args = serverArgsSetting(config.get<unknown>('server.args'));
  const log = outputChannel;

  const resolution = resolveServerCommand(configuredPath, {
    env: process.env,
    platform: process.platform,
    home: os.homedir(),
    workspaceFolder: workspaceFolderPath(),
  });
  if (!resolution.found) {
    log?.appendLine(`[mint] language server not started: ${resolution.reason}`);
    void showError(notFoundMessage(configuredPath, resolution.reason));
    return;
  }

  log?.appendLine(`[mint] starting ${[resolution.command, ...args].join(' ')}`);
  // No `transport` on purpose: the client then speaks over the process's stdin/stdout without
  // appending a `--stdio` flag, so the command line is exactly `<path> <args...>`.
  const executable = {
    command: resolution.command,
    args,
    options: { cwd: workspaceFolderPath(), shell: resolution.useShell },
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };

  let running = false;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'mint' },
      { scheme: 'untitled', language: 'mint' },
    ],
    outputChannel,
    synchronize: mintFileWatcher ? { fileEvents: mintFileWatcher } : undefined,
    errorHandler: new MintErrorHandler(() => running),
    // Reported once, below, instead of by the library.
    initializationFailedHandler: () => false,
  };

  const candidate = new MintLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = candidate;
  let failure: string | undefined;
  try {
    await candidate.start();
    if (!candidate.isRunning()) {
      failure = 'the server stopped before it finished starting (its messages are in the "Mint Language Server" output)';
    }
  } catch (err) {
    failure = describeError(err);
  }
  if (failure === undefined) {
    running = true;
    candidate.quietStartup = false;
    log?.appendLine('[mint] language server started');
    return;
  }
  if (client === candidate) client = undefined;
  log?.appendLine(`[mint] language server failed to start: ${failure}`);
  await disposeQuietly(candidate);
  void showError(/ENOENT/.test(failure) ? notFoundMessage(configuredPath, failure) : startFailedMessage(resolution.command, args, failure));
}

async function disposeQuietly(c: LanguageClient): Promise<void> {
  try {
    await c.dispose(2000);
  } catch {
    // A client that never got running cannot be stopped; there is nothing left to clean up.
  }
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) await disposeQuietly(current);
}

/** Stops the running server (if any) and starts it again with the current settings. */
export function restartClient(): Promise<void> {
  return enqueue(async () => {
    await stopClient();
    await startClient();
  });
}

/** Resolves once every start/stop/restart requested so far has finished (used by the tests). */
export function whenIdle(): Promise<void> {
  return queue;
}

export function activate(context: vscode.ExtensionContext): void {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  mintFileWatcher = vscode.workspace.createFileSystemWatcher('**/*.mint');
  context.subscriptions.push(outputChannel, mintFileWatcher);
  context.subscriptions.push(
    vscode.commands.registerCommand('mint.restartServer', () => restartClient()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('mint.server')) void restartClient();
    }),
  );
  // Not awaited: activation finishes at once, and a missing or hanging server never holds up
  // the editor (highlighting and snippets do not depend on it).
  void enqueue(startClient);
}

export function deactivate(): Promise<void> {
  return enqueue(stopClient);
}
