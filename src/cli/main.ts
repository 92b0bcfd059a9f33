#!/usr/bin/env node
/**
 * The `byline` command. Parses arguments, runs one command, turns known
 * errors into a clear message and an exit code: 2 for invalid config, 1 for
 * other failures. Commands are imported when chosen, so `byline check` does
 * not pay for loading the server and every stage.
 */
import { Command, InvalidArgumentError } from 'commander';
import { BylineError, ConfigError } from '../errors.js';
import type { GlobalOptions } from './context.js';

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
    .showHelpAfterError();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

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
    .command('check')
    .description('validate the config folder')
    .action(async () => {
      exitCode = (await import('./commands/check.js')).checkCommand(globals());
    });

  await program.parseAsync(argv);
  return exitCode;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`byline: invalid config\n${error.message}`);
      process.exit(2);
    }
    if (error instanceof BylineError) console.error(`byline: ${error.code}: ${error.message}`);
    // A system error (a file in the way, a full disk) says all an operator needs in its message; the stack
    // is for reporting a bug, on request.
    else if (error instanceof Error) console.error(`byline: ${process.env.BYLINE_DEBUG ? (error.stack ?? error.message) : error.message}`);
    else console.error(`byline: ${String(error)}`);
    process.exit(1);
  },
);
