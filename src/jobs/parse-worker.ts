/**
 * Entry of a parse pool worker. The thread drops below the event loop's
 * priority (thread-priority.ts) before it loads the parser, the normalizer and
 * zod: loading them costs ~0.3 s of CPU, and a pool started with a cycle's
 * fetches (run-cycle.ts) would otherwise take that from the event loop just
 * as the first answers arrive. Messages posted meanwhile wait in the port.
 */
import { lowerThisThreadPriority } from './thread-priority.js';

lowerThisThreadPriority();
await import('./parse-worker-loop.js');
