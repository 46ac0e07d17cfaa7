import type { Command } from 'commander';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('show a duplicate cluster: its members, their sources and ranks, and which one dedup kept')
    .argument('<output>', 'a zyda output directory whose run had a dedup stage')
    .option('--cluster <id>', 'the cluster with this id (the dup_cluster_id column)')
    .option('--doc <id>', 'the cluster this doc is in')
    .option('--json', 'print the members as JSON lines')
    .action(async (dir: string, opts: { cluster?: string; doc?: string; json?: boolean }) => (await import('./inspect-action.js')).inspectCommand(dir, opts));
}
