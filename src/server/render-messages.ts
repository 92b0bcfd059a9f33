/**
 * What the site's render thread and its worker say to each other. The worker
 * checks what it starts with and each request; the main thread checks each
 * reply's envelope (the bytes are the worker's own encoding of its render).
 */
import { z } from 'zod';
import { ConfigSourceSchema, SettingsSchema } from '../config/index.js';

/** What the worker starts with: the loaded config and how to open its own connection to the store. */
export const RenderWorkerDataSchema = z.object({
  config: z.object({ dir: z.string(), settings: SettingsSchema, sources: z.array(ConfigSourceSchema) }),
  store: z.object({ url: z.string().nullable().optional(), cacheDir: z.string().optional(), writerThread: z.boolean().optional() }),
});
export type RenderWorkerData = z.infer<typeof RenderWorkerDataSchema>;

export const RenderRequestSchema = z.discriminatedUnion('type', [
  /**
   * Render one path of snapshot `key`. The worker reads that snapshot from
   * the store on its first path (as of `now`) and keeps it for the others.
   * `lengths` are the image lengths learned so far, sent when they changed.
   */
  z.object({
    type: z.literal('render'),
    id: z.number().int().positive(),
    key: z.number().int().positive(),
    now: z.iso.datetime(),
    path: z.string(),
    lengths: z.array(z.tuple([z.string(), z.number().int().nonnegative()])).nullable(),
  }),
  /** Close the store connection and exit. */
  z.object({ type: z.literal('close') }),
]);
export type RenderRequest = z.infer<typeof RenderRequestSchema>;

/** An error thrown in the worker, reduced to what survives the thread boundary. */
export const RenderFailureSchema = z.object({ name: z.string(), message: z.string() });

export const RenderReplySchema = z.discriminatedUnion('ok', [
  /** The document's UTF-8 bytes (transferred, not copied), or null when nothing is published at the path. */
  z.object({ id: z.number().int(), ok: z.literal(true), bytes: z.instanceof(Uint8Array).nullable() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: RenderFailureSchema }),
]);
export type RenderReply = z.infer<typeof RenderReplySchema>;
