// The appointments API: answers only a Bearer JWT access token signed by the provider, for
// this API (`aud`), not expired. Usage: node api.mjs API_PORT OP_PORT APP_PORT
import http from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [apiPort, opPort, appPort] = process.argv.slice(2).map(Number);
const issuer = `http://127.0.0.1:${opPort}`;
const audience = `http://127.0.0.1:${apiPort}/api/appointments`;
const appOrigin = `http://127.0.0.1:${appPort}`;
// On a token whose `kid` it lacks, jose fetches the JWKS again, at most once per cooldown
// (30 s by default). The key rotation scenario comes seconds after other calls: a short
// cooldown lets the API follow the provider's new key within the run.
const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`), { cooldownDuration: 1000 });

http.createServer(async (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', appOrigin);
  res.setHeader('Access-Control-Allow-Headers', 'Authorization');
  if (req.method === 'OPTIONS') return res.writeHead(204).end();
  if (req.url !== '/api/appointments') return res.writeHead(404).end();
  const [scheme, token] = (req.headers.authorization || '').split(' ');
  try {
    if (scheme !== 'Bearer' || !token) throw new Error('no bearer token');
    const { payload } = await jwtVerify(token, jwks, { issuer, audience, typ: 'at+jwt' });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ for: payload.sub, appointments: [{ when: '2026-12-01T09:30', with: 'Dr. Smith' }] }));
  } catch (e) {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
    res.end(JSON.stringify({ error: 'invalid_token', detail: String(e.code || e.message) }));
  }
}).listen(apiPort, '127.0.0.1', () => console.log(`api ${audience}`));
