/**
 * The archive's fixed page boundaries (RFC 5005 archived feeds). Pages are
 * cut from every stored article in the order byline first saw it; once a
 * page is complete its boundary is recorded, so deleting an article later
 * (retention) empties its place instead of moving every later article to an
 * earlier page.
 */
import { z } from 'zod';

/** An article's place in the archive order: first seen, then id. */
export const ArchiveKeySchema = z.object({
  id: z.string().min(1),
  firstSeen: z.iso.datetime({ offset: true }),
});
export type ArchiveKey = z.infer<typeof ArchiveKeySchema>;

/**
 * The pages fixed so far, oldest first, each by its newest key: page k holds
 * the articles after page k-1's key, up to and including its own.
 */
export const ArchiveLayoutSchema = z.object({ pages: z.array(ArchiveKeySchema) });
export type ArchiveLayout = z.infer<typeof ArchiveLayoutSchema>;
