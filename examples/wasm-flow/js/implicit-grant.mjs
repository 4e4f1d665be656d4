// A typed wrapper over the implicit-grant WASM module, interface version 3 (ABI.md).
// Types: implicit-grant.d.ts. Works in browsers and in Node (>= 20).
//
//   const ig = await ImplicitGrant.load(fetch(wasmUrl));
//   ig.configure({ issuer, clientId, redirectUri, metadata });
//   location.assign(ig.begin());
//   // … at the callback:
//   const outcome = ig.complete(location.hash, await (await fetch(jwksUri)).text());
//   // … to call the API:
//   fetch(api, { headers: { Authorization: ig.bearer(outcome.accessToken) } });
//
// The code flow (responseType 'code', PKCE), at the callback:
//   const outcome = await ig.redeemCode(location.href, { jwks: (cache) => fetchText(jwksUri, cache) });
//   // … later: await ig.refreshTokens(outcome.refreshToken, outcome.idToken, { jwks });
//
// Pending logins live in `sessionStorage` by default, one item per login. A browser that
// duplicates a tab copies its `sessionStorage`: a login pending in the first tab then
// exists in both, and whichever tab completes it first consumes only its own copy (the
// other tab's copy stays until it expires, 600 s, or is completed there once).

export const ABI_VERSION = 3;

/** Where the package keeps the module, beside this file: `ImplicitGrant.load(fetch(wasmUrl))`. */
export const wasmUrl = new URL('./implicit_grant.wasm', import.meta.url);

/** The module's error codes (ABI.md, "Error codes"). */
export const ERRORS = Object.freeze({
  1: 'buffer', 2: 'config', 3: 'response', 4: 'jwt', 5: 'claims', 6: 'no_transaction',
  7: 'state', 8: 'flow', 9: 'keys', 10: 'unknown_key', 11: 'metadata', 12: 'user',
  13: 'unavailable', 14: 'busy',
});

/**
 * A call to the module failed: `kind` names the error code, `detail` is the module's text
 * for it (which parameter, member or claim, and by how much; never a token or claim value).
 */
export class ImplicitGrantError extends Error {
  constructor(operation, code, detail = '') {
    const kind = ERRORS[code] ?? `code_${code}`;
    super(detail ? `${operation}: ${kind}: ${detail}` : `${operation}: ${kind}`);
    this.name = 'ImplicitGrantError';
    this.code = code;
    this.kind = kind;
    this.detail = detail;
  }
}

const PREFIX = 'ig.tx.';
/** Seconds a pending login stays valid (the crate's default transaction lifetime). */
const LIFETIME = 600;

/**
 * Transactions in a Web Storage object, one item per transaction key (`ig.tx.<key>`),
 * pruned of expired ones on every save. `sessionStorage` (the default) keeps each tab's
 * logins to itself; a silent renewal in an iframe shares its tab's.
 */
function keyedStorage(storage) {
  // Drops expired items, and items that are not ours to read (damaged, or written by
  // something else): one bad item must not stop every later login.
  const expired = (now) => {
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const name = storage.key(i);
      if (!name?.startsWith(PREFIX)) continue;
      let at;
      try { ({ at } = JSON.parse(storage.getItem(name))); } catch { at = undefined; }
      if (!Number.isFinite(at) || now - at > LIFETIME) storage.removeItem(name);
    }
  };
  return {
    save(key, record, issuedAt) {
      expired(issuedAt);
      storage.setItem(PREFIX + key, JSON.stringify({ at: issuedAt, record: toBase64(record) }));
    },
    take(key) {
      const item = storage.getItem(PREFIX + key);
      if (item === null) return null;
      storage.removeItem(PREFIX + key);
      return fromBase64(JSON.parse(item).record);
    },
    pending() {
      let n = 0;
      for (let i = 0; i < storage.length; i += 1) if (storage.key(i)?.startsWith(PREFIX)) n += 1;
      return n;
    },
  };
}

/** An outcome's lines (ABI.md, "The outcome of `ig_complete`", "The code flow"). */
function outcome(out) {
  const [kind, a = '', b = '', c = '', d = '', e = ''] = out.split('\n');
  if (kind === 'authorized') {
    return {
      kind, accessToken: a || null, sub: b, renewAt: c === '' ? null : Number(c), idToken: d || null, refreshToken: e || null,
    };
  }
  if (kind === 'denied') return { kind, error: a, needsInteraction: b === 'interaction' };
  return { kind };
}

