//! The committed fixture (`data/fixture.json`, made by `data/gen_fixture.py`): an Auth0-like
//! provider's answer to one login, with ID tokens signed by RSA-2048, RSA-4096, P-256,
//! P-384 and Ed25519.

use std::sync::OnceLock;

use serde::Deserialize;

/// The provider's signing key for an ID token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// RS256 with an RSA-2048 key (the usual Auth0 tenant key).
    Rs2048,
    /// RS256 with an RSA-4096 key.
    Rs4096,
    /// ES256 (P-256).
    Es256,
    /// ES384 (P-384).
    Es384,
    /// EdDSA (Ed25519).
    EdDsa,
}

impl Key {
    /// The operation id of verifying an ID token signed with this key.
    pub fn verify_id(self) -> &'static str {
        match self {
            Self::Rs2048 => "verify_rs256_2048",
            Self::Rs4096 => "verify_rs256_4096",
            Self::Es256 => "verify_es256",
            Self::Es384 => "verify_es384",
            Self::EdDsa => "verify_eddsa",
        }
    }
}

/// One value per signing key.
#[derive(Deserialize)]
pub struct Signed {
    pub rs256_2048: String,
    pub rs256_4096: String,
    pub es256: String,
    pub es384: String,
    pub eddsa: String,
}

impl Signed {
    /// The value for `key`.
    pub fn get(&self, key: Key) -> &str {
        match key {
            Key::Rs2048 => &self.rs256_2048,
            Key::Rs4096 => &self.rs256_4096,
            Key::Es256 => &self.es256,
            Key::Es384 => &self.es384,
            Key::EdDsa => &self.eddsa,
        }
    }
}

/// The login every system completes.
#[derive(Deserialize)]
pub struct Fixture {
    pub issuer: String,
    pub client_id: String,
    pub audience: String,
    pub redirect_uri: String,
    pub authorize_endpoint: String,
    pub scope: String,
    pub state: String,
    pub nonce: String,
    /// The clock, seconds since the epoch, for the systems that take it.
    pub now: u64,
    pub access_token: String,
    pub id_tokens: Signed,
    /// The redirect fragments (without `#`), one per ID token.
    pub fragments: Signed,
    /// The public JWK Set holding each ID token's key.
    pub jwks: Signed,
}

const COMMITTED: &str = include_str!("../data/fixture.json");

impl Fixture {
    /// The committed fixture.
    pub fn committed() -> &'static Self {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(|| serde_json::from_str(COMMITTED).expect("data/fixture.json"))
    }

    /// The committed fixture with every ID token's signature altered (in the
    /// tokens and in the fragments): every verifying system must refuse it.
    pub fn tampered() -> Self {
        let mut fixture: Self = serde_json::from_str(COMMITTED).expect("data/fixture.json");
        for key in [Key::Rs2048, Key::Rs4096, Key::Es256, Key::Es384, Key::EdDsa] {
            let token = fixture.id_tokens.get(key).to_owned();
            let bad = flip_signature_bit(&token);
            let slot = |s: &mut Signed| match key {
                Key::Rs2048 => s.rs256_2048 = s.rs256_2048.replace(&token, &bad),
                Key::Rs4096 => s.rs256_4096 = s.rs256_4096.replace(&token, &bad),
                Key::Es256 => s.es256 = s.es256.replace(&token, &bad),
                Key::Es384 => s.es384 = s.es384.replace(&token, &bad),
                Key::EdDsa => s.eddsa = s.eddsa.replace(&token, &bad),
            };
            slot(&mut fixture.id_tokens);
            slot(&mut fixture.fragments);
        }
        fixture
    }
}

/// `token` with its signature's tenth base64url character changed (`A` for anything else,
/// `B` for `A`): still valid base64url, another signature.
fn flip_signature_bit(token: &str) -> String {
    let at = token.rfind('.').expect("compact JWS") + 10;
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ASCII")
}

/// The code flow's extra pieces, derived from the fixture: the code, the PKCE verifier
/// (RFC 7636 App. B's) and the token endpoint's answer carrying the fixture's tokens.
pub const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";
/// RFC 7636 App. B's verifier.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

impl Fixture {
    /// The redirect of a code request: the code and the fixture's `state` in the query.
    pub fn code_redirect(&self) -> String {
        format!("{}?code={CODE}&state={}", self.redirect_uri, self.state)
    }

    /// The token endpoint's JSON answer (RFC 6749 §5.1): the fixture's access token and
    /// its RS256-2048 ID token.
    pub fn token_response(&self) -> String {
        format!(
            r#"{{"access_token":"{}","token_type":"Bearer","expires_in":86400,"scope":"openid profile email","id_token":"{}"}}"#,
            self.access_token,
            self.id_tokens.get(Key::Rs2048)
        )
    }
}
