//! The wasm32 module in a constrained WebAssembly runtime: `wasmi` (a pure-Rust interpreter
//! used by embedded hosts) with its memory capped one 64 KiB page above what the module
//! declares and a fuel budget, randomness and storage as host functions, and a whole
//! begin → complete flow against an RS256 ID token signed here with a real RSA-2048 key.
//!
//! The test builds the module itself (`cargo build --target wasm32-unknown-unknown`).

use std::path::PathBuf;
use std::process::Command;

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};
use wasmi::{
    Caller, Config, Engine, Extern, Instance, Linker, Memory, Module, Store, StoreLimits,
    StoreLimitsBuilder,
};

const PAGE: usize = 64 * 1024;
/// Fuel for the whole instance: `complete` with RS256-2048 burns about 6.7 M (printed by
/// the test), so this leaves room for the test's four calls and no more.
const FUEL: u64 = 50_000_000;
const ISSUER: &str = "https://op.example";
const CLIENT_ID: &str = "wasm-client";
const AT: &str = "mF_9.B5f-4.1JqM";
const T0: u64 = 1_764_547_200;

struct Host {
    limits: StoreLimits,
    seed: u8,
    /// The host's storage: record and issue time by key.
    records: std::collections::HashMap<String, (i64, Vec<u8>)>,
}

fn build_module() -> Vec<u8> {
    build_module_with("default", &[])
}

/// The module built with `args` (features), in a target directory of its own (`name`).
fn build_module_with(name: &str, args: &[&str]) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target_dir = dir.join("../../target/wasmi-test").join(name);
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--profile",
            "wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .args(args)
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the wasm32 module builds");
    std::fs::read(target_dir.join("wasm32-unknown-unknown/wasm/implicit_grant_wasm.wasm")).unwrap()
}

fn memory(caller: &Caller<'_, Host>) -> Memory {
    caller
        .get_export("memory")
        .and_then(Extern::into_memory)
        .expect("the module exports its memory")
}

fn linker(engine: &Engine) -> Linker<Host> {
    let mut linker = Linker::<Host>::new(engine);
    linker
        .func_wrap(
            "host",
            "random",
            |mut caller: Caller<'_, Host>, ptr: i32, len: i32| -> i32 {
                let seed = caller.data().seed;
                let bytes: Vec<u8> = (0..len)
                    .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
                    .collect();
                caller.data_mut().seed = seed.wrapping_add(1);
                let mem = memory(&caller);
                mem.write(&mut caller, ptr as usize, &bytes)
                    .map_or(-1, |()| 0)
            },
        )
        .unwrap()
        .func_wrap(
            "host",
            "save",
            |mut caller: Caller<'_, Host>,
             key_ptr: i32,
             key_len: i32,
             ptr: i32,
             len: i32,
             issued_at: i64|
             -> i32 {
                let mut key = vec![0u8; key_len as usize];
                let mut bytes = vec![0u8; len as usize];
                let mem = memory(&caller);
                if mem.read(&caller, key_ptr as usize, &mut key).is_err()
                    || mem.read(&caller, ptr as usize, &mut bytes).is_err()
                {
                    return -1;
                }
                let key = String::from_utf8(key).unwrap();
                caller.data_mut().records.insert(key, (issued_at, bytes));
                0
            },
        )
        .unwrap()
        .func_wrap(
            "host",
            "take",
            |mut caller: Caller<'_, Host>, key_ptr: i32, key_len: i32, ptr: i32, len: i32| -> i32 {
                let mut key = vec![0u8; key_len as usize];
                let mem = memory(&caller);
                if mem.read(&caller, key_ptr as usize, &mut key).is_err() {
                    return -1;
                }
                let key = String::from_utf8(key).unwrap();
                let Some((_, record)) = caller.data_mut().records.remove(&key) else {
                    return 0;
                };
                if record.len() != len as usize {
                    return -1;
                }
                let mem = memory(&caller);
                mem.write(&mut caller, ptr as usize, &record)
                    .map_or(-1, |()| 1)
            },
        )
        .unwrap();
    linker
}

/// The module, instantiated with capped memory and fuel.
struct Wasm {
    store: Store<Host>,
    instance: Instance,
    memory: Memory,
}

impl Wasm {
    fn new(bytes: &[u8]) -> Self {
        let mut config = Config::default();
        config.consume_fuel(true);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, bytes).unwrap();
        let declared = module
            .exports()
            .find_map(|e| e.ty().memory().map(|m| m.minimum()))
            .or_else(|| {
                module
                    .imports()
                    .find_map(|i| i.ty().memory().map(|m| m.minimum()))
            })
            .expect("a memory") as usize;
        let limits = StoreLimitsBuilder::new()
            .memory_size((declared + 1) * PAGE)
            .instances(1)
            .memories(1)
            .build();
        let mut store = Store::new(
            &engine,
            Host {
                limits,
                seed: 7,
                records: Default::default(),
            },
        );
        store.limiter(|host| &mut host.limits);
        store.set_fuel(FUEL).unwrap();
        let instance = linker(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        let memory = instance.get_memory(&store, "memory").unwrap();
        Self {
            store,
            instance,
            memory,
        }
    }

