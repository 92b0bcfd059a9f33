#!/usr/bin/env node
/**
 * The `byline` command. Parses arguments, runs one command, turns known
 * errors into a clear message and an exit code: 2 for a command line it cannot
 * use (an unknown command or flag, a missing or malformed argument), 78 for
 * invalid config (the config folder, or a store setting, from --store or
 * BYLINE_STORE, that names no store), 1 for a failure while running. Nothing
 * ran after a 2 or a 78, and running again as is will not help; the two
 * codes tell a script or service manager whether the invocation or the
 * deployment's config is to fix. Commands are imported when chosen, so
 * `byline check` does not pay for loading the server and every stage.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { BylineError, ConfigError, UsageError } from '../errors.js';
import { ignoreClosedReader } from './closed-output.js';
import type { GlobalOptions } from './context.js';

/** Exit code of a command line byline cannot use: nothing was done. */
const USAGE_EXIT = 2;
/** Exit code of invalid config: EX_CONFIG of sysexits.h, which service managers and scripts know. */
const CONFIG_EXIT = 78;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('byline')
    .description('Aggregates AI-industry feeds and republishes them with every item credited.')
    .option('--config <dir>', 'config folder (env BYLINE_CONFIG)', undefined)
    .option('--store <url>', 'store URL: sqlite:<file> or redis://host:port (env BYLINE_STORE; default ./cache/byline.sqlite)')
    .showHelpAfterError()
    // Before the commands are added, which inherit it: commander's own exit code for every refusal is 1,
    // the code of a failed run, so its refusals are thrown and given theirs in main's caller.
    .exitOverride((error) => {
      throw error;
    });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  // A store setting that names no store is refused before any command opens (or creates) one, wherever it came
  // from: it is config, like the feeds folder, and not a command line the usage would help with.
  program.hook('preAction', async () => {
    (await import('./context.js')).checkStoreSetting(globals());
  });

  program
    .command('run')
    .description('serve the feeds and fetch on the schedule')
    .option('--port <port>', 'port to listen on', port, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-initial-cycle', 'do not fetch at start-up')
    .action(async (options: { port: number; host: string; initialCycle: boolean }) => {
      exitCode = await (await import('./commands/run.js')).runCommand({ ...globals(), ...options });
    });
  program
    .command('import')
    .description('add the feeds of an OPML subscription list to the config folder, as a new sources file')
    .argument('<file>', 'OPML file')
    .option('--to <name>', 'file to create in the config folder', 'imported.yaml')
    .action(async (file: string, options: { to: string }) => {
      exitCode = (await import('./commands/import.js')).importCommand({ ...globals(), file, to: options.to });
    });
  program
    .command('fetch')
    .description('fetch every enabled source once, then exit')
    .action(async () => {
      exitCode = await (await import('./commands/fetch.js')).fetchCommand(globals());
    });
  program
    .command('build')
    .description('write the feeds, newsletter feed, archive pages, HTML pages, feed.xsl, opml.xml and alerts.xml from the store')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (options: { out: string }) => {
      exitCode = await (await import('./commands/build.js')).buildCommand({ ...globals(), ...options });
    });
  program
    .command('sources')
    .description("show each source's health")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      exitCode = await (await import('./commands/sources.js')).sourcesCommand({ ...globals(), ...options });
    });
  program
    .command('rename-source')
    .description("after changing a source's id in the config, move its stored articles, aliases, state and alerts to the new id")
    .argument('<old-id>', 'the id the store holds the source under')
    .argument('<new-id>', 'its id in the config now')
    .option('--merge', 'when a cycle already stored records under the new id, combine the old id\'s with them (each item kept once, under the GUID first published)')
    .action(async (from: string, to: string, options: { merge?: boolean }, command: Command) => {
      const { idsProblem, renameSourceCommand } = await import('./commands/rename-source.js');
      const problem = idsProblem(from, to);
      if (problem !== null) command.error(`error: ${problem}`);
      exitCode = await renameSourceCommand({ ...globals(), from, to, merge: options.merge === true });
    });
  program
    .command('check')
    .description('validate the config folder')
    .action(async () => {
      exitCode = (await import('./commands/check.js')).checkCommand(globals());
    });

  await program.parseAsync(argv);
  return exitCode;
}

ignoreClosedReader(process.stdout);
ignoreClosedReader(process.stderr);

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Commander has printed its message and the usage already; `--help` is the one refusal that succeeds.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT);
    if (error instanceof UsageError) {
      console.error(`byline: ${error.message}`);
      process.exit(USAGE_EXIT);
    }
    if (error instanceof ConfigError) {
      console.error(`byline: invalid config\n${error.message}`);
      process.exit(CONFIG_EXIT);
    }
    if (error instanceof BylineError) console.error(`byline: ${error.code}: ${error.message}`);
    // A system error (a file in the way, a full disk) says all an operator needs in its message; the stack
    // is for reporting a bug, on request.
    else if (error instanceof Error) console.error(`byline: ${process.env.BYLINE_DEBUG ? (error.stack ?? error.message) : error.message}`);
    else console.error(`byline: ${String(error)}`);
    process.exit(1);
  },
);
