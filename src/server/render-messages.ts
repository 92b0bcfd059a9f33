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

/** Image lengths and types learned so far, sent when they changed since the worker's last request (else null). */
const LengthsSchema = z
  .array(z.tuple([z.string(), z.object({ length: z.number().int().nonnegative().nullable(), type: z.string().nullable() })]))
  .nullable();

export const RenderRequestSchema = z.discriminatedUnion('type', [
  /**
   * Read snapshot `key` from the store (as of `now`) and report its archive
   * page count, which lets the main thread turn away a page number past it
   * without a render. The worker keeps the snapshot for the paths that follow.
   */
  z.object({
    type: z.literal('snapshot'),
    id: z.number().int().positive(),
    key: z.number().int().positive(),
    now: z.iso.datetime(),
    lengths: LengthsSchema,
  }),
  /** Render one path of snapshot `key`, reading it first (as of `now`) if the worker does not hold it. */
  z.object({
    type: z.literal('render'),
    id: z.number().int().positive(),
    key: z.number().int().positive(),
    now: z.iso.datetime(),
    path: z.string(),
    lengths: LengthsSchema,
  }),
  /** Close the store connection and exit. */
  z.object({ type: z.literal('close') }),
]);
export type RenderRequest = z.infer<typeof RenderRequestSchema>;

/** An error thrown in the worker, reduced to what survives the thread boundary. */
export const RenderFailureSchema = z.object({ name: z.string(), message: z.string() });

export const RenderReplySchema = z.discriminatedUnion('type', [
  /** A snapshot was read: how many complete archive pages it publishes. */
  z.object({ type: z.literal('snapshot'), id: z.number().int(), archivePages: z.number().int().nonnegative() }),
  /** The document's UTF-8 bytes (transferred, not copied), or null when nothing is published at the path. */
  z.object({ type: z.literal('rendered'), id: z.number().int(), bytes: z.instanceof(Uint8Array).nullable() }),
  /** The read or the render threw. */
  z.object({ type: z.literal('failed'), id: z.number().int(), error: RenderFailureSchema }),
]);
export type RenderReply = z.infer<typeof RenderReplySchema>;
