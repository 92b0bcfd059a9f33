/**
 * Opens the Redis backend: @keyv/redis behind the typed store, configured to
 * fail fast instead of retrying a dead server forever.
 *
 * Atomicity: a commit is one Lua script (redis-commit.ts), which the server
 * runs whole, so no other client sees half of it. Redis Cluster would refuse
 * a script over keys of several hash slots, so only single-node URLs are
 * accepted here (createStore never builds a cluster client).
 */
import KeyvRedis from '@keyv/redis';
import type { RedisClientOptions } from '@keyv/redis';
import { StoreError } from '../errors.js';
import { leftBehind } from './article-layout.js';
import { withDeadline } from './deadline.js';
import { createKeyv } from './keyv-config.js';
import { KeyvStore } from './keyv-store.js';
import type { SourceRenamer } from './source-rename.js';
import { upgradeRedisLayout, type LayoutClient } from './redis-layout.js';
import { createRedisCommitWriter } from './redis-commit.js';
import { createRedisCycleLock, type EvalClient } from './redis-lock.js';
import { mergeRedisSource, renameRedisSource, type RenameClient } from './redis-rename.js';
import type { Store } from './types.js';
import { redactUrl } from './url.js';

/** Options of {@link openRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL of a single Redis node. */
  url: string;
  /** Upper bound for the first connection, all retries included. */
  connectTimeoutMs?: number;
  /** Reconnection attempts after a dropped or refused connection before pending commands fail. */
  maxReconnectAttempts?: number;
  /**
   * How long a store operation may wait for the server's answers before it
   * fails with StoreError. A server that is up but not answering (stopped,
   * swapping, behind a dead network path) closes no connection, so neither
   * of the limits above would ever trigger.
   */
  operationTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_RECONNECT_ATTEMPTS = 3;
/** Generous: a commit or a page of articles takes milliseconds on a healthy server. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;

/**
 * A Store on the Redis server at `options.url`. Connects before returning,
 * so a wrong URL or a dead server is a StoreError here and not at the first
 * refresh.
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<Store> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxAttempts = options.maxReconnectAttempts ?? DEFAULT_MAX_RECONNECT_ATTEMPTS;
  const operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  const clientOptions: RedisClientOptions = {
    url: options.url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // The adapter's default strategy retries forever, leaving every command queued behind a dead server.
      // After the last attempt the client closes; @keyv/redis reconnects on the next command.
      reconnectStrategy: (retries: number) =>
        retries >= maxAttempts ? new Error(`gave up after ${retries} reconnection attempts`) : Math.min(100 * 2 ** retries, 1000),
    },
    // A command still unanswered a little after the store gave up on its operation is dropped from the
    // client's queue rather than piling up behind a server that does not answer; "a little after", so the
    // store's own message is the one reported. (MULTI … EXEC takes no timeout; the store's covers it.)
    commandOptions: { timeout: operationTimeoutMs + 1000 },
  };
  const adapter = new KeyvRedis<string>(clientOptions, { throwOnErrors: true, throwOnConnectError: true });
  const scripts = (): Promise<EvalClient> => evalClient(adapter);
  const renamer: SourceRenamer = {
    rename: async (from, to) => renameRedisSource(await renameClient(adapter), from, to),
    merge: async (from, to, combine) => mergeRedisSource(await renameClient(adapter), from, to, combine),
  };
  const store = new KeyvStore('redis', createKeyv(adapter), createRedisCommitWriter(scripts), createRedisCycleLock(scripts), renamer, { operationTimeoutMs });
  await connectWithin(adapter, options.url, connectTimeoutMs);
  await upgrade(adapter, options.url);
  return store;
}

/** Brings the server's key layout up to date (redis-layout.ts); a failure closes the connection. */
async function upgrade(adapter: KeyvRedis<string>, url: string): Promise<void> {
  try {
    const connected: object = await adapter.getClient();
    // createStore builds single-node clients only (see above); a cluster has no one keyspace to scan.
    if (!('scanIterator' in connected) || typeof connected.scanIterator !== 'function') throw new Error('not a single-node client');
    // A node-redis 5 single-node client, which has every command LayoutClient names.
    const client = connected as LayoutClient;
    const warning = leftBehind('redis', await upgradeRedisLayout(client));
    if (warning !== null) process.emitWarning(warning);
  } catch (error) {
    await adapter.disconnect(true).catch(() => undefined);
    const message = error instanceof Error ? error.message || error.name : String(error);
    throw new StoreError(`store(redis): cannot upgrade the key layout at ${redactUrl(url)}: ${message}`, { cause: error });
  }
}

/** The connected client, for the lock's scripts. */
async function evalClient(adapter: KeyvRedis<string>): Promise<EvalClient> {
  const connected: object = await adapter.getClient();
  if (!('eval' in connected) || typeof connected.eval !== 'function') throw new Error('the Redis client cannot run scripts');
  // A node-redis 5 client, whose eval takes (script, { keys, arguments }).
  return connected as EvalClient;
}

/** The connected client, for renaming a source. */
async function renameClient(adapter: KeyvRedis<string>): Promise<RenameClient> {
  const connected: object = await adapter.getClient();
  // createStore builds single-node clients only; a cluster could not watch keys of several slots.
  if (!('watch' in connected) || !('scanIterator' in connected)) throw new Error('not a single-node client');
  // A node-redis 5 single-node client, which has every command RenameClient names.
  return connected as RenameClient;
}

async function connectWithin(adapter: KeyvRedis<string>, url: string, timeoutMs: number): Promise<void> {
  // @keyv/redis reports why a connection failed only through its 'error' event.
  let reason: unknown;
  const onError = (error: unknown): void => {
    reason ??= error;
  };
  adapter.on('error', onError);
  try {
    await withDeadline(adapter.getClient(), timeoutMs, () => new Error(`no connection within ${timeoutMs} ms`));
  } catch (error) {
    await adapter.disconnect(true).catch(() => undefined);
    const cause = reason ?? error;
    const message = cause instanceof Error ? cause.message || cause.name : String(cause);
    throw new StoreError(`store(redis): cannot connect to ${redactUrl(url)}: ${message}`, { cause });
  } finally {
    adapter.off('error', onError);
  }
}
