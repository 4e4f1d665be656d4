//! `complete` as a wasm32 export, built with the std peers: `url` for the fragment,
//! `openidconnect` for the ID token and `at_hash`. The twin of `../ours`, for
//! `benches/peers/size/size.sh`.

use std::str::FromStr;

use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
use openidconnect::{AccessToken, AccessTokenHash, ClientId, IssuerUrl, Nonce};

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
    let keys: CoreJsonWebKeySet = serde_json::from_str(jwks).ok()?;
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
    let verifier = CoreIdTokenVerifier::new_public_client(
        ClientId::new("Xq7cS2ZpX4WmB9tN1hL8vR3yD6fK0jGa".into()),
        IssuerUrl::new("https://dev-k3x9q2.us.auth0.com/".into()).ok()?,
        keys,
    );
    let token = CoreIdToken::from_str(&id_token?).ok()?;
    let claims = token.claims(&verifier, &Nonce::new(nonce.into())).ok()?;
    let at_hash = AccessTokenHash::from_token(
        &AccessToken::new(access_token?.into_owned()),
        token.signing_alg().ok()?,
        token.signing_key(&verifier).ok()?,
    )
    .ok()?;
    (claims.access_token_hash() == Some(&at_hash)).then(|| claims.subject().len() as i32)
}
