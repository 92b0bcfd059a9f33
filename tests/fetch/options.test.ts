/**
 * Tests of the fetcher options: defaults, derived defaults, and refusal of
 * invalid values at createFetcher time.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createFetcher, defaultUserAgent, FetcherOptionsSchema } from '../../src/fetch/index.js';
import { resolveFetcherOptions } from '../../src/fetch/options.js';

const MiB = 1024 * 1024;

describe('resolveFetcherOptions', () => {
  it('fills every default', () => {
    expect(resolveFetcherOptions({})).toEqual({
      timeoutMs: 20_000,
      headersTimeoutMs: 10_000,
      maxBytes: 15 * MiB,
      maxDecompressedBytes: 60 * MiB,
      maxRedirects: 5,
      userAgent: defaultUserAgent(),
      allowPrivateAddresses: false,
      allowFile: true,
      concurrency: 16,
      perHostConcurrency: 2,
    });
  });

  it('derives the headers timeout and decompressed cap from the values given', () => {
    const resolved = resolveFetcherOptions({ timeoutMs: 4000, maxBytes: MiB });
    expect(resolved.headersTimeoutMs).toBe(4000);
    expect(resolved.maxDecompressedBytes).toBe(4 * MiB);
  });

  it('keeps explicit values', () => {
    const resolved = resolveFetcherOptions({ headersTimeoutMs: 700, maxDecompressedBytes: 3 * MiB, userAgent: 'x/1' });
    expect(resolved).toMatchObject({ headersTimeoutMs: 700, maxDecompressedBytes: 3 * MiB, userAgent: 'x/1' });
  });

  it('names byline and its version in the default User-Agent', () => {
    expect(defaultUserAgent()).toMatch(/^byline\/\d+\.\d+\.\d+\S* \(\+https:\/\/github\.com\/byline; feed aggregator\)$/);
  });
});

describe('invalid options', () => {
  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: 1.5 }, 'timeoutMs'],
    [{ maxBytes: -1 }, 'maxBytes'],
    [{ maxRedirects: -1 }, 'maxRedirects'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ perHostConcurrency: 0 }, 'perHostConcurrency'],
    [{ userAgent: '  ' }, 'userAgent'],
    [{ allowFile: 'yes' }, 'allowFile'],
    [{ retries: 3 }, ''],
  ])('refuses %o at createFetcher time', (options, path) => {
    // NOTE: deliberately wrong types, as a caller reading untyped config could pass.
    const attempt = (): unknown => createFetcher(options as never);
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).issues[0]?.path).toBe(path);
    }
  });

  it('is a zod object schema callers can extend or inspect', () => {
    expect(Object.keys(FetcherOptionsSchema.shape)).toContain('perHostConcurrency');
  });
});
