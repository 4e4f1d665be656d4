// Types of implicit-grant.mjs: the implicit-grant WASM module, interface version 3.

/** The interface version this wrapper speaks. */
export declare const ABI_VERSION: 3;

/** The module's URL inside the package: `ImplicitGrant.load(fetch(wasmUrl))`. */
export declare const wasmUrl: URL;

/** Error kinds, by the module's error code. */
export declare const ERRORS: Readonly<Record<number, ErrorKind>>;

export type ErrorKind =
  | 'buffer' | 'config' | 'response' | 'jwt' | 'claims' | 'no_transaction'
  | 'state' | 'flow' | 'keys' | 'unknown_key' | 'metadata' | 'user' | 'unavailable' | 'busy';

/** A call to the module failed. */
export declare class ImplicitGrantError extends Error {
  readonly code: number;
  readonly kind: ErrorKind | `code_${number}`;
  /** The module's text: which parameter, member or claim, and by how much; never a value. */
  readonly detail: string;
}

/** What `sessionStorage` and `localStorage` offer. */
export interface WebStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LoadOptions {
  /**
   * Where pending logins are kept, one `ig.tx.<key>` item each (default `sessionStorage`;
   * required where there is none). A duplicated browser tab copies `sessionStorage`, and
   * with it the logins pending there.
   */
  storage?: WebStorage;
  /** Fills the array from a CSPRNG (default `crypto.getRandomValues`). */
  random?: (bytes: Uint8Array) => void;
  /** The time, in Unix seconds (default the system clock). */
  now?: () => number;
}

export type ResponseType = 'id_token token' | 'id_token' | 'code';
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';
export type Algorithm =
  | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519';

/** ABI.md, "Settings". With `metadata`, the endpoints, algorithms and `iss` come from it. */
export interface Settings {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The provider's `/.well-known/openid-configuration` document, as fetched. */
  metadata?: string;
  authorizationEndpoint?: string;
  endSessionEndpoint?: string;
  /** The token endpoint of the code flow (without `metadata`). */
  tokenEndpoint?: string;
  /** `'assumed'`: the provider enforces PKCE though its metadata does not say so. */
  pkce?: 'assumed';
  algorithms?: Algorithm[];
  iss?: 'supported' | 'tolerated' | 'unsupported';
  responseType?: ResponseType;
  scope?: string[];
  audience?: string;
  /** Audiences besides the client id an ID token's `aud` may name. */
  trustedAudiences?: string[];
  prompt?: Prompt[];
  loopback?: boolean;
  /** Seconds before expiry at which `renewAt` falls (default 60). */
  renewMargin?: number;
}

export type Outcome =
  | {
      kind: 'authorized';
      /** The access token as issued; `null` without one. `bearer()` makes its header. */
      accessToken: string | null;
      sub: string;
      /** When to renew silently, in Unix seconds; `null` when unknown. */
      renewAt: number | null;
      /** Keep it for `beginSilent` and `logoutUrl`. */
      idToken: string | null;
      /** The code flow's refresh token (after a refresh, the rotated one); else `null`. */
      refreshToken: string | null;
    }
  | {
      kind: 'denied';
      /** The provider's `error` code. */
      error: string;
      /** A silent renewal needs an interactive login (`login_required`…). */
      needsInteraction: boolean;
    }
  /** The provider rotated its keys: refetch the JWK Set (no cache), complete again. */
  | { kind: 'keys_outdated' };

export interface LogoutOptions {
  idToken?: string;
  postLogoutRedirectUri?: string;
  state?: string;
}

export declare class ImplicitGrant {
  static load(
    source: BufferSource | Response | PromiseLike<Response> | WebAssembly.Module,
    options?: LoadOptions,
  ): Promise<ImplicitGrant>;
  /** Logins pending in this wrapper's storage. */
  readonly pending: number;
  configure(settings: Settings): void;
  begin(): string;
  beginSilent(idToken: string): string;
  complete(hash: string, jwks: string): Outcome;
  bearer(accessToken: string): string;
  logoutUrl(options?: LogoutOptions): string;
  /** The code flow at its callback: the redirect read, the token request POSTed, the answer checked. */
  redeemCode(input: string, options: ExchangeOptions): Promise<Outcome>;
  /** A refresh (RFC 6749 §6) POSTed and checked; an ID token must name the same user. */
  refreshTokens(refreshToken: string, idToken: string | null, options: ExchangeOptions): Promise<Outcome>;
  /** The redirect of a code login, read: the token request to POST, or a denial. */
  callback(input: string): CodeCallback;
  /** The token endpoint's answer to the request of `handle`, checked. */
  redeem(handle: number, status: number, body: string, jwks: string): Outcome;
  /** Forgets the code awaiting its token request under `handle`. */
  drop(handle: number): void;
  refreshRequest(refreshToken: string): TokenRequest;
  refresh(refreshToken: string, idToken: string | null, status: number, body: string, jwks: string): Outcome;
}

/** A request for the token endpoint: POST `body` to `url` with `headers`. */
export interface TokenRequest {
  url: string;
  body: string;
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' };
}

export type CodeCallback =
  | { kind: 'code'; handle: number; tokenRequest: TokenRequest }
  | Extract<Outcome, { kind: 'denied' }>;

export interface ExchangeOptions {
  /** The provider's JWK Set text; `cache` is `'no-cache'` for the retry after a key rotation. */
  jwks: (cache: 'default' | 'no-cache') => Promise<string>;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}
