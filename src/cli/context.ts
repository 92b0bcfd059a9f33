/**
 * The composition root: config is loaded once here and every dependency is
 * created from it and passed down. Nothing else reads config or env.
 */
import path from 'node:path';
import { loadConfig, type Config } from '../config/index.js';
import { createFetcher, type Fetcher } from '../fetch/index.js';
import { createParsePool } from '../jobs/parse-pool.js';
import type { RefreshDeps } from '../jobs/refresh-source.js';
import { ConfigError, StoreError } from '../errors.js';
import { createStore, parseStoreUrl, type CreateStoreOptions, type Store } from '../store/index.js';

export interface GlobalOptions {
  config?: string;
  store?: string;
}

export interface Context {
  config: Config;
  store: Store;
  /** How the store was opened, so another thread can open its own connection to it. */
  storeOptions: CreateStoreOptions;
  fetcher: Fetcher;
  deps: RefreshDeps;
  close(): Promise<void>;
}

/** `--config`, else BYLINE_CONFIG, else ./feeds. */
export function configDir(options: GlobalOptions): string {
  // An empty variable is an unset one, as in most shells' idea of `BYLINE_CONFIG=`.
  return options.config ?? (process.env.BYLINE_CONFIG || 'feeds');
}

/** Loads config only (for `check`). */
export function loadFrom(options: GlobalOptions): Config {
  return loadConfig(configDir(options));
}

/** How a command uses the store. */
export interface StoreUse {
  /**
   * Whether a SQLite store that does not exist is created (the commands that
   * run cycles, on first use) or refused, naming the file, with nothing
   * created: a command that works on what cycles stored would otherwise take
   * a mistyped path for an empty store.
   */
  create: boolean;
}

/** `--store`, else BYLINE_STORE, else the default file under ./cache. */
function storeOptionsOf(options: GlobalOptions, use: StoreUse): CreateStoreOptions {
  return { url: options.store ?? (process.env.BYLINE_STORE || null), cacheDir: path.resolve('cache'), mustExist: !use.create };
}

/**
 * Refuses a store setting that names no store as invalid config, naming where
 * it came from (`--store`, else BYLINE_STORE), before any command opens or
 * creates a store; `check` refuses it too, so a deployment learns of it
 * before `run` does.
 */
export function checkStoreSetting(options: GlobalOptions): void {
  const [origin, url] = options.store !== undefined ? ['--store', options.store] : ['BYLINE_STORE', process.env.BYLINE_STORE || null];
  if (url === null) return;
  try {
    parseStoreUrl(url);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new ConfigError([{ file: origin, path: '', message: error.message }], { cause: error });
  }
}

/** Opens the store alone, for a command that needs neither the config nor the fetcher. */
export function openStore(options: GlobalOptions, use: StoreUse): Promise<Store> {
  return createStore(storeOptionsOf(options, use));
}

/** Loads config and opens the store, the fetcher and the parse pool (its workers start on first use). */
export async function openContext(options: GlobalOptions, use: StoreUse): Promise<Context> {
  const config = loadFrom(options);
  const storeOptions = storeOptionsOf(options, use);
  const store = await createStore(storeOptions);
  const { fetch } = config.settings;
  const fetcher = createFetcher({
    timeoutMs: fetch.timeoutMs,
    ...(fetch.headersTimeoutMs !== undefined ? { headersTimeoutMs: fetch.headersTimeoutMs } : {}),
    maxBytes: fetch.maxBytes,
    concurrency: fetch.concurrency,
    perHostConcurrency: fetch.perHostConcurrency,
    ...(fetch.userAgent !== undefined ? { userAgent: fetch.userAgent } : {}),
    allowPrivateAddresses: fetch.allowPrivateAddresses,
  });
  const deps: RefreshDeps = {
    store,
    fetcher,
    retention: config.settings.retention,
    limits: { minIntervalMinutes: fetch.minIntervalMinutes, maxIntervalMinutes: fetch.maxIntervalMinutes },
    pool: createParsePool(),
  };
  const close = async (): Promise<void> => {
    fetcher.close();
    await deps.pool?.close();
    await store.close();
  };
  return { config, store, storeOptions, fetcher, deps, close };
}