/** The JWK Set text from the host's `jwks(cache)`. */
async function jwksOf(jwks) {
  if (typeof jwks !== 'function') throw new TypeError('implicit-grant: options.jwks must give the JWK Set text');
  return jwks('default');
}

/** A token request to POST (RFC 6749 §4.1.3, §6). */
const tokenRequest = (url, body) => ({
  url, body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const unixNow = () => Date.now() / 1000;

export class ImplicitGrant {
  #exports;
  #store;
  #clock;

  /**
   * Instantiates the module. `source`: the module's bytes, a `Response` or a promise of
   * one (`fetch(url)`), or a compiled `WebAssembly.Module`. Options: `storage` (a Web
   * Storage object; default `sessionStorage`, and required where there is none, as in
   * Node), `random` (fills a `Uint8Array`; default `crypto.getRandomValues`), `now` (Unix
   * seconds; default the system clock).
   */
  static async load(source, options = {}) {
    const webStorage = options.storage ?? globalThis.sessionStorage;
    if (!webStorage) {
      // Without one, every begin would fail later as a storage error: say so now.
      throw new TypeError('implicit-grant: no storage for pending logins: pass options.storage (a Web Storage object) where sessionStorage is missing');
    }
    const storage = keyedStorage(webStorage);
    const random = options.random ?? ((bytes) => globalThis.crypto.getRandomValues(bytes));
    let memory;
    const view = (ptr, len) => new Uint8Array(memory.buffer, ptr, len);
    const text = (ptr, len) => decoder.decode(view(ptr, len));
    const host = {
      random(ptr, len) {
        try { random(view(ptr, len)); return 0; } catch { return -1; }
      },
      save(keyPtr, keyLen, ptr, len, issuedAt) {
        try { storage.save(text(keyPtr, keyLen), view(ptr, len).slice(), Number(issuedAt)); return 0; } catch { return -1; }
      },
      take(keyPtr, keyLen, ptr, len) {
        try {
          const record = storage.take(text(keyPtr, keyLen));
          if (record === null) return 0;
          if (record.length !== len) return -1;
          view(ptr, len).set(record);
          return 1;
        } catch { return -1; }
      },
    };
    const awaited = await source;
    let instance;
    if (awaited instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(awaited, { host });
    } else if (typeof Response !== 'undefined' && awaited instanceof Response) {
      ({ instance } = await WebAssembly.instantiate(await awaited.arrayBuffer(), { host }));
    } else {
      ({ instance } = await WebAssembly.instantiate(awaited, { host }));
    }
    memory = instance.exports.memory;
    const version = instance.exports.ig_abi_version?.();
    if (version !== ABI_VERSION) throw new Error(`implicit-grant: module interface ${version}, expected ${ABI_VERSION}`);
    const clock = options.now ?? unixNow;
    return new ImplicitGrant(instance.exports, storage, () => BigInt(Math.floor(clock())));
  }

  constructor(exports, store, clock) {
    this.#exports = exports;
    this.#store = store;
    this.#clock = clock;
  }

  /** Logins pending in this wrapper's storage. */
  get pending() {
    return this.#store.pending();
  }

  /**
   * Configures the flow (ABI.md, "Settings"). With `metadata` (the provider's
   * `/.well-known/openid-configuration` text), the endpoints, algorithms and RFC 9207
   * setting come from it, after its `issuer` is checked against `issuer`.
   */
  configure(settings) {
    const names = {
      issuer: 'issuer', clientId: 'client_id', redirectUri: 'redirect_uri',
      authorizationEndpoint: 'authorization_endpoint', endSessionEndpoint: 'end_session_endpoint',
      algorithms: 'algorithms', iss: 'iss', responseType: 'response_type', scope: 'scope',
      audience: 'audience', prompt: 'prompt', loopback: 'loopback', renewMargin: 'renew_margin',
      trustedAudiences: 'trusted_audiences', tokenEndpoint: 'token_endpoint', pkce: 'pkce',
    };
    const lines = [];
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'metadata' || value === undefined || value === null || value === '') continue;
      const name = names[key];
      if (!name) throw new TypeError(`unknown setting ${key}`);
      const text = Array.isArray(value) ? value.join(' ') : String(value);
      if (text.includes('\n')) throw new TypeError(`setting ${key} holds a line break`);
      lines.push(`${name}=${text}`);
    }
    const metadata = settings.metadata ?? '';
    const [settingsLen, metadataLen] = this.#write(lines.join('\n'), metadata);
    this.#check('configure', this.#exports.ig_configure(settingsLen, metadataLen));
  }

  /** The authorize URL of an interactive login; its transaction is saved. */
  begin() {
    return this.#read('begin', this.#exports.ig_begin(this.#clock()));
  }

  /**
   * The authorize URL of a silent renewal (`prompt=none`, `id_token_hint`) for the user of
   * `idToken` (the session's): `complete` refuses an answer for anyone else (kind `user`).
   */
  beginSilent(idToken) {
    this.#has('beginSilent', 'ig_begin_silent', 'renewal');
    const [len] = this.#write(idToken);
    return this.#read('beginSilent', this.#exports.ig_begin_silent(len, this.#clock()));
  }

  /**
   * Completes the login from `location.hash` (or the callback URL) and the provider's JWK
   * Set text. Returns `{ kind: 'authorized', accessToken, sub, renewAt, idToken }`,
   * `{ kind: 'denied', error, needsInteraction }` or `{ kind: 'keys_outdated' }`.
   */
  complete(hash, jwks) {
    const [hashLen, jwksLen] = this.#write(hash, jwks);
    const out = this.#read('complete', this.#exports.ig_complete(hashLen, jwksLen, this.#clock()));
    return outcome(out);
  }

  /**
   * The code flow, at the callback: reads the redirect (`location.href` or
   * `location.search`), then POSTs the token request with `options.fetch` (default
   * `globalThis.fetch`) and checks the answer, with the JWK Set text `options.jwks(cache)`
   * gives (`cache` is `'default'`, fetched before the POST so that a failure there spends
   * nothing; then `'no-cache'` for the one retry after a key rotation). Returns
   * `complete`'s outcomes, with `refreshToken` when authorized; the denial of a code the
   * token endpoint refused is `{ kind: 'denied', error: 'invalid_grant' }`. A failed POST
   * ends the login (a code is single-use): begin again.
   */
  async redeemCode(input, { jwks, fetch = globalThis.fetch } = {}) {
    const keys = await jwksOf(jwks);
    const taken = this.callback(input);
    if (taken.kind !== 'code') return taken;
    try {
      return await this.#exchange(taken.tokenRequest, fetch, keys, jwks, (status, body, k) => this.redeem(taken.handle, status, body, k));
    } catch (e) {
      // Spent by its outcome, or waiting after a fault of the inputs: forgotten either way.
      this.#exports.ig_drop(taken.handle);
      throw e;
    }
  }

  /**
   * Refreshes a session (RFC 6749 §6) with its refresh token and ID token (null for an
   * OAuth session): POSTs the request and checks the answer as `redeemCode` does; an ID
   * token in it must name the same user (OIDC Core §12.2, kind `claims`). Keep the
   * outcome's `refreshToken` when it has one: the provider rotated it.
   */
  async refreshTokens(refreshToken, idToken, { jwks, fetch = globalThis.fetch } = {}) {
    const keys = await jwksOf(jwks);
    const request = this.refreshRequest(refreshToken);
    const outcome = await this.#exchange(request, fetch, keys, jwks, (status, body, k) => this.refresh(refreshToken, idToken, status, body, k));
    // The module keeps no state for a refresh: a key still unknown after the refetch is
    // the end of it, as for a code (error 10).
    if (outcome.kind === 'keys_outdated') throw new ImplicitGrantError('refresh', 10, 'the ID token names a key the JWK Set lacks, after a refetch');
    return outcome;
  }

  /**
   * Reads a code flow's redirect: `{ kind: 'code', handle, tokenRequest: { url, body,
   * headers } }` (POST it, then `redeem`), or `{ kind: 'denied', error, needsInteraction }`.
   */
  callback(input) {
    this.#has('callback', 'ig_callback', 'code');
    const [len] = this.#write(input);
    const out = this.#read('callback', this.#exports.ig_callback(len, this.#clock()));
    const [kind, a = '', b = '', c = ''] = out.split('\n');
    if (kind === 'code') return { kind, handle: Number(a), tokenRequest: tokenRequest(b, c) };
    return outcome(out);
  }

  /** Checks the token endpoint's answer (`status`, `body`) to the request of `handle`. */
  redeem(handle, status, body, jwks) {
    this.#has('redeem', 'ig_redeem', 'code');
    const [bodyLen, jwksLen] = this.#write(body, jwks);
    return outcome(this.#read('redeem', this.#exports.ig_redeem(handle, status, bodyLen, jwksLen, this.#clock())));
  }

  /** Forgets the code awaiting its token request under `handle`. */
  drop(handle) {
    this.#has('drop', 'ig_drop', 'code');
    this.#check('drop', this.#exports.ig_drop(handle));
  }

  /** The token request of a refresh: `{ url, body, headers }`. */
  refreshRequest(refreshToken) {
    this.#has('refreshRequest', 'ig_refresh_request', 'code');
    const [len] = this.#write(refreshToken);
    const [url, body] = this.#read('refreshRequest', this.#exports.ig_refresh_request(len)).split('\n');
    return tokenRequest(url, body);
  }

  /** Checks the token endpoint's answer to a refresh. */
  refresh(refreshToken, idToken, status, body, jwks) {
    this.#has('refresh', 'ig_refresh', 'code');
    const lens = this.#write(refreshToken, idToken ?? '', body, jwks);
    const n = this.#exports.ig_refresh(lens[0], lens[1], status, lens[2], lens[3], this.#clock());
    return outcome(this.#read('refresh', n));
  }

  /** POSTs `request`, then `check`s the answer with `keys`, once more after
   *  `keys_outdated` with the keys `jwks` fetches anew. */
  async #exchange(request, fetch, keys, jwks, check) {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    const body = await response.text();
    const first = check(response.status, body, keys);
    return first.kind === 'keys_outdated' ? check(response.status, body, await jwks('no-cache')) : first;
  }

  /**
   * The `Authorization` header value for an access token (RFC 6750 §2.1). A token outside
   * its `b64token` syntax cannot be sent in that header: kind `response`.
   */
  bearer(accessToken) {
    if (!accessToken) throw new TypeError('implicit-grant: no access token (the response type has none?)');
    const [len] = this.#write(accessToken);
    return this.#read('bearer', this.#exports.ig_bearer(len));
  }

  /**
   * The logout URL (OIDC RP-Initiated Logout 1.0) at the provider's end-session endpoint.
   * A provider without one (no `end_session_endpoint` in its metadata or the settings) is
   * a `config` error that says so: end the session locally, or with the provider's own
   * logout page.
   */
  logoutUrl({ idToken = '', postLogoutRedirectUri = '', state = '' } = {}) {
    this.#has('logoutUrl', 'ig_logout', 'logout');
    const lens = this.#write(idToken, postLogoutRedirectUri, state);
    return this.#read('logoutUrl', this.#exports.ig_logout(...lens));
  }

  /** Writes `parts` one after the other at the start of the I/O buffer; their byte lengths. */
  #write(...parts) {
    // `null` would go in as the text "null" (a valid token): only strings are input.
    if (parts.some((p) => typeof p !== 'string')) throw new TypeError('implicit-grant: inputs are strings');
    const bytes = parts.map((p) => encoder.encode(p));
    const total = bytes.reduce((n, b) => n + b.length, 0);
    if (total > this.#exports.ig_io_len() / 2) throw new ImplicitGrantError('write', 1);
    const io = new Uint8Array(this.#exports.memory.buffer, this.#exports.ig_io(), total);
    let at = 0;
    for (const b of bytes) { io.set(b, at); at += b.length; }
    return bytes.map((b) => b.length);
  }

  /** A module built without `feature` (ABI.md, "Builds") lacks `name`: say so. */
  #has(operation, name, feature) {
    if (typeof this.#exports[name] !== 'function') {
      throw new ImplicitGrantError(operation, 13, `this build of the module has no ${feature}`);
    }
  }

  #check(operation, n) {
    if (n < 0) {
      const len = this.#exports.ig_error_len();
      const detail = decoder.decode(new Uint8Array(this.#exports.memory.buffer, this.#exports.ig_io(), len).slice());
      throw new ImplicitGrantError(operation, -n, detail);
    }
    return n;
  }

  #read(operation, n) {
    this.#check(operation, n);
    return decoder.decode(new Uint8Array(this.#exports.memory.buffer, this.#exports.ig_io(), n).slice());
  }
}
