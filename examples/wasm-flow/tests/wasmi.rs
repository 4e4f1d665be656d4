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
        self.write_io(settings.as_bytes());
        self.call::<(i32, i32), i32>("ig_configure", (settings.len() as i32, 0))
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
    assert_eq!(wasm.call::<(), i32>("ig_abi_version", ()), 2);
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
    wasm.write_io(format!("{settings}{metadata}").as_bytes());
    let configured: i32 = wasm.call(
        "ig_configure",
        (settings.len() as i32, metadata.len() as i32),
    );
    assert_eq!(configured, 0);
    // Another issuer than the document's: refused (code 11), and nothing stays configured.
    let other = settings.replace(issuer, "http://127.0.0.1:1");
    wasm.write_io(format!("{other}{metadata}").as_bytes());
    let refused: i32 = wasm.call("ig_configure", (other.len() as i32, metadata.len() as i32));
    assert_eq!(refused, -11);
    assert_eq!(wasm.call::<i64, i32>("ig_begin", T0 as i64), -2);

    wasm.write_io(format!("{settings}{metadata}").as_bytes());
    let configured: i32 = wasm.call(
        "ig_configure",
        (settings.len() as i32, metadata.len() as i32),
    );
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
    wasm.write_io(format!("{settings}{metadata}").as_bytes());
    let refused: i32 = wasm.call(
        "ig_configure",
        (settings.len() as i32, metadata.len() as i32),
    );
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
