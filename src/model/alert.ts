/**
 * Operator alerts: a source starting to fail, recovering, or gone. Written by
 * the refresh job when a source's health changes, published at /alerts.xml.
 */
import { z } from 'zod';

export const ALERT_KINDS = ['failing', 'recovered', 'gone', 'moved'] as const;

export const AlertSchema = z.object({
  /** Stable: `<sourceId>:<kind>:<at>`; becomes the Atom entry id. */
  id: z.string(),
  sourceId: z.string(),
  kind: z.enum(ALERT_KINDS),
  at: z.iso.datetime({ offset: true }),
  /** One sentence an operator can act on. */
  message: z.string(),
  /** The error behind it, for failing and gone. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export type AlertKind = (typeof ALERT_KINDS)[number];
export type Alert = z.infer<typeof AlertSchema>;
