//! The pipeline a std developer writes by hand: `url` for the URL and the fragment,
//! `base64` + `serde_json` for the claims, `sha2` for `at_hash`, `subtle` for `state`.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2_010::{Digest, Sha256};
use subtle::ConstantTimeEq;
use url::Url;

use crate::fixture::{Fixture, Key};
use crate::{System, check, text};

const NAME: &str = "url + base64 + serde_json + sha2";

/// The ID token claims, as the std peers read them.
#[derive(Deserialize)]
pub(crate) struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub nonce: String,
    pub at_hash: String,
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub picture: String,
    #[serde(rename = "https://example.com/roles")]
    pub roles: Vec<String>,
}

impl IdClaims {
    /// `nonce` and `at_hash` (the claims `jsonwebtoken` leaves to the caller).
    pub fn check_nonce_and_at_hash(
        &self,
        f: &Fixture,
        access_token: &str,
    ) -> Result<usize, String> {
        check(
            self.nonce.as_bytes().ct_eq(f.nonce.as_bytes()).into(),
            "nonce",
            0,
        )?;
        check(at_hash(access_token) == self.at_hash, "at_hash", self.len())
    }

    /// Everything a hand-written validator checks (`jsonwebtoken`'s `Validation` does the
    /// first three).
    fn check(&self, f: &Fixture, access_token: &str) -> Result<usize, String> {
        check(self.iss == f.issuer, "iss", 0)?;
        check(self.aud == f.client_id, "aud", 0)?;
        check(
            self.exp + 60 > f.now && self.iat <= f.now + 60,
            "exp/iat",
            0,
        )?;
        self.check_nonce_and_at_hash(f, access_token)
    }

    pub fn len(&self) -> usize {
        self.sub.len()
            + self.name.len()
            + self.email.len()
            + self.picture.len()
            + self.roles.len()
            + usize::from(self.email_verified)
    }
}

/// OIDC Core §3.2.2.9: base64url of the left half of SHA-256 of the access token.
pub(crate) fn at_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16])
}

/// The redirect fragment's parameters.
#[derive(Default)]
pub(crate) struct Fragment<'a> {
    pub access_token: Option<Cow<'a, str>>,
    pub id_token: Option<Cow<'a, str>>,
    pub token_type: Option<Cow<'a, str>>,
    pub expires_in: Option<u64>,
    pub scope: Option<Cow<'a, str>>,
    pub state: Option<Cow<'a, str>>,
}

impl<'a> Fragment<'a> {
    pub fn parse(fragment: &'a str) -> Result<Self, String> {
        let mut out = Self::default();
        for (name, value) in url::form_urlencoded::parse(fragment.as_bytes()) {
            match &*name {
                "access_token" => out.access_token = Some(value),
                "id_token" => out.id_token = Some(value),
                "token_type" => out.token_type = Some(value),
                "expires_in" => out.expires_in = Some(value.parse().map_err(text)?),
                "scope" => out.scope = Some(value),
                "state" => out.state = Some(value),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Parses and checks `state` (constant time) and `token_type`; the ID token and the
    /// access token.
    pub fn parse_and_check(
        fragment: &'a str,
        f: &Fixture,
    ) -> Result<(Cow<'a, str>, Cow<'a, str>), String> {
        let p = Self::parse(fragment)?;
        let state = p.state.ok_or("no state")?;
        check(
            state.as_bytes().ct_eq(f.state.as_bytes()).into(),
            "state",
            0,
        )?;
        check(p.token_type.as_deref() == Some("Bearer"), "token_type", 0)?;
        Ok((
            p.id_token.ok_or("no id_token")?,
            p.access_token.ok_or("no access_token")?,
        ))
    }
}

pub(crate) fn authorize_url(f: &'static Fixture) -> System {
    System::new("url 2.5", move || {
        let url = Url::parse_with_params(
            &f.authorize_endpoint,
            [
                ("response_type", "id_token token"),
                ("client_id", &f.client_id),
                ("redirect_uri", &f.redirect_uri),
                ("scope", &f.scope),
                ("audience", &f.audience),
                ("state", &f.state),
                ("nonce", &f.nonce),
            ],
        )
        .map_err(text)?;
        Ok(url.as_str().len())
    })
}

pub(crate) fn parse_fragment(f: &'static Fixture) -> System {
    let fragment = f.fragments.get(Key::Rs2048);
    System::new("url 2.5 (form_urlencoded)", move || {
        let p = Fragment::parse(fragment)?;
        let scope = p.scope.ok_or("no scope")?;
        let access_token = p.access_token.ok_or("no access token")?;
        Ok(scope.len() + access_token.len() + p.expires_in.ok_or("no expires_in")? as usize)
    })
}

/// The claims of a compact JWS, without looking at its signature.
fn claims(token: &str) -> Result<IdClaims, String> {
    let mut parts = token.split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a compact JWS".into());
    };
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).map_err(text)?).map_err(text)
}

pub(crate) fn decode_id_token(f: &'static Fixture) -> System {
    let token = f.id_tokens.get(Key::Rs2048);
    System::new("base64 + serde_json", move || Ok(claims(token)?.len()))
}

pub(crate) fn complete_no_signature(f: &'static Fixture) -> System {
    let fragment = f.fragments.get(Key::Rs2048);
    System::new(NAME, move || {
        let (id_token, access_token) = Fragment::parse_and_check(fragment, f)?;
        claims(&id_token)?.check(f, &access_token)
    })
}