    fn call<P: wasmi::WasmParams, R: wasmi::WasmResults>(&mut self, name: &str, params: P) -> R {
        self.instance
            .get_typed_func::<P, R>(&self.store, name)
            .unwrap()
            .call(&mut self.store, params)
            .unwrap()
    }

    fn io(&mut self) -> usize {
        self.call::<(), i32>("ig_io", ()) as usize
    }

    fn write_io(&mut self, bytes: &[u8]) {
        let io = self.io();
        self.memory.write(&mut self.store, io, bytes).unwrap();
    }

    fn read_io(&mut self, len: i32) -> String {
        let io = self.io();
        let mut out = vec![0u8; len as usize];
        self.memory.read(&self.store, io, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn configure(&mut self, settings: &str) -> i32 {
        self.configure_with(settings, "")
    }

    /// `ig_configure` with the provider's metadata document after the settings.
    fn configure_with(&mut self, settings: &str, metadata: &str) -> i32 {
        self.write_io(format!("{settings}{metadata}").as_bytes());
        let lens = (settings.len() as i32, metadata.len() as i32);
        self.call::<(i32, i32), i32>("ig_configure", lens)
    }

    /// The text of the last call's error (`ig_error_len` bytes at the I/O buffer's start).
    fn error_text(&mut self) -> String {
        let n: i32 = self.call("ig_error_len", ());
        self.read_io(n)
    }

    fn begin(&mut self) -> (String, String) {
        let n: i32 = self.call("ig_begin", T0 as i64);
        let url = self.read_io(n);
        (param(&url, "state"), param(&url, "nonce"))
    }

    /// `ig_callback` with `input`: the output, or the error code.
    fn callback(&mut self, input: &str) -> Result<String, i32> {
        self.callback_at(input, T0)
    }

    /// `ig_callback` with `input` at `now`.
    fn callback_at(&mut self, input: &str, now: u64) -> Result<String, i32> {
        self.write_io(input.as_bytes());
        let n: i32 = self.call("ig_callback", (input.len() as i32, now as i64));
        if n < 0 { Err(-n) } else { Ok(self.read_io(n)) }
    }

    /// `ig_redeem` of `handle` with the token endpoint's `status` and `body`.
    fn redeem(&mut self, handle: i32, status: i32, body: &str, jwks: &str) -> Result<String, i32> {
        self.write_io(format!("{body}{jwks}").as_bytes());
        let args = (
            handle,
            status,
            body.len() as i32,
            jwks.len() as i32,
            T0 as i64 + 30,
        );
        let n: i32 = self.call("ig_redeem", args);
        if n < 0 { Err(-n) } else { Ok(self.read_io(n)) }
    }

    fn complete(&mut self, hash: &str, jwks: &str, now: u64) -> Result<String, i32> {
        self.write_io(format!("{hash}{jwks}").as_bytes());
        let n: i32 = self.call(
            "ig_complete",
            (hash.len() as i32, jwks.len() as i32, now as i64),
        );
        if n < 0 { Err(-n) } else { Ok(self.read_io(n)) }
    }
}

fn keys() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/keys.json");
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == "rsa-2048-a")
        .unwrap()
        .clone()
}

fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// The provider: an RS256 ID token for `nonce`, signed with the RSA-2048 test key.
fn id_token(nonce: &str) -> String {
    id_token_for("wasm-user", nonce, AT)
}

/// The same for the user `sub`, with the `at_hash` of `access_token`.
fn id_token_for(sub: &str, nonce: &str, access_token: &str) -> String {
    signed(sub, nonce, access_token, &format!(r#""{CLIENT_ID}""#))
}

/// An RS256 ID token of `ISSUER` with these claims (`aud` as JSON), signed with the
/// RSA-2048 test key.
fn signed(sub: &str, nonce: &str, access_token: &str, aud: &str) -> String {
    signed_by(ISSUER, sub, nonce, access_token, aud)
}

/// The same from the issuer `iss`.
fn signed_by(iss: &str, sub: &str, nonce: &str, access_token: &str, aud: &str) -> String {
    let jwk = keys();
    let int = |m: &str| {
        rsa::BoxedUint::from_be_slice_vartime(
            &Base64UrlUnpadded::decode_vec(jwk[m].as_str().unwrap()).unwrap(),
        )
    };
    let key =
        rsa::PrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
            .unwrap();
    let at_hash = b64(&Sha256::digest(access_token.as_bytes())[..16]);
    let claims = format!(
        r#"{{"iss":"{iss}","sub":"{sub}","aud":{aud},"nonce":"{nonce}","iat":{T0},"exp":{},"at_hash":"{at_hash}"}}"#,
        T0 + 3600
    );
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"RS256","kid":"rsa-2048-a"}"#),
        b64(claims.as_bytes())
    );
    let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(key)
        .sign(input.as_bytes())
        .to_vec();
    format!("{input}.{}", b64(&sig))
}

