/**
 * What the parse pool and its workers say to each other. Both directions are
 * zod schemas: the worker checks what it is asked to read and the candidates
 * it produced before posting them; the pool checks each reply's envelope (the
 * output was checked against the same schema on the other side, and a
 * structured clone cannot change it).
 */
import { z } from 'zod';
import { PARSE_ERROR_CODES } from '../errors.js';
import { CandidateSchema, SkipDaysSchema, SkipHoursSchema } from '../model/index.js';
import { NormalizeContextSchema } from '../normalize/index.js';

/**
 * One document to read, as the refresh job has it after a 200: the body, its
 * Content-Type, and what normalizing needs (whose it is, the address it was
 * fetched from after redirects, the time).
 */
export const ParseInputSchema = NormalizeContextSchema.extend({
  /** The fetched body. The parse pool transfers it to a worker (detaching it) when it owns its whole buffer. */
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes' }),
  contentType: z.string().nullable(),
});
export type ParseInput = z.infer<typeof ParseInputSchema>;

/** One document for a worker, numbered so its reply can be matched. */
export const ParseRequestSchema = ParseInputSchema.extend({ id: z.number().int().positive() });
export type ParseRequest = z.infer<typeof ParseRequestSchema>;

/**
 * What reading one document yields: the feed's declared refresh interval and
 * its candidates. Compiled: a worker checks ~50 articles per document with it,
 * and zod's generated validator costs a fraction of the tree walk, most of all
 * in a fresh worker, before V8 has optimized the walk.
 */
export const ParseOutputSchema = z.compile(
  z.object({
    ttlMinutes: z.number().nullable(),
    skipHours: SkipHoursSchema,
    skipDays: SkipDaysSchema,
    candidates: z.array(CandidateSchema),
  }),
);
export type ParseOutput = z.infer<typeof ParseOutputSchema>;

/** An error thrown in the worker, reduced to what survives the thread boundary. */
export const WorkerFailureSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** Set when it was a ParseError: rethrown as one with this code. */
  parseCode: z.enum(PARSE_ERROR_CODES).nullable(),
});
export type WorkerFailure = z.infer<typeof WorkerFailureSchema>;

export const ParseReplySchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), output: ParseOutputSchema }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: WorkerFailureSchema }),
]);
export type ParseReply = z.infer<typeof ParseReplySchema>;

/** A reply as the pool checks it: the envelope in full, the output as the worker already validated it. */
export const ParseReplyEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), output: z.custom<ParseOutput>((value) => typeof value === 'object' && value !== null) }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: WorkerFailureSchema }),
]);
