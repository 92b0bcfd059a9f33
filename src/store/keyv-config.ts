/**
 * The keyv instance under every backend's Store: how keyv is configured
 * (namespace, errors, codec), apart from the Store that uses it.
 */
import { Keyv } from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { NAMESPACE, deserialize, serialize } from './codec.js';

/**
 * The keyv configuration every backend uses: our namespace, errors thrown
 * rather than swallowed, and our never-throwing codec. With
 * `adapterSerializes`, keyv hands the adapter `{ value, expires }` objects
 * and the adapter encodes them itself (the SQLite adapter writes each value's
 * pieces straight into the UTF-8 buffer it hands its writer thread, see
 * packRows); reads still come back as strings through our deserializer.
 */
export function createKeyv(store: KeyvStoreAdapter, options: { adapterSerializes?: boolean } = {}): Keyv {
  return new Keyv({
    store,
    namespace: NAMESPACE,
    // The adapters prefix keys with the namespace themselves (@keyv/redis does); keyv must not add a second one.
    useKeyPrefix: false,
    // keyv's default is to emit 'error' and return undefined, which would read as "not found".
    throwOnErrors: true,
    // keyv skips serializing when `serialize` is unset.
    serialize: options.adapterSerializes ? undefined : serialize,
    deserialize,
  });
}
