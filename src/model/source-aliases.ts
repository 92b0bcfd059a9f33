/**
 * The alias keys a source's documents list, per article id, so that they
 * can be removed again once nothing needs them: aliases are what keeps a
 * retired item from coming back as new, but only while a feed still lists
 * the item. Without this record an alias row, once written, stayed forever,
 * and a feed that listed many items (or new ones on every fetch) grew the
 * store without bound.
 */
import { z } from 'zod';

export const SourceAliasEntrySchema = z.object({
  id: z.string().min(1),
  keys: z.array(z.string().min(1)).min(1),
  /**
   * Set only while the source has no stored article under this id (it was
   * retired, never kept, or another source holds it): the UTC day (days since
   * the epoch) a document of the source last listed the item.
   */
  listedDay: z.number().int().nonnegative().optional(),
  /**
   * The id is not this source's own (another source holds the article, or it
   * was known before this record was kept): the keys only remind the source
   * that it knows the item, and the source never removes their rows.
   */
  foreign: z.literal(true).optional(),
});

export const SourceAliasesSchema = z.array(SourceAliasEntrySchema);

export type SourceAliasEntry = z.infer<typeof SourceAliasesSchema>[number];
