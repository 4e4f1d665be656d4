// Runs each size module's `callback` on the fixture and prints what it returned, so that the
// size comparison is between modules that do the work. Imports (the peers' wasm-bindgen
// placeholders) are stubbed to throw: the verification path must not need them.
// Usage: node run.mjs FIXTURE_JSON MODULE.wasm...
import { readFileSync } from "node:fs";

const [fixturePath, ...modules] = process.argv.slice(2);
const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
// The fifth line is for our module, which also runs `begin`: the random bytes that encode
// the fixture's state and nonce, in hex. The peers' modules read the first four.
const random = [fixture.state, fixture.nonce]
  .map((s) => Buffer.from(s, "base64url").toString("hex"))
  .join("");
const input = new TextEncoder().encode(
  [fixture.jwks.rs256_2048, fixture.state, fixture.nonce, fixture.fragments.rs256_2048, random].join(
    "\n",
  ),
);

for (const path of modules) {
  const module = new WebAssembly.Module(readFileSync(path));
  const imports = {};
  for (const { module: m, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function") throw new Error(`${path}: unexpected ${kind} import ${m}.${name}`);
    (imports[m] ??= {})[name] = () => {
      throw new Error(`import ${m}.${name} called`);
    };
  }
  const { exports } = new WebAssembly.Instance(module, imports);
  const base = exports.memory.grow(Math.ceil(input.length / 65536)) * 65536;
  new Uint8Array(exports.memory.buffer, base, input.length).set(input);
  let result;
  try {
    result = exports.callback(base, input.length, BigInt(fixture.now));
  } catch (e) {
    result = `trap: ${e.message}`;
  }
  console.log(`${path}\t${result}`);
}