fn jwks() -> String {
    let jwk = keys();
    format!(
        r#"{{"keys":[{{"kty":"RSA","kid":"rsa-2048-a","use":"sig","alg":"RS256","n":"{}","e":"{}"}}]}}"#,
        jwk["n"].as_str().unwrap(),
        jwk["e"].as_str().unwrap()
    )
}

fn param(url: &str, name: &str) -> String {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

#[test]
fn begin_then_complete_in_wasmi_with_capped_memory_and_fuel() {
    let mut wasm = Wasm::new(&build_module());
    let pages = wasm.memory.size(&wasm.store);
    assert_eq!(wasm.call::<(), i32>("ig_abi_version", ()), 3);
    let settings = format!(
        "issuer={ISSUER}\nauthorization_endpoint={ISSUER}/authorize\nclient_id={CLIENT_ID}\n\
         redirect_uri=http://127.0.0.1:8080/callback\nscope=openid profile\n\
         audience=https://api.example/appointments\nalgorithms=RS256\nloopback=true"
    );
    assert_eq!(wasm.configure(&settings), 0);

    let n: i32 = wasm.call("ig_begin", T0 as i64);
    assert!(n > 0, "ig_begin: {n}");
    let url = wasm.read_io(n);
    assert!(
        url.starts_with(
            "https://op.example/authorize?response_type=id_token%20token&client_id=wasm-client"
        ),
        "{url}"
    );
    let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
    let records = &wasm.store.data().records;
    assert_eq!(records.len(), 1, "the transaction went to host storage");
    let (issued_at, _) = records.values().next().unwrap();
    assert_eq!(*issued_at, T0 as i64);

    let token = id_token(&nonce);
    let hash = format!(
        "#access_token={AT}&id_token={token}&token_type=Bearer&expires_in=3600&state={state}"
    );
    let before = wasm.store.get_fuel().unwrap();
    let out = wasm
        .complete(&hash, &jwks(), T0 + 30)
        .expect("complete succeeds");
    let used = before - wasm.store.get_fuel().unwrap();
    assert_eq!(
        out,
        format!(
            "authorized\n{AT}\nwasm-user\n{}\n{token}",
            T0 + 30 + 3600 - 60
        )
    );
    println!(
        "wasmi: memory {pages} pages (cap {}), complete used {used} fuel",
        pages + 1
    );

    // The Authorization header for any access token, and a refusal for a malformed one.
    wasm.write_io(AT.as_bytes());
    let n: i32 = wasm.call("ig_bearer", AT.len() as i32);
    assert_eq!(wasm.read_io(n), format!("Bearer {AT}"));
    wasm.write_io(b"not a token");
    assert!(wasm.call::<i32, i32>("ig_bearer", 11) < 0);

    // Replaying the same redirect finds no transaction (code 6).
    assert_eq!(wasm.complete(&hash, &jwks(), T0 + 31), Err(6));
    // The memory never grew.
    assert_eq!(wasm.memory.size(&wasm.store), pages);
}

#[test]
fn tampered_signature_and_state_are_refused_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    let settings = format!(
        "issuer={ISSUER}\nauthorization_endpoint={ISSUER}/authorize\nclient_id={CLIENT_ID}\n\
         redirect_uri=https://rp.example/cb"
    );
    assert_eq!(wasm.configure(&settings), 0);
    // A tampered state finds no transaction (code 6) and leaves the login pending.
    for (tamper, code) in [("signature", 4), ("state", 6)] {
        let n: i32 = wasm.call("ig_begin", T0 as i64);
        let url = wasm.read_io(n);
        let (mut state, nonce) = (param(&url, "state"), param(&url, "nonce"));
        let mut token = id_token(&nonce);
        match tamper {
            "signature" => {
                let last = token.pop().unwrap();
                token.push(if last == 'A' { 'Q' } else { 'A' });
            }
            _ => state.replace_range(0..1, if state.starts_with('A') { "B" } else { "A" }),
        }
        let hash = format!("#access_token={AT}&id_token={token}&token_type=Bearer&state={state}");
        assert_eq!(
            wasm.complete(&hash, &jwks(), T0 + 30),
            Err(code),
            "{tamper}"
        );
        // The error's text names the fault, never a value.
        let text = wasm.error_text();
        let expected = match tamper {
            "signature" => "jwt: signature does not verify",
            _ => "flow: no pending transaction (replay or lost storage)",
        };
        assert_eq!(text, expected, "{tamper}");
        let pending = wasm.store.data().records.len();
        assert_eq!(pending, usize::from(tamper == "state"), "{tamper}");
    }
}

