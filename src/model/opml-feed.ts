import { z } from 'zod';

/**
 * One feed of an OPML subscription list: what the OPML parser reads and the
 * config import turns into a source entry.
 */
export const OpmlFeedSchema = z.object({
  /** The outline's `title`, else its `text`, trimmed; may be empty. */
  title: z.string(),
  xmlUrl: z.string(),
  htmlUrl: z.string().nullable(),
});

export type OpmlFeed = z.infer<typeof OpmlFeedSchema>;
