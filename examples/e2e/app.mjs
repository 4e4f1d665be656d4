// The single-page app's static server: the page, its script, and the installed npm package
// implicit-grant-wasm (wrapper and module) under /pkg/. Usage: node app.mjs APP_PORT ISSUER API_URL
import fs from 'node:fs';
import http from 'node:http';

const [port, issuer, api] = process.argv.slice(2, 5);
const appPort = Number(port);
const config = {
  issuer,
  app: `http://127.0.0.1:${appPort}`,
  redirect: `http://127.0.0.1:${appPort}/callback`,
  api,
};
// The package as npm installed it (e2e.sh installs the packed tarball).
const pkg = new URL('node_modules/implicit-grant-wasm/', import.meta.url);
const shipped = { 'implicit-grant.mjs': 'text/javascript', 'implicit_grant.wasm': 'application/wasm' };
const file = (name) => fs.readFileSync(new URL(`public/${name}`, import.meta.url));

http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const send = (type, body) => res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  if (path === '/' || path === '/callback' || path === '/signed-out') return send('text/html', file('index.html'));
  if (path === '/app.js') return send('text/javascript', file('app.js'));
  const name = path.startsWith('/pkg/') ? path.slice(5) : '';
  if (shipped[name]) return send(shipped[name], fs.readFileSync(new URL(name, pkg)));
  if (path === '/config.json') return send('application/json', JSON.stringify(config));
  res.writeHead(404).end();
}).listen(appPort, '127.0.0.1', () => console.log(`app http://127.0.0.1:${appPort}`));
