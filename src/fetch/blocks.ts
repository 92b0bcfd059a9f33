/**
 * Reusable 64 KiB blocks that hold response bytes which must outlive the
 * socket read they came in: a body whose hash is not known yet, and body
 * bytes that arrive with the head, before anyone reads the body. A body
 * that hashes as the one the store has (most refreshes of a feed without
 * validators) gives its blocks back, so an unchanged refresh allocates no
 * memory for its bytes at all (see request.ts for why that matters).
 */

export const BLOCK_SIZE = 64 * 1024;

/** Blocks to borrow and give back. */
export interface BlockPool {
  /** A block of BLOCK_SIZE bytes with its own ArrayBuffer; its contents are whatever was there. */
  take(): Buffer;
  /** Returns a block taken from this pool; beyond `maxIdle` idle blocks it is left to the collector. */
  give(block: Buffer): void;
}

/** 256 idle blocks (16 MiB) cover 32 bodies of 512 KiB in flight. */
export function createBlockPool(options: { maxIdle?: number } = {}): BlockPool {
  const maxIdle = options.maxIdle ?? 256;
  const idle: Buffer[] = [];
  return {
    take: () => idle.pop() ?? Buffer.allocUnsafeSlow(BLOCK_SIZE),
    give(block) {
      if (block.length === BLOCK_SIZE && idle.length < maxIdle) idle.push(block);
    },
  };
}
