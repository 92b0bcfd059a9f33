/**
 * What normalize hands to dedup: an article as this fetch sees it, plus the
 * identity keys (canonical link, upstream guid) that find it again in the
 * store's alias table even when the source changes one of them, and which of
 * its dates only hold roughly.
 */
import { z } from 'zod';
import { ArticleSchema } from './article.js';

export const CandidateSchema = z.object({
  article: ArticleSchema,
  /** `url:<canonical link>` and/or `guid:<source id>:<upstream guid>`; the first one made the id. */
  aliasKeys: z.array(z.string()).min(1),
  /**
   * Which of the article's dates were read from relative or partial text
   * (`3小时前`, `昨天 09:05`, `11月26日`) against the time of the fetch. Good
   * enough to order a new article by, but the next fetch reads another
   * instant from the same text: such a date is no part of the identity, and a
   * stored article keeps the date it has. Absent when both dates are exact (the
   * rule), so the common candidate crosses the parse workers' boundary as before.
   */
  approximateDates: z.object({ published: z.boolean(), updated: z.boolean() }).optional(),
});

export type Candidate = z.infer<typeof CandidateSchema>;