#[test]
fn two_pending_logins_and_a_key_rotation_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    let settings = format!(
        "issuer={ISSUER}\nauthorization_endpoint={ISSUER}/authorize\nclient_id={CLIENT_ID}\n\
         redirect_uri=https://rp.example/cb\niss=supported"
    );
    assert_eq!(wasm.configure(&settings), 0);
    let mut hashes = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let n: i32 = wasm.call("ig_begin", T0 as i64);
        let url = wasm.read_io(n);
        let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
        tokens.push(id_token(&nonce));
        hashes.push(format!(
            "#access_token={AT}&id_token={}&token_type=Bearer&state={state}",
            tokens.last().unwrap()
        ));
    }
    assert_eq!(wasm.store.data().records.len(), 2);
    // The second login completes first, after a key rotation: the JWKS the host holds
    // lacks the token's key, so the module asks for a refetch and keeps the transaction.
    let stale = r#"{"keys":[]}"#;
    assert_eq!(
        wasm.complete(&hashes[1], stale, T0 + 30),
        Ok("keys_outdated".to_owned())
    );
    assert_eq!(wasm.store.data().records.len(), 2);
    // No `expires_in`: renew a minute before the ID token's `exp`.
    let renew_at = T0 + 3600 - 60;
    assert_eq!(
        wasm.complete(&hashes[1], &jwks(), T0 + 30),
        Ok(format!(
            "authorized\n{AT}\nwasm-user\n{renew_at}\n{}",
            tokens[1]
        ))
    );
    assert_eq!(
        wasm.complete(&hashes[0], &jwks(), T0 + 31),
        Ok(format!(
            "authorized\n{AT}\nwasm-user\n{renew_at}\n{}",
            tokens[0]
        ))
    );
    assert!(wasm.store.data().records.is_empty());
}

#[test]
fn discovery_silent_renewal_and_logout_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    let pages = wasm.memory.size(&wasm.store);
    // oidc-provider's published metadata (a loopback development provider).
    let metadata = include_str!("../../../tests/data/discovery/oidc-provider.json");
    let issuer = "http://127.0.0.1:39411";
    let settings = format!(
        "issuer={issuer}\nclient_id={CLIENT_ID}\nredirect_uri=http://127.0.0.1:39412/callback"
    );
    let configured = wasm.configure_with(&settings, metadata);
    assert_eq!(configured, 0);
    // Another issuer than the document's: refused (code 11), and nothing stays configured.
    let other = settings.replace(issuer, "http://127.0.0.1:1");
    let refused = wasm.configure_with(&other, metadata);
    assert_eq!(refused, -11);
    assert_eq!(wasm.call::<i64, i32>("ig_begin", T0 as i64), -2);

    let configured = wasm.configure_with(&settings, metadata);
    assert_eq!(configured, 0);
    // A hint of another issuer is refused: it would send that issuer's ID token here.
    let foreign = id_token("n-0S6_WzA2Mj");
    wasm.write_io(foreign.as_bytes());
    let refused: i32 = wasm.call("ig_begin_silent", (foreign.len() as i32, T0 as i64));
    assert_eq!(refused, -2);
    assert_eq!(
        wasm.error_text(),
        "config: id_token_hint was issued by another issuer"
    );
    let hint = signed_by(
        issuer,
        "wasm-user",
        "n-0S6_WzA2Mj",
        AT,
        &format!(r#""{CLIENT_ID}""#),
    );
    wasm.write_io(hint.as_bytes());
    let n: i32 = wasm.call("ig_begin_silent", (hint.len() as i32, T0 as i64));
    assert!(n > 0, "ig_begin_silent: {n}");
    let url = wasm.read_io(n);
    assert!(
        url.starts_with(&format!("{issuer}/auth?response_type=id_token%20token")),
        "{url}"
    );
    assert_eq!(param(&url, "prompt"), "none");
    assert_eq!(param(&url, "id_token_hint"), hint);

    let redirect = "http://127.0.0.1:39412/";
    wasm.write_io(format!("{hint}{redirect}lo-state").as_bytes());
    let n: i32 = wasm.call("ig_logout", (hint.len() as i32, redirect.len() as i32, 8));
    assert_eq!(
        wasm.read_io(n),
        format!(
            "{issuer}/session/end?id_token_hint={hint}&client_id={CLIENT_ID}\
             &post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A39412%2F&state=lo-state"
        )
    );
    assert_eq!(wasm.memory.size(&wasm.store), pages);
}

