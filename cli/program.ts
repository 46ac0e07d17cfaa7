import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, exitCodeFor, InterruptedError } from '../core/errors.js';
import { ZYDA_VERSION } from '../core/version.js';
import { registerExplain } from './explain.js';
import { registerHead } from './head.js';
import { registerInspect } from './inspect.js';
import { preloadPlugins } from './plugin-args.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerStageCommands } from './stage-commands.js';
import { registerStats } from './stats.js';
import { registerStatus } from './status.js';
import { registerDedupSteps, registerSteps } from './steps.js';
import { registerValidate } from './validate.js';
import { closeEarlyThreads } from '../executors/early-threads.js';

// `zyda head out | head -3` closes our stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const EXIT_CODES_HELP = `
Exit codes:
  0    ok, or the output was already up to date
  1    the run failed: an input problem under a fail policy, an I/O error, a source whose every record errored
  2    bad usage or config (an unwritable output or workdir and a remote input too); nothing was run
  75   another run holds the workdir's or the output's lock; try again later
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM; rerun the same command to resume`;

const program = new Command('zyda')
  .description('Build LLM pretraining corpora: read sources, filter, dedup, and write sharded parquet with token counts.')
  .version(ZYDA_VERSION)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride()
  // Each command's options follow its own name, so `zyda dedup signatures … --force` is the step's --force, not
  // the dedup stage command's.
  .enablePositionalOptions()
  .addHelpText('after', EXIT_CODES_HELP);

// `zyda run` loads the stage definitions itself, after reading its config (cli/run.ts), and needs no other command.
const runOnly = process.argv[2] === 'run';

try {
  registerRun(program);
  if (!runOnly) {
    await import('../stages/builtins.js');
    await preloadPlugins(process.argv.slice(2));
    registerValidate(program);
    registerSteps(program);
    registerStatus(program);
    registerStats(program);
    registerReport(program);
    registerHead(program);
    registerExplain(program);
    registerInspect(program);
    registerStageCommands(program);
    registerDedupSteps(program.commands.find((c) => c.name() === 'dedup')!);
  }
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const e = err as Error;
    process.stderr.write(`zyda: ${e.name === 'Error' ? e.stack ?? e.message : e.message}\n`);
    process.exitCode = exitCodeFor(err);
    // A step command's task still in flight in this thread must not carry on after the run said it stopped.
    if (err instanceof InterruptedError) {
      await closeEarlyThreads();
      process.exit();
    }
  }
} finally {
  await closeEarlyThreads();
}
