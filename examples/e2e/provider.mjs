// The OpenID Provider: oidc-provider on 127.0.0.1, signing with the repository's test keys
// (RS256 with RSA-2048, ES256 with P-256). Auth0's `audience` parameter selects the API
// the JWT access token is for. Usage: node provider.mjs OP_PORT APP_PORT API_PORT
import fs from 'node:fs';
import Provider, { errors, interactionPolicy } from 'oidc-provider';

const [opPort, appPort, apiPort] = process.argv.slice(2).map(Number);
const issuer = `http://127.0.0.1:${opPort}`;
const redirect = `http://127.0.0.1:${appPort}/callback`;
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
  response_types: ['id_token token', 'id_token'],
  grant_types: ['implicit'],
  token_endpoint_auth_method: 'none',
  ...extra,
});

// The clients are registered as `native` only so that oidc-provider accepts an http://
// 127.0.0.1 redirect URI for an implicit client; for the same reason they would be refused
// silent authentication, which a browser app (a web client) gets. Drop that one check.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  interactions: { policy },
  clients: [client('spa-rs256'), client('spa-es256', { id_token_signed_response_alg: 'ES256' })],
  jwks: { keys: [key('rsa-2048-a'), key('p256-a')] },
  responseTypes: ['id_token token', 'id_token'],
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
      async getResourceServerInfo(_ctx, resource) {
        if (resource !== API_AUDIENCE) throw new errors.InvalidTarget();
        return {
          scope: 'read:appointments',
          audience: API_AUDIENCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  pkce: { required: () => false },
  cookies: { keys: ['implicit-grant-e2e-cookie-key'] },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<pre id="op-error">${out.error}: ${out.error_description}</pre>`;
  },
});
provider.proxy = false;
provider.listen(opPort, '127.0.0.1', () => console.log(`provider ${issuer}`));
