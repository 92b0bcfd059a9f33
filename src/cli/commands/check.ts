/** `byline check`: validates the config folder; non-zero exit with every error. */
import { loadFrom, type GlobalOptions } from '../context.js';

export function checkCommand(options: GlobalOptions): number {
  const config = loadFrom(options);
  const enabled = config.sources.filter((source) => source.enabled).length;
  console.log(`${config.dir}: ok, ${config.sources.length} source(s), ${enabled} enabled, schedule "${config.settings.schedule}"`);
  return 0;
}
