// Locating the language server executable. Pure Node code (no `vscode` import) so the test
// suite can exercise it outside VS Code.
import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_SERVER_PATH = 'mintc';
export const DEFAULT_SERVER_ARGS: readonly string[] = ['lsp'];

export interface ResolveContext {
  /** Environment to read PATH / PATHEXT from. */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The user's home directory, for `~` and `${userHome}`. */
  home: string;
  /** First workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
}

export type Resolution =
  | { found: true; command: string; useShell: boolean }
  | { found: false; command: string; reason: string };

/** Normalises the `mint.server.path` setting: blank or non-string means the default. */
export function serverPathSetting(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_SERVER_PATH;
}

/** Normalises the `mint.server.args` setting: anything but an array of strings means the default. */
export function serverArgsSetting(value: unknown): string[] {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) {
    return [...value];
  }
  return [...DEFAULT_SERVER_ARGS];
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a configured path. */
export function expandVariables(value: string, ctx: ResolveContext): string {
  let out = value.replace(/\$\{(userHome|workspaceFolder|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
    if (name === 'userHome') return ctx.home;
    if (name === 'workspaceFolder') return ctx.workspaceFolder ?? whole;
    return (envName !== undefined ? ctx.env[envName] : undefined) ?? '';
  });
  if (out === '~' || out.startsWith('~/') || (ctx.platform === 'win32' && out.startsWith('~\\'))) {
    out = path.join(ctx.home, out.slice(1));
  }
  return out;
}

function hasPathSeparator(command: string, platform: NodeJS.Platform): boolean {
  return command.includes('/') || (platform === 'win32' && command.includes('\\'));
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  // Windows environment names are case-insensitive (`Path`, `PATH`).
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/** Candidate file names for `file` on Windows: as given, then with each PATHEXT extension. */
function windowsCandidates(file: string, env: NodeJS.ProcessEnv): string[] {
  const exts = (envValue(env, 'PATHEXT', 'win32') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  const hasExt = exts.some((e) => file.toLowerCase().endsWith(e.toLowerCase()));
  return hasExt ? [file] : [file, ...exts.map((e) => file + e.toLowerCase())];
}

function found(command: string, platform: NodeJS.Platform): Resolution {
  // Batch files can only be spawned through a shell on Windows.
  const useShell = platform === 'win32' && /\.(cmd|bat)$/i.test(command);
  return { found: true, command, useShell };
}

/**
 * Finds the executable that `mint.server.path` names: a bare name is looked up on PATH the way
 * the OS would; a path (absolute, or relative to the workspace folder) must be an executable file.
 */
export function resolveServerCommand(configured: string, ctx: ResolveContext): Resolution {
  const command = expandVariables(configured, ctx);
  const platform = ctx.platform;
  const candidatesFor = (file: string) => (platform === 'win32' ? windowsCandidates(file, ctx.env) : [file]);

  if (path.isAbsolute(command) || hasPathSeparator(command, platform)) {
    const base = path.isAbsolute(command) ? command : path.resolve(ctx.workspaceFolder ?? process.cwd(), command);
    for (const candidate of candidatesFor(base)) {
      if (isExecutableFile(candidate, platform)) return found(candidate, platform);
    }
    return { found: false, command, reason: `${base} does not exist or is not an executable file` };
  }

  const searchPath = envValue(ctx.env, 'PATH', platform) ?? '';
  const dirs = searchPath.split(platform === 'win32' ? ';' : ':').filter(Boolean);
  for (const dir of dirs) {
    for (const candidate of candidatesFor(path.join(dir, command))) {
      if (isExecutableFile(candidate, platform)) return found(candidate, platform);
    }
  }
  return { found: false, command, reason: `"${command}" is not on PATH` };
}

/** The message shown when the server executable cannot be found. */
export function notFoundMessage(configured: string, reason: string): string {
  const what = configured === DEFAULT_SERVER_PATH
    ? 'the language server "mintc" was not found'
    : `the language server "mintc" was not found at "${configured}" (${reason})`;
  return (
    `Mint: ${what}. Install it with "pip install spearmint-lang" (so that "mintc" is on your PATH), ` +
    'or set "mint.server.path" to the mintc executable. Syntax highlighting and snippets keep working without it.'
  );
}

/** The message shown when the server executable exists but the server could not be started. */
export function startFailedMessage(command: string, args: readonly string[], detail: string): string {
  const commandLine = [command, ...args].join(' ');
  return (
    `Mint: the language server "mintc" could not be started (${commandLine}): ${detail}. ` +
    'Check that spearmint-lang is installed and up to date ("pip install -U spearmint-lang") or fix "mint.server.path" / ' +
    '"mint.server.args". Syntax highlighting and snippets keep working without it.'
  );
}
