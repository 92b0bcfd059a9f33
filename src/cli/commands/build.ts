/** `byline build --out DIR`: writes every output from the store for static hosting. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OUTPUT_FILES, renderOutputs, type OutputName } from '../../jobs/publish.js';
import { openContext, type GlobalOptions } from '../context.js';

export async function buildCommand(options: GlobalOptions & { out: string }): Promise<number> {
  const context = await openContext(options);
  try {
    const outputs = await renderOutputs(context.config, context.store);
    await mkdir(options.out, { recursive: true });
    for (const [name, file] of Object.entries(OUTPUT_FILES) as [OutputName, string][]) {
      const target = path.join(options.out, file);
      // Write then rename, so a web server never serves a half-written feed.
      await writeFile(`${target}.tmp`, outputs[name]);
      await rename(`${target}.tmp`, target);
      console.log(`wrote ${target}`);
    }
    return 0;
  } finally {
    await context.close();
  }
}
