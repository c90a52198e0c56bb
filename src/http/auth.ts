// API keys: `Authorization: Bearer <key>` on /v1 when keys are configured. The service holds only the
// SHA-256 of each key (RECOURSE_API_KEYS=name:hex,…); a presented key is hashed and compared with every
// configured hash in constant time. A key is known by its name in logs and metrics, never by its value.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiKey {
  name: string;
  sha256: Buffer;
}

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

export class ApiKeys {
  readonly #keys: readonly ApiKey[];

  constructor(keys: readonly ApiKey[]) {
    this.#keys = keys;
  }

  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  get names(): string[] {
    return this.#keys.map((k) => k.name);
  }

  /**
   * The name of the key an Authorization header carries, or null. Every configured hash is compared
   * (no early exit), each comparison in constant time, so timing tells nothing about which matched.
   */
  identify(authorization: string | string[] | undefined): string | null {
    if (typeof authorization !== 'string') return null;
    const m = BEARER.exec(authorization);
    if (!m) return null;
    const presented = createHash('sha256').update(m[1]!, 'utf8').digest();
    let found: string | null = null;
    for (const key of this.#keys) if (timingSafeEqual(presented, key.sha256) && found === null) found = key.name;
    return found;
  }
}

/** Parses RECOURSE_API_KEYS: `name:sha256hex` entries separated by commas; throws with a message naming the bad entry by position. */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (value === undefined || value.trim() === '') return [];
  const keys: ApiKey[] = [];
  value.split(',').forEach((entry, i) => {
    const m = /^\s*([A-Za-z0-9_.-]{1,64}):([0-9a-fA-F]{64})\s*$/.exec(entry);
    if (!m) throw new Error(`entry ${i + 1} is not name:sha256-hex (a name of letters, digits, _ . -, then 64 hex digits)`);
    if (keys.some((k) => k.name === m[1])) throw new Error(`entry ${i + 1}: the name ${m[1]} is given twice`);
    keys.push({ name: m[1]!, sha256: Buffer.from(m[2]!, 'hex') });
  });
  return keys;
}

/** The SHA-256 hex of a key, as RECOURSE_API_KEYS wants it (`node -e` one-liner in the README). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
