// The single-page app's static server: the page, its script and the implicit-grant WASM
// module and its JavaScript wrapper. Usage: node app.mjs APP_PORT OP_PORT API_PORT WASM_PATH
import fs from 'node:fs';
import http from 'node:http';

const [appPort, opPort, apiPort] = process.argv.slice(2, 5).map(Number);
const wasm = process.argv[5];
const config = {
  issuer: `http://127.0.0.1:${opPort}`,
  app: `http://127.0.0.1:${appPort}`,
  redirect: `http://127.0.0.1:${appPort}/callback`,
  api: `http://127.0.0.1:${apiPort}/api/appointments`,
};
// The module's JavaScript wrapper, served as the module's package ships it.
const wrapper = new URL('../wasm-flow/js/implicit-grant.mjs', import.meta.url);
const file = (name) => fs.readFileSync(new URL(`public/${name}`, import.meta.url));

http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const send = (type, body) => res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  if (path === '/' || path === '/callback' || path === '/signed-out') return send('text/html', file('index.html'));
  if (path === '/app.js') return send('text/javascript', file('app.js'));
  if (path === '/implicit-grant.mjs') return send('text/javascript', fs.readFileSync(wrapper));
  if (path === '/config.json') return send('application/json', JSON.stringify(config));
  if (path === '/implicit_grant.wasm') return send('application/wasm', fs.readFileSync(wasm));
  res.writeHead(404).end();
}).listen(appPort, '127.0.0.1', () => console.log(`app http://127.0.0.1:${appPort}`));