/// Settings of a client of `ISSUER` without discovery.
fn plain_settings() -> String {
    format!(
        "issuer={ISSUER}\nauthorization_endpoint={ISSUER}/authorize\nclient_id={CLIENT_ID}\n\
         redirect_uri=https://rp.example/cb"
    )
}

#[test]
fn long_access_tokens_and_tokens_outside_b64token_still_complete_the_login_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    assert_eq!(wasm.configure(&plain_settings()), 0);
    // RFC 6749 App. A.12 allows any VSCHAR in an access token; RFC 6750's b64token is
    // narrower. Neither the length nor the characters may cost the user the login.
    let long = "A".repeat(4_100);
    for token in [long.as_str(), "a!b|c*d$e,f", "2YotnFZF!EjrCs|icMW*pA$A,"] {
        let (state, nonce) = wasm.begin();
        let id = id_token_for("wasm-user", &nonce, token);
        // `|` is no fragment character (RFC 3986 §3.5): the provider escapes it.
        let encoded = token.replace('|', "%7C");
        let hash = format!("#access_token={encoded}&id_token={id}&token_type=Bearer&state={state}");
        let out = wasm
            .complete(&hash, &jwks(), T0 + 30)
            .unwrap_or_else(|code| panic!("{code}: {}", wasm.error_text()));
        let mut lines = out.split('\n');
        assert_eq!(lines.next(), Some("authorized"));
        assert_eq!(lines.next(), Some(token), "the token as issued");
        assert!(wasm.store.data().records.is_empty());
        // The header is built when the token is used: a b64token gets one, another token
        // a typed refusal (code 3) that names the parameter, with the session kept.
        wasm.write_io(token.as_bytes());
        let n: i32 = wasm.call("ig_bearer", token.len() as i32);
        if token.contains('!') {
            assert_eq!(n, -3, "{token}");
            assert_eq!(
                wasm.error_text(),
                "response: parameter access_token is malformed"
            );
        } else {
            assert_eq!(wasm.read_io(n), format!("Bearer {token}"));
            assert_eq!(wasm.call::<(), i32>("ig_error_len", ()), 0);
        }
    }
}

#[test]
fn a_silent_renewal_answered_for_another_user_is_refused_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    assert_eq!(wasm.configure(&plain_settings()), 0);
    let hint = id_token("n-0S6_WzA2Mj"); // sub wasm-user
    for (sub, expected) in [("someone-else", Err(12)), ("wasm-user", Ok(()))] {
        wasm.write_io(hint.as_bytes());
        let n: i32 = wasm.call("ig_begin_silent", (hint.len() as i32, T0 as i64));
        let url = wasm.read_io(n);
        let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
        let id = id_token_for(sub, &nonce, AT);
        let hash = format!("#access_token={AT}&id_token={id}&token_type=Bearer&state={state}");
        let outcome = wasm.complete(&hash, &jwks(), T0 + 30);
        assert_eq!(
            outcome.as_ref().map(drop).map_err(|e| *e),
            expected,
            "{sub}"
        );
        if outcome.is_err() {
            assert_eq!(
                wasm.error_text(),
                "flow: ID token names another user than the id_token_hint (sub)"
            );
        }
        assert!(wasm.store.data().records.is_empty(), "{sub}: consumed");
    }
    // A hint that is no ID token is refused before anything is saved.
    wasm.write_io(b"e30.e30.c2ln");
    assert_eq!(
        wasm.call::<(i32, i64), i32>("ig_begin_silent", (12, T0 as i64)),
        -5
    );
    assert_eq!(wasm.error_text(), "claims: claim iss is missing");
    assert!(wasm.store.data().records.is_empty());
}

#[test]
fn trusted_audiences_admit_an_id_token_for_several_audiences_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    // Without the setting, an ID token also meant for the API is refused (code 5).
    for (trusted, expected) in [
        ("", Err(5)),
        ("\ntrusted_audiences=https://api.example", Ok(())),
    ] {
        assert_eq!(wasm.configure(&format!("{}{trusted}", plain_settings())), 0);
        let (state, nonce) = wasm.begin();
        let aud = format!(r#"["{CLIENT_ID}","https://api.example"]"#);
        let id = signed("wasm-user", &nonce, AT, &aud);
        let hash = format!("#access_token={AT}&id_token={id}&token_type=Bearer&state={state}");
        assert_eq!(
            wasm.complete(&hash, &jwks(), T0 + 30).map(drop),
            expected,
            "{trusted}"
        );
    }
}

