/**
 * What normalize hands to dedup: an article as this fetch sees it (with how
 * roughly its dates hold, `dateMargins`), plus the identity keys (canonical
 * link, upstream guid) that find it again in the store's alias table even
 * when the source changes one of them.
 */
import { z } from 'zod';
import { ArticleSchema } from './article.js';

export const CandidateSchema = z.object({
  article: ArticleSchema,
  /** `url:<canonical link>` and/or `guid:<source id>:<upstream guid>`; the first one made the id. */
  aliasKeys: z.array(z.string()).min(1),
});

export type Candidate = z.infer<typeof CandidateSchema>;
