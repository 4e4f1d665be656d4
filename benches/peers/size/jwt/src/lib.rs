//! `complete` as a wasm32 export, built with the std peers: `url` for the fragment,
//! `jsonwebtoken` (RustCrypto backend) for the ID token, `sha2` for `at_hash`. The twin of
//! `../ours`, for `benches/peers/size/size.sh`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
struct Claims {
    sub: String,
    nonce: String,
    at_hash: String,
}

/// As `../ours`: four lines in, the length of the verified `sub` out, or -1.
///
/// # Safety
/// `input` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn callback(input: *const u8, len: usize, _now: u64) -> i32 {
    // SAFETY: the caller's contract.
    let input = unsafe { std::slice::from_raw_parts(input, len) };
    run(input).unwrap_or(-1)
}

fn run(input: &[u8]) -> Option<i32> {
    let mut lines = std::str::from_utf8(input).ok()?.split('\n');
    let (jwks, state, nonce, fragment) =
        (lines.next()?, lines.next()?, lines.next()?, lines.next()?);
    let keys: JwkSet = serde_json::from_str(jwks).ok()?;
    let (mut got_state, mut id_token, mut access_token) = (None, None, None);
    for (name, value) in url::form_urlencoded::parse(fragment.as_bytes()) {
        match &*name {
            "state" => got_state = Some(value),
            "id_token" => id_token = Some(value),
            "access_token" => access_token = Some(value),
            _ => {}
        }
    }
    if got_state.as_deref() != Some(state) {
        return None;
    }
    let (id_token, access_token) = (id_token?, access_token?);
    let kid = decode_header(&*id_token).ok()?.kid?;
    let key = DecodingKey::from_jwk(keys.find(&kid)?).ok()?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&["https://dev-k3x9q2.us.auth0.com/"]);
    validation.set_audience(&["Xq7cS2ZpX4WmB9tN1hL8vR3yD6fK0jGa"]);
    let claims = decode::<Claims>(&*id_token, &key, &validation).ok()?.claims;
    let at_hash = URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16]);
    (claims.nonce == nonce && claims.at_hash == at_hash).then(|| claims.sub.len() as i32)
}