#[test]
fn the_callback_only_build_logs_in_and_says_what_it_lacks_in_wasmi() {
    let bytes = build_module_with("callback", &["--no-default-features", "--features", "rsa"]);
    let mut wasm = Wasm::new(&bytes);
    // Neither renewal nor logout is linked in.
    let module = Module::new(&Engine::default(), &bytes[..]).unwrap();
    let exports: Vec<String> = module.exports().map(|e| e.name().to_owned()).collect();
    assert!(exports.iter().any(|e| e == "ig_complete"));
    assert!(
        !exports
            .iter()
            .any(|e| e == "ig_begin_silent" || e == "ig_logout")
    );
    // Metadata needs discovery: code 13, with a text that says which part is missing.
    let settings = plain_settings();
    let metadata = include_str!("../../../tests/data/discovery/oidc-provider.json");
    let refused = wasm.configure_with(&settings, metadata);
    assert_eq!(refused, -13);
    assert_eq!(
        wasm.error_text(),
        "this build of the module has no discovery"
    );
    // The login itself.
    assert_eq!(wasm.configure(&settings), 0);
    let (state, nonce) = wasm.begin();
    let token = id_token(&nonce);
    let hash = format!("#access_token={AT}&id_token={token}&token_type=Bearer&state={state}");
    let out = wasm.complete(&hash, &jwks(), T0 + 30).unwrap();
    assert!(
        out.starts_with(&format!("authorized\n{AT}\nwasm-user\n")),
        "{out}"
    );
}

/// Settings of a code + PKCE client of `ISSUER` without discovery.
fn code_settings() -> String {
    format!(
        "{}\nresponse_type=code\ntoken_endpoint={ISSUER}/token\nscope=openid offline_access",
        plain_settings()
    )
}

/// A token endpoint's answer (RFC 6749 §5.1) with an ID token for `nonce` and `sub`.
fn token_response(sub: &str, nonce: &str, access_token: &str, refresh_token: &str) -> String {
    let id = id_token_for(sub, nonce, access_token);
    format!(
        r#"{{"access_token":"{access_token}","token_type":"Bearer","expires_in":3600,"refresh_token":"{refresh_token}","id_token":"{id}"}}"#
    )
}

/// `ig_begin` for the code flow: the URL's `state`, `nonce` and `code_challenge`.
fn begin_code(wasm: &mut Wasm) -> (String, String, String) {
    let n: i32 = wasm.call("ig_begin", T0 as i64);
    let url = wasm.read_io(n);
    assert!(
        url.starts_with(&format!("{ISSUER}/authorize?response_type=code&")),
        "{url}"
    );
    assert_eq!(param(&url, "code_challenge_method"), "S256");
    (
        param(&url, "state"),
        param(&url, "nonce"),
        param(&url, "code_challenge"),
    )
}

/// The form body's value of `name`.
fn form(body: &str, name: &str) -> String {
    body.split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        .to_owned()
}

