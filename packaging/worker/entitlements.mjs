// What a consumer owns: their customer (RANCU) and accounts (RANAC, card number), found through
// the identifier lookup by the customer number in their token and kept per user for no longer
// than the token lives. Also the owner of any account, for an agent's transfer.

const CARD = /^\d{12,19}$/;
const ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_USERS = 1000;

/** A lookup answer as `{ customerId, accounts: [{ accountId, number, firstFour, lastFour }] }`, or null. */
export function customerOf(found) {
  const refs = found && Array.isArray(found.userReferences) ? found.userReferences : [];
  // One customer or none: an ambiguous answer grants nothing.
  if (refs.length !== 1) return null;
  const ref = refs[0];
  if (!ref || typeof ref.customerId !== "string" || !ID.test(ref.customerId)) return null;
  const accounts = [];
  for (const a of Array.isArray(ref.accountDetails) ? ref.accountDetails : []) {
    if (!a || typeof a.accountId !== "string" || !ID.test(a.accountId)) continue;
    if (typeof a.accountNumber !== "string" || !CARD.test(a.accountNumber)) continue;
    accounts.push({ accountId: a.accountId, number: a.accountNumber, firstFour: a.accountNumber.slice(0, 4), lastFour: a.accountNumber.slice(-4) });
  }
  return { customerId: ref.customerId, accounts };
}

/** Per-isolate cache of consumers' entitlements. */
export class Entitlements {
  constructor(client) {
    this.client = client;
    this.cache = new Map(); // `${sub}\n${bcn}` → { until, value: Promise }
  }

  /** The consumer's customer and accounts (null when the lookup knows no such customer). */
  of(identity, headers) {
    const key = `${identity.sub}\n${identity.bcn}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value;
    this.cache.delete(key);
    const value = this.lookup(identity.bcn, "BCN", headers);
    // Never past the token's expiry, and at most 5 minutes (accounts can change).
    const until = Math.min(identity.exp * 1000, now + 5 * 60_000);
    this.cache.set(key, { until, value });
    // A failed lookup is not remembered.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    while (this.cache.size > MAX_USERS) this.cache.delete(this.cache.keys().next().value);
    return value;
  }

  /** The customer an account belongs to, with all of that customer's accounts. */
  ownerOf(accountId, headers) {
    return this.lookup(accountId, "RANAC", headers);
  }

  async lookup(userId, userIdType, headers) {
    try {
      return customerOf(await this.client.searchUserReferences({ userId, userIdType, includeSensitiveIdentifiers: true }, { headers }));
    } catch (e) {
      // Nobody by that identifier is nobody: the same as owning nothing.
      if (e && e.code === "ERR_API" && e.status === 404) return null;
      throw e;
    }
  }
}
