import Module from 'node:module';
import { join, resolve } from 'node:path';

/**
 * The compiled JS keeps the `@asiointitili/<lib>` imports of the sources (tsc does not rewrite
 * path aliases), and plain `node` cannot resolve them. This maps them onto the compiled tree,
 * the way tsconfig `paths` map them onto the sources.
 */
const ALIAS = /^@asiointitili\/([a-z-]+)(\/.+)?$/;

/** `dist/` when running compiled (dist/libs/app/src/process → dist), the repository when running the sources. */
export const DEFAULT_ALIAS_ROOT = resolve(__dirname, '..', '..', '..', '..');

export function aliasTarget(request: string, root: string = DEFAULT_ALIAS_ROOT): string | undefined {
  const match = ALIAS.exec(request);
  return match ? join(root, 'libs', match[1], 'src', match[2] ?? '') : undefined;
}

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const installed = Symbol.for('asiointitili.module-aliases');

/** Installs the mapping for this process (once). Every compiled entry point calls it first; jest maps aliases itself. */
export function installModuleAliases(root: string = DEFAULT_ALIAS_ROOT): void {
  const loader = Module as unknown as { _resolveFilename: ResolveFilename; [installed]?: true };
  if (loader[installed]) return;
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveWithAliases(this: unknown, request: string, ...rest: unknown[]): string {
    return original.call(this, aliasTarget(request, root) ?? request, ...rest);
  };
  loader[installed] = true;
}
