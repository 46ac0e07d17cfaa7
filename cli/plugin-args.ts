import { loadPlugin, resolvePlugin } from '../runtime/plugins.js';

/** Every `--plugin X` / `--plugin=X` on a command line, in order. */
export function pluginSpecsIn(argv: string[]): string[] {
  const specs: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--plugin' && i + 1 < argv.length) specs.push(argv[i + 1]);
    else if (arg.startsWith('--plugin=')) specs.push(arg.slice('--plugin='.length));
  });
  return specs;
}

/**
 * Loads the plugins a command line names before its commands are made, so that a plugin's stage kind gets a
 * `zyda <kind>` command of its own. Paths resolve from the working directory, as the flag's do.
 */
export async function preloadPlugins(argv: string[]): Promise<void> {
  for (const spec of pluginSpecsIn(argv)) await loadPlugin(spec, resolvePlugin(spec, process.cwd()), '--plugin: ');
}
