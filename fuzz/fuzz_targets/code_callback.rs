//! Any text as the redirect of a `code` request (`$S` in it stands for the pending login's
//! `state`, so that the fuzzer reaches past the state check), with a second login pending
//! beside it. Invariants: `callback` never panics; it yields a code or a denial only for
//! the `state` it was sent with, consuming that login and no other; a code's token request
//! always writes, with the PKCE verifier.
//! Run: `cargo +nightly fuzz run code_callback`.
#![no_main]

use implicit_grant::{
    AuthorizationEndpoint, Callback, ClientId, Config, Issuer, MemoryStore, Random, RandomError,
    RedirectUri, ResponseType, TransactionKey, TransactionStore, UnixTime, begin, callback,
};

const T0: UnixTime = UnixTime::from_secs(1_700_000_000);

struct Seq(u8);

impl Random for Seq {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        for b in dest {
            self.0 = self.0.wrapping_mul(37).wrapping_add(11);
            *b = self.0;
        }
        Ok(())
    }
}

/// `text` with every `%HH` escape decoded (the state may arrive escaped).
fn decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| core::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn state_of(url: &str) -> String {
    let (_, rest) = url.split_once("state=").unwrap();
    rest.split('&').next().unwrap().to_owned()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let config = Config::builder(
        Issuer::new("https://op.example"),
        AuthorizationEndpoint::new("https://op.example/authorize"),
        ClientId::new("client-1"),
        RedirectUri::new("https://rp.example/cb"),
    )
    .response_type(ResponseType::Code)
    .scope(&["openid"])
    .build()
    .unwrap();
    let mut store = MemoryStore::<4>::new();
    let mut url = [0u8; 1024];
    let state = state_of(begin(&config, &mut Seq(1), &mut store, T0, &mut url).unwrap());
    let other = state_of(begin(&config, &mut Seq(2), &mut store, T0, &mut url).unwrap());
    let input = text.replace("$S", &state);
    let mut scratch = vec![0u8; input.len()];
    let outcome = callback(&config, &input, &mut store, T0, &mut scratch);
    let other_key = TransactionKey::for_state(&other);
    assert!(
        store.take(&other_key).unwrap().is_some(),
        "the other login was touched"
    );
    let Ok(outcome) = outcome else {
        return;
    };
    assert!(
        decoded(&input).contains(&state),
        "accepted without the state"
    );
    let key = TransactionKey::for_state(&state);
    assert!(
        store.take(&key).unwrap().is_none(),
        "the login was not consumed"
    );
    if let Callback::Code(grant) = outcome {
        let request = grant.token_request(&config).unwrap();
        let mut body = vec![0u8; 256 + 3 * input.len()];
        let body = request.body(&mut body).unwrap();
        assert!(body.contains("&code_verifier="));
    }
});
