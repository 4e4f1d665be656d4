// The OpenID Provider: oidc-provider on 127.0.0.1, signing with the repository's test keys
// (RS256 and PS256 with RSA-2048, ES256 with P-256, ES384 with P-384, EdDSA with Ed25519),
// for implicit clients and one authorization code + PKCE client (spa-code, with refresh
// tokens; its token endpoint answers the app's origin, CORS). Auth0's `audience` parameter selects the API
// the JWT access token is for. Usage: node provider.mjs OP_PORT APP_PORT API_PORT
//
// Key rotation, for the scenarios: `POST /__e2e/rotate?kid=rsa-2048-b` (loopback only)
// makes the provider sign with that RSA key from then on, keeping the previous ones in its
// JWKS (as a real rotation does, so tokens issued before it still verify).
import fs from 'node:fs';
import http from 'node:http';
import Provider, { errors, interactionPolicy } from 'oidc-provider';
// oidc-provider's own in-memory adapter, one store for every instance built below (by
// default each instance gets a store of its own). Internal module: the version is pinned.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

const [opPort, appPort, apiPort] = process.argv.slice(2).map(Number);
const issuer = `http://127.0.0.1:${opPort}`;
const redirect = `http://127.0.0.1:${appPort}/callback`;
const signedOut = `http://127.0.0.1:${appPort}/signed-out`;
/** The client whose access tokens live a few seconds: the silent renewal scenario's. */
const SHORT_LIVED = 'spa-short';
/** The authorization code + PKCE client. */
const CODE_CLIENT = 'spa-code';
export const API_AUDIENCE = `http://127.0.0.1:${apiPort}/api/appointments`;

const keys = JSON.parse(fs.readFileSync(new URL('../../tests/data/keys.json', import.meta.url))).keys;
const key = (kid) => {
  const { alg: _alg, ...jwk } = keys.find((k) => k.kid === kid);
  return jwk;
};

const client = (id, extra = {}) => ({
  client_id: id,
  application_type: 'native', // allows http://127.0.0.1 redirect URIs for implicit clients
  redirect_uris: [redirect],
  post_logout_redirect_uris: [signedOut],
  response_types: ['id_token token', 'id_token'],
  grant_types: ['implicit'],
  token_endpoint_auth_method: 'none',
  ...extra,
});

// The clients are registered as `native` only so that oidc-provider accepts an http://
// 127.0.0.1 redirect URI for an implicit client; for the same reason they would be refused
// silent authentication, which a browser app (a web client) gets. Drop that one check.
const policy = () => {
  const p = interactionPolicy.base();
  p.get('consent').checks.remove('native_client_prompt');
  return p;
};

// oidc-provider signs with the first key of the algorithm in `jwks.keys`; `rsaKids` lists
// the RSA keys, the signing one first.
const adapter = createMemoryAdapter();
const build = (rsaKids) => new Provider(issuer, {
  adapter,
  interactions: { policy: policy() },
  clients: [
    client('spa-rs256'),
    client(SHORT_LIVED),
    // The code flow's client: a browser app (web) with PKCE, refresh tokens and no secret.
    client(CODE_CLIENT, {
      application_type: 'web',
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
    }),
    ...['ES256', 'PS256', 'ES384', 'EdDSA'].map((alg) =>
      client(`spa-${alg.toLowerCase()}`, { id_token_signed_response_alg: alg })),
  ],
  jwks: { keys: [...rsaKids.map(key), key('p256-a'), key('p384-a'), key('ed25519-a')] },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] },
  responseTypes: ['code', 'id_token token', 'id_token'],
  extraParams: ['audience'],
  conformIdTokenClaims: false,
  scopes: ['openid', 'profile', 'email', 'read:appointments'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: 'Jane Doe', email: `${id}@example.com`, email_verified: true };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      async defaultResource(ctx) {
        return ctx.oidc.params.audience || undefined;
      },
      async useGrantedResource() {
        return true;
      },
      async getResourceServerInfo(_ctx, resource, client) {
        if (resource !== API_AUDIENCE) throw new errors.InvalidTarget();
        return {
          scope: 'read:appointments',
          audience: API_AUDIENCE,
          accessTokenTTL: client.clientId === SHORT_LIVED ? 3 : 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // PKCE is required of the code client: a token request without the verifier of its
  // challenge is invalid_grant (RFC 7636 §4.6).
  pkce: { required: (_ctx, c) => c.clientId === CODE_CLIENT },
  // Refresh tokens for the code client, without offline_access (a browser session's
  // refresh, rotated on each use as oidc-provider does for public clients).
  async issueRefreshToken(_ctx, c) {
    return c.grantTypeAllowed('refresh_token');
  },
  cookies: { keys: ['implicit-grant-e2e-cookie-key'] },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<pre id="op-error">${out.error}: ${out.error_description}</pre>`;
  },
});

// Like most providers (Google, Auth0, Okta…), let browsers and caches keep the JWKS a
// while: the page's JWKS can then be older than the provider's newest key, which is what
// a rotation meets in the field, and what `keys_outdated` is for.
const cacheableJwks = async (ctx, next) => {
  await next();
  if (ctx.path === '/jwks' && ctx.status === 200) ctx.set('Cache-Control', 'public, max-age=600');
};

// A rotation swaps in a second oidc-provider instance, built with the new signing key
// first, behind the same HTTP server: same issuer and port, and the same sessions, grants
// and interactions (one adapter store for both; the same cookie keys). oidc-provider fixes
// its keys when it is constructed; nothing else changes them.
//
// Why this way: from the rotation on, the provider really signs with a key that it
// publishes at once but that the client has not seen, and the client's stale JWKS is the
// one its browser cached under the provider's own Cache-Control, not a copy we serve on
// purpose. Wrapping /jwks to answer one stale response after the rotation would also give
// `keys_outdated`, but it would fake the staleness on the provider's side (no provider
// publishes a JWKS lacking its signing key) and would hide that the page's retry must
// bypass the HTTP cache.
let rsaKids = ['rsa-2048-a'];
const serve = (kids) => {
  const provider = build(kids);
  provider.proxy = false;
  provider.use(cacheableJwks);
  return provider.callback();
};
let handle = serve(rsaKids);

const loopback = (address) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname !== '/__e2e/rotate') return handle(req, res);
  const kid = url.searchParams.get('kid');
  if (req.method !== 'POST' || !loopback(req.socket.remoteAddress) || req.headers.origin) {
    return res.writeHead(403).end();
  }
  if (!keys.some((k) => k.kid === kid && k.kty === 'RSA')) return res.writeHead(400).end('unknown kid');
  rsaKids = [kid, ...rsaKids.filter((k) => k !== kid)];
  handle = serve(rsaKids);
  console.log(`provider now signs RS256 with ${kid}; JWKS: ${rsaKids.join(', ')}`);
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ rsa: rsaKids }));
}).listen(opPort, '127.0.0.1', () => console.log(`provider ${issuer}`));
