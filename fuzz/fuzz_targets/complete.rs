//! The whole `begin` → redirect → `complete` flow over in-memory fakes, with the redirect
//! assembled from fuzzer choices (state right, wrong or missing; ID token valid, tampered
//! or absent; access token, token type, error, extra text), with a second login pending
//! beside it. Invariants: `complete` never returns `Authorized` (nor `Denied`) unless the
//! response's `state` is the stored one, and never `Authorized` with an ID token the
//! verifier did not accept; a response consumes at most the login whose `state` it carries
//! (the fuzzer does find the other login's state, from the comparisons it watches).
//! Run: `cargo +nightly fuzz run complete`.
#![no_main]

use std::cell::Cell;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use implicit_grant::jwt::Header;
use implicit_grant::verify::HmacKey;
use implicit_grant::{Algorithm, SignatureVerified, SignatureVerifier};
use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, Error, Issuer, MemoryStore, Outcome, Random,
    RandomError, RedirectUri, ResponseType, Transaction, TransactionKey, TransactionStore,
    UnixTime, begin, complete,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use sha2::{Digest, Sha256};

const KEY: &[u8] = b"fuzzing secret shared with the provider";
const AT: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const T0_SECS: u64 = 1_700_000_000;
const T0: UnixTime = UnixTime::from_secs(T0_SECS);

struct Bytes<'a>(&'a [u8]);

impl Random for Bytes<'_> {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> core::result::Result<(), RandomError> {
        for (i, b) in dest.iter_mut().enumerate() {
            *b = self.0.get(i % self.0.len().max(1)).copied().unwrap_or(7) ^ i as u8;
        }
        Ok(())
    }
}

/// Records whether the inner verifier accepted a signature.
struct Recording<'k> {
    inner: HmacKey<'k>,
    accepted: Cell<bool>,
}

impl SignatureVerifier for Recording<'_> {
    fn verify<'t>(
        &self,
        h: &Header<'_>,
        input: &'t [u8],
        sig: &[u8],
    ) -> core::result::Result<SignatureVerified<'t>, Error> {
        let result = self.inner.verify(h, input, sig);
        self.accepted.set(self.accepted.get() || result.is_ok());
        result
    }
}

fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