#[test]
fn code_flow_callback_token_request_redeem_and_refresh_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    let pages = wasm.memory.size(&wasm.store);
    // Without a token endpoint there is nowhere to redeem a code: refused when configured.
    let no_endpoint = code_settings().replace(&format!("\ntoken_endpoint={ISSUER}/token"), "");
    assert_eq!(wasm.configure(&no_endpoint), -2);
    assert_eq!(wasm.error_text(), "config: token endpoint is missing");
    assert_eq!(wasm.configure(&code_settings()), 0);
    let (state, nonce, challenge) = begin_code(&mut wasm);

    // RFC 6749 §4.1.2: the code comes back in the query.
    let out = wasm
        .callback(&format!(
            "https://rp.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state={state}"
        ))
        .unwrap_or_else(|code| panic!("{code}: {}", wasm.error_text()));
    let lines: Vec<&str> = out.split('\n').collect();
    let [kind, handle, endpoint, body] = lines[..] else {
        panic!("{out}")
    };
    assert_eq!((kind, endpoint), ("code", "https://op.example/token"));
    let handle: i32 = handle.parse().unwrap();
    assert!(
        wasm.store.data().records.is_empty(),
        "the transaction is taken"
    );
    // RFC 6749 §4.1.3 and RFC 7636 §4.5: what the provider checks.
    assert_eq!(form(body, "grant_type"), "authorization_code");
    assert_eq!(form(body, "code"), "SplxlOBeZQQYbYS6WxSbIA");
    assert_eq!(form(body, "redirect_uri"), "https%3A%2F%2Frp.example%2Fcb");
    assert_eq!(form(body, "client_id"), CLIENT_ID);
    let verifier = form(body, "code_verifier");
    assert_eq!(b64(&Sha256::digest(verifier.as_bytes())), challenge, "S256");

    let answer = token_response("wasm-user", &nonce, AT, "tGzv3JOkF0XG5Qx2TlKWIA");
    let out = wasm
        .redeem(handle, 200, &answer, &jwks())
        .unwrap_or_else(|code| panic!("{code}: {}", wasm.error_text()));
    let id = id_token_for("wasm-user", &nonce, AT);
    let renew_at = T0 + 30 + 3600 - 60;
    assert_eq!(
        out,
        format!("authorized\n{AT}\nwasm-user\n{renew_at}\n{id}\ntGzv3JOkF0XG5Qx2TlKWIA")
    );
    // A code is redeemed once (RFC 6749 §4.1.2).
    assert_eq!(wasm.redeem(handle, 200, &answer, &jwks()), Err(6));

    // RFC 6749 §6: the refresh request, then its answer, whose ID token keeps the user.
    let refresh = "tGzv3JOkF0XG5Qx2TlKWIA";
    wasm.write_io(refresh.as_bytes());
    let n: i32 = wasm.call("ig_refresh_request", refresh.len() as i32);
    assert_eq!(
        wasm.read_io(n),
        format!(
            "{ISSUER}/token\ngrant_type=refresh_token&refresh_token={refresh}&client_id={CLIENT_ID}"
        )
    );
    let refreshed = |wasm: &mut Wasm, sub: &str, status: i32, body: &str| {
        let inputs = format!("{refresh}{id}{body}{}", jwks());
        wasm.write_io(inputs.as_bytes());
        let lens = (
            refresh.len() as i32,
            id.len() as i32,
            status,
            body.len() as i32,
        );
        let args = (
            lens.0,
            lens.1,
            lens.2,
            lens.3,
            jwks().len() as i32,
            T0 as i64 + 60,
        );
        let n: i32 = wasm.call("ig_refresh", args);
        if n < 0 {
            Err((-n, wasm.error_text(), sub.to_owned()))
        } else {
            Ok(wasm.read_io(n))
        }
    };
    let fresh = "2YotnFZFEjr1zCsicMWpAA";
    let answer = token_response("wasm-user", &nonce, fresh, "8xLOxBtZp8");
    let out = refreshed(&mut wasm, "wasm-user", 200, &answer).unwrap();
    assert!(
        out.starts_with(&format!("authorized\n{fresh}\nwasm-user\n")),
        "{out}"
    );
    assert!(
        out.ends_with("\n8xLOxBtZp8"),
        "the rotated refresh token: {out}"
    );
    // OIDC Core §12.2: another user's ID token in a refresh answer is refused (code 5).
    let answer = token_response("someone-else", &nonce, fresh, "8xLOxBtZp8");
    let refused = refreshed(&mut wasm, "someone-else", 200, &answer).unwrap_err();
    assert_eq!(refused.0, 5);
    assert_eq!(
        refused.1,
        "claims: claim sub differs from the session's ID token"
    );
    // RFC 6749 §5.2: a revoked refresh token is a denial, not an error.
    let out = refreshed(&mut wasm, "", 400, r#"{"error":"invalid_grant"}"#).unwrap();
    assert_eq!(out, "denied\ninvalid_grant\n");
    assert_eq!(wasm.memory.size(&wasm.store), pages);
}