fn id_token(nonce: &str, at_hash: bool, tamper: bool) -> String {
    let extra = if at_hash {
        format!(
            r#","at_hash":"{}""#,
            b64(&Sha256::digest(AT.as_bytes())[..16])
        )
    } else {
        String::new()
    };
    let claims = format!(
        r#"{{"iss":"https://op.example","sub":"u1","aud":"client-1","nonce":"{nonce}","exp":{},"iat":{T0_SECS}{extra}}}"#,
        T0_SECS + 600
    );
    let input = format!("{}.{}", b64(br#"{"alg":"HS256"}"#), b64(claims.as_bytes()));
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY).unwrap();
    mac.update(input.as_bytes());
    let mut tag = mac.finalize().into_bytes().to_vec();
    if tamper {
        tag[0] ^= 1;
    }
    format!("{input}.{}", b64(&tag))
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let rt = *u.choose(&[
        ResponseType::Token,
        ResponseType::IdToken,
        ResponseType::IdTokenToken,
    ])?;
    let config = Config::builder(
        Issuer::new("https://op.example"),
        AuthorizationEndpoint::new("https://op.example/authorize"),
        ClientId::new("client-1"),
        RedirectUri::new("https://rp.example/cb"),
    )
    .response_type(rt)
    .algorithms(&[Algorithm::HS256])
    .build()
    .expect("a valid config");
    let seed = u.bytes(8)?;
    let mut store = MemoryStore::<4>::new();
    let mut url = [0u8; 1024];
    let begun = begin(&config, &mut Bytes(seed), &mut store, T0, &mut url)
        .expect("begin with a valid config");
    let state = begun
        .split_once("state=")
        .expect("a state")
        .1
        .split('&')
        .next()
        .unwrap_or("")
        .to_owned();
    let key = TransactionKey::for_state(&state);
    let record = store
        .take(&key)
        .unwrap()
        .expect("begin saved a record under the state's key");
    store.save(&key, &record, T0).unwrap();
    let stored = Transaction::from_record(&record).expect("a record begin made");
    let nonce = stored.expose_nonce().unwrap_or("").to_owned();
    // Another login pending in another tab.
    let mut other = [0u8; 1024];
    let other = begin(
        &config,
        &mut Bytes(b"another tab"),
        &mut store,
        T0,
        &mut other,
    )
    .unwrap();
    let other = other
        .split_once("state=")
        .unwrap()
        .1
        .split('&')
        .next()
        .unwrap_or("")
        .to_owned();
    assert_ne!(other, state);
    let other_key = TransactionKey::for_state(&other);
    let other_record = store
        .take(&other_key)
        .unwrap()
        .expect("the other login was saved");
    store.save(&other_key, &other_record, T0).unwrap();
    let other_nonce = Transaction::from_record(&other_record)
        .unwrap()
        .expose_nonce()
        .unwrap_or("")
        .to_owned();

    let mut params: Vec<String> = Vec::new();
    match u.int_in_range(0..=3)? {
        0 => params.push(format!("state={state}")),
        1 => params.push(format!("state={}", u.arbitrary::<&str>()?)),
        2 => {}
        _ => params.push(format!("state={state}&state={state}")),
    }
    if u.arbitrary()? {
        params.push(format!("access_token={AT}"));
    }
    if u.arbitrary()? {
        params.push("token_type=Bearer".into());
    }
    match u.int_in_range(0..=3)? {
        0 => params.push(format!(
            "id_token={}",
            id_token(&nonce, u.arbitrary()?, false)
        )),
        1 => params.push(format!(
            "id_token={}",
            id_token(&nonce, u.arbitrary()?, true)
        )),
        2 => params.push(format!("id_token={}", id_token("other", true, false))),
        _ => {}
    }
    if u.arbitrary()? {
        params.push(format!("error={}", u.arbitrary::<&str>()?));
    }
    if u.arbitrary()? {
        params.push(u.arbitrary::<&str>()?.to_owned());
    }
    let fragment = format!("#{}", params.join("&"));
    let verifier = Recording {
        inner: HmacKey::hs256(KEY).unwrap(),
        accepted: Cell::new(false),
    };
    let mut scratch = vec![0u8; 8192];
    let now = T0.saturating_add(core::time::Duration::from_secs(u.int_in_range(0..=900)?));
    let outcome = complete(&config, &fragment, &mut store, &verifier, now, &mut scratch);
    // Which pending login the response names, if any.
    let named = implicit_grant::parse_fragment(&fragment)
        .ok()
        .and_then(|r| r.state())
        .map(|s| {
            let s = s.expose_secret();
            (s.ct_eq_decoded(&state), s.ct_eq_decoded(&other))
        });
    let (names_this, names_other) = named.unwrap_or((false, false));
    let mut rest = MemoryStore::<4>::new();
    core::mem::swap(&mut rest, &mut store);
    let this_pending = rest.take(&key).unwrap().is_some();
    let other_pending = rest
        .take(&TransactionKey::for_state(&other))
        .unwrap()
        .is_some();
    // A response consumes at most the login whose state it carries.
    assert!(
        this_pending || names_this,
        "a response with another state consumed the login: {outcome:?}"
    );
    assert!(
        other_pending || names_other,
        "the other tab's login was touched: {outcome:?}"
    );
    match outcome {
        Ok(Outcome::KeysOutdated) => panic!("an HMAC key never names an unknown kid"),
        Ok(Outcome::Authorized(session)) => {
            assert!(
                names_this || names_other,
                "authorized without a pending state"
            );
            if rt.has_id_token() {
                assert!(
                    verifier.accepted.get(),
                    "authorized without a verified ID token"
                );
                let want = if names_this { &nonce } else { &other_nonce };
                assert_eq!(session.claims.map(|c| c.nonce()), Some(Some(want.as_str())));
            }
            assert_eq!(session.access_token.is_some(), rt.has_access_token());
        }
        Ok(Outcome::Denied(_)) => assert!(
            names_this || names_other,
            "a denial without a pending state"
        ),
        Err(_) => {}
    }
    Ok(())
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