#[test]
fn code_callbacks_refused_busy_dropped_and_keys_outdated_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    assert_eq!(wasm.configure(&code_settings()), 0);
    let logins: Vec<_> = (0..5).map(|_| begin_code(&mut wasm)).collect();
    let back = |state: &str| format!("?code=c-{}&state={state}", &state[..6]);
    // RFC 9700 §2.1.2: a token in a code response is refused before the store is touched.
    let injected = format!("{}&access_token={AT}", back(&logins[0].0));
    assert_eq!(wasm.callback(&injected), Err(3));
    assert_eq!(wasm.store.data().records.len(), 5);
    // An authentic denial.
    let denied = format!("?error=access_denied&state={}", logins[4].0);
    assert_eq!(
        wasm.callback(&denied),
        Ok("denied\naccess_denied\n".to_owned())
    );
    // Four codes may wait for their token requests; a fifth is refused (code 14) before
    // its transaction is taken, and goes through once one of them is dropped.
    let (state, nonce, _) = begin_code(&mut wasm);
    let mut handles = Vec::new();
    for (state, ..) in &logins[..4] {
        let out = wasm.callback(&back(state)).unwrap();
        handles.push(out.split('\n').nth(1).unwrap().parse::<i32>().unwrap());
    }
    assert_eq!(handles, [1, 2, 3, 4]);
    assert_eq!(wasm.callback(&back(&state)), Err(14));
    assert_eq!(wasm.store.data().records.len(), 1, "the fifth login waits");
    assert_eq!(wasm.call::<i32, i32>("ig_drop", handles[1]), 0);
    assert_eq!(wasm.call::<i32, i32>("ig_drop", handles[1]), -6);
    let out = wasm.callback(&back(&state)).unwrap();
    assert!(out.starts_with("code\n5\n"), "{out}");

    // The ID token names a key the JWK Set lacks: keys_outdated, and the one retry with
    // the same answer and the refetched keys signs in.
    let answer = token_response("wasm-user", &nonce, AT, "r1");
    let stale = jwks().replace("rsa-2048-a", "rsa-2048-old");
    assert_eq!(
        wasm.redeem(5, 200, &answer, &stale),
        Ok("keys_outdated".to_owned())
    );
    let out = wasm.redeem(5, 200, &answer, &jwks()).unwrap();
    assert!(
        out.starts_with(&format!("authorized\n{AT}\nwasm-user\n")),
        "{out}"
    );
    // The key still unknown after the refetch: code 10, and the grant is spent.
    let third = token_response("wasm-user", &logins[2].1, AT, "r3");
    assert_eq!(
        wasm.redeem(3, 200, &third, &stale),
        Ok("keys_outdated".to_owned())
    );
    assert_eq!(wasm.redeem(3, 200, &third, &stale), Err(10));
    assert_eq!(wasm.redeem(3, 200, &third, &jwks()), Err(6));
    // A code the provider refuses (RFC 6749 §5.2): a denial, and the grant is spent.
    assert_eq!(
        wasm.redeem(1, 400, r#"{"error":"invalid_grant"}"#, &jwks()),
        Ok("denied\ninvalid_grant\n".to_owned())
    );
    assert_eq!(
        wasm.redeem(1, 400, r#"{"error":"invalid_grant"}"#, &jwks()),
        Err(6)
    );

    // RFC 6749 §4.1.2: a code lives ten minutes at most. With the four slots full again,
    // a callback more than 600 s after the oldest was taken reuses that slot.
    for _ in 0..3 {
        let (state, ..) = begin_code(&mut wasm);
        wasm.callback(&back(&state)).unwrap();
    }
    let n: i32 = wasm.call("ig_begin", T0 as i64 + 500);
    let late = param(&wasm.read_io(n), "state");
    assert_eq!(wasm.callback_at(&back(&late), T0 + 600), Err(14));
    assert_eq!(wasm.store.data().records.len(), 1);
    let out = wasm.callback_at(&back(&late), T0 + 601).unwrap();
    assert!(out.starts_with("code\n9\n"), "{out}");
    // The implicit flow has no token endpoint: its refresh request is refused, not sent to
    // an empty URL.
    assert_eq!(wasm.configure(&plain_settings()), 0);
    wasm.write_io(b"r");
    assert_eq!(wasm.call::<i32, i32>("ig_refresh_request", 1), -2);
    assert_eq!(wasm.error_text(), "config: token endpoint is missing");
}

#[test]
fn code_flow_configured_from_a_providers_metadata_in_wasmi() {
    let mut wasm = Wasm::new(&build_module());
    let issuer = "https://dev-265911.oktapreview.com/oauth2/default";
    let metadata = include_str!("../../../tests/data/discovery/okta.json");
    let settings = format!(
        "issuer={issuer}\nclient_id={CLIENT_ID}\nredirect_uri=https://rp.example/cb\nresponse_type=code"
    );
    let configured = wasm.configure_with(&settings, metadata);
    assert_eq!(configured, 0, "{}", wasm.error_text());
    let n: i32 = wasm.call("ig_begin", T0 as i64);
    let url = wasm.read_io(n);
    assert!(
        url.starts_with(&format!("{issuer}/v1/authorize?response_type=code&")),
        "{url}"
    );
    let state = param(&url, "state");
    let out = wasm.callback(&format!("?code=abc&state={state}")).unwrap();
    assert_eq!(out.split('\n').nth(2), Some(&*format!("{issuer}/v1/token")));
    // oidc-provider's document (its implicit clients) lists no `code`: code 11.
    let metadata = include_str!("../../../tests/data/discovery/oidc-provider.json");
    let settings = "issuer=http://127.0.0.1:39411\nclient_id=c\nredirect_uri=http://127.0.0.1:1/cb\nresponse_type=code";
    let refused = wasm.configure_with(settings, metadata);
    assert_eq!(
        (refused, wasm.error_text().as_str()),
        (-11, "metadata: provider does not list the response type")
    );
}
