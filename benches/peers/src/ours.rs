//! implicit-grant: stack buffers, keys parsed once into a `Jwks`.

use implicit_grant::jwt::{Header, decode_unverified_claims};
use implicit_grant::verify::Jwks;
use implicit_grant::{
    Algorithm, Expectations, SignatureVerified, SignatureVerifier, verify_id_token as verify,
};
use implicit_grant::{
    AuthorizationEndpoint, AuthorizationResponse, AuthorizeRequest, Callback, ClientId,
    CodeVerifier, Config, Error, Issuer, MemoryStore, Outcome, Redeemed, RedirectUri, ResponseType,
    Transaction, TransactionStore, UnixTime, callback, complete as complete_flow,
    parse_fragment as parse,
};
use serde::Deserialize;

use crate::fixture::{Fixture, Key};
use crate::{OURS, System, check, text};

/// The profile claims every system reads out of the ID token, besides the standard ones.
#[derive(Deserialize)]
struct Profile<'a> {
    name: &'a str,
    email: &'a str,
    email_verified: bool,
    picture: &'a str,
    #[serde(rename = "https://example.com/roles", borrow)]
    roles: heapless::Vec<&'a str, 8>,
}

impl Profile<'_> {
    fn len(&self) -> usize {
        self.name.len()
            + self.email.len()
            + self.picture.len()
            + self.roles.len()
            + usize::from(self.email_verified)
    }
}

/// The claims the peers' decode rows read (their `IdClaims`), borrowed from the scratch.
#[derive(Deserialize)]
struct Unverified<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    iat: u64,
    nonce: &'a str,
    at_hash: &'a str,
    name: &'a str,
    email: &'a str,
    email_verified: bool,
    picture: &'a str,
    #[serde(rename = "https://example.com/roles", borrow)]
    roles: heapless::Vec<&'a str, 8>,
}

impl Unverified<'_> {
    fn len(&self) -> usize {
        let times = usize::from(self.exp > self.iat);
        [self.iss, self.sub, self.aud, self.nonce, self.at_hash]
            .iter()
            .map(|s| s.len())
            .sum::<usize>()
            + times
            + self.name.len()
            + self.email.len()
            + self.picture.len()
            + self.roles.len()
            + usize::from(self.email_verified)
    }
}

const SCOPE: &[&str] = &["openid", "profile", "email"];

pub(crate) fn authorize_url(f: &'static Fixture) -> System {
    System::new(OURS, move || {
        let request = AuthorizeRequest::new(&f.authorize_endpoint, &f.client_id, &f.redirect_uri)
            .response_type(ResponseType::IdTokenToken)
            .scope(SCOPE)
            .audience(&f.audience)
            .state(&f.state)
            .nonce(&f.nonce);
        let mut out = [0u8; 1024];
        request.write_into(&mut out).map(str::len).map_err(text)
    })
}

pub(crate) fn parse_fragment(f: &'static Fixture) -> System {
    let fragment = f.fragments.get(Key::Rs2048);
    System::new(OURS, move || {
        let AuthorizationResponse::Success(tokens) = parse(fragment).map_err(text)? else {
            return Err("an error response".into());
        };
        // The one value with escapes: decoded, as the peers decode every value.
        let mut buf = [0u8; 256];
        let scope = tokens
            .scope
            .ok_or("no scope")?
            .decode_into(&mut buf)
            .map_err(text)?;
        let access_token = tokens.access_token.ok_or("no access token")?;
        let expires_in = tokens.expires_in.ok_or("no expires_in")?;
        Ok(scope.len()
            + access_token.expose_secret().as_encoded().len()
            + expires_in.as_secs() as usize)
    })
}

pub(crate) fn decode_id_token(f: &'static Fixture) -> System {
    let token = f.id_tokens.get(Key::Rs2048);
    System::new(OURS, move || {
        let mut scratch = [0u8; 2048];
        let untrusted = decode_unverified_claims(token, &mut scratch).map_err(text)?;
        let claims: Unverified = untrusted.deserialize(&mut []).map_err(text)?;
        Ok(claims.len())
    })
}

fn jwks(f: &Fixture, key: Key) -> Jwks {
    Jwks::parse(f.jwks.get(key)).expect("fixture JWK Set")
}

fn algorithms(key: Key) -> &'static [Algorithm] {
    match key {
        Key::Rs2048 | Key::Rs4096 => &[Algorithm::RS256],
        Key::Es256 => &[Algorithm::ES256],
        Key::Es384 => &[Algorithm::ES384],
        Key::EdDsa => &[Algorithm::EdDSA],
    }
}

pub(crate) fn verify_id_token(f: &'static Fixture, key: Key) -> System {
    let keys = jwks(f, key);
    let token = f.id_tokens.get(key);
    System::new(OURS, move || {
        let now = UnixTime::from_secs(f.now);
        let expect =
            Expectations::new(&f.issuer, &f.client_id, &f.nonce, now).algorithms(algorithms(key));
        let mut scratch = [0u8; 2048];
        let claims = verify(token, &expect, &keys, &mut scratch).map_err(text)?;
        let profile: Profile = claims.decode_claims(&mut []).map_err(text)?;
        Ok(claims.sub().len() + profile.len())
    })
}

/// Whether `complete` checks the ID token's signature.
pub(crate) enum Signature {
    Checked,
    /// Through a verifier that accepts any signature: what is left is the protocol work.
    Skipped,
}

/// Accepts every signature (only to measure the rest of `complete`).
struct Unchecked;

impl SignatureVerifier for Unchecked {
    fn verify<'t>(
        &self,
        _: &Header<'_>,
        signing_input: &'t [u8],
        _: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        Ok(SignatureVerified::assertion(signing_input))
    }
}

/// The whole callback: parse, take the transaction, state, ID token (signature, claims,
/// nonce, `at_hash`), then the profile claims. Each call stores a fresh transaction first
/// (a 248-byte copy, counted against us).
pub(crate) fn complete(f: &'static Fixture, signature: Signature) -> System {
    let config = Config::builder(
        Issuer::new(&f.issuer),
        AuthorizationEndpoint::new(&f.authorize_endpoint),
        ClientId::new(&f.client_id),
        RedirectUri::new(&f.redirect_uri),
    )
    .scope(SCOPE)
    .build()
    .expect("fixture configuration");
    let now = UnixTime::from_secs(f.now);
    let transaction =
        Transaction::new(&config, &f.state, Some(&f.nonce), now).expect("fixture state and nonce");
    let (key, record) = (transaction.key(), transaction.to_record());
    let keys = jwks(f, Key::Rs2048);
    let fragment = f.fragments.get(Key::Rs2048);
    let run = move |verifier: &dyn SignatureVerifier| {
        // `sessionStorage`: the one pending transaction.
        let mut store = MemoryStore::<1>::new();
        store.save(&key, &record, now).map_err(text)?;
        let mut scratch = [0u8; 4096];
        match complete_flow(&config, fragment, &mut store, &verifier, now, &mut scratch)
            .map_err(text)?
        {
            Outcome::Authorized(session) => {
                let claims = session.claims.ok_or("no claims")?;
                let profile: Profile = claims.decode_claims(&mut []).map_err(text)?;
                check(
                    session.access_token.is_some(),
                    "no access token",
                    profile.len(),
                )
            }
            Outcome::Denied(denial) => Err(text(denial.error)),
            Outcome::KeysOutdated => Err("keys outdated".into()),
        }
    };
    match signature {
        Signature::Checked => System::new(OURS, move || run(&keys)),
        Signature::Skipped => System::new(OURS, move || run(&Unchecked)),
    }
}

/// The code flow after the redirect: parse the query, take the transaction, `state`; write
/// the token request; read the token response and verify its ID token (signature, claims,
/// nonce, `at_hash`), then the profile claims. Each call stores a fresh transaction first.
pub(crate) fn code_flow(f: &'static Fixture) -> System {
    let config = Config::builder(
        Issuer::new(&f.issuer),
        AuthorizationEndpoint::new(&f.authorize_endpoint),
        ClientId::new(&f.client_id),
        RedirectUri::new(&f.redirect_uri),
    )
    .response_type(ResponseType::Code)
    .scope(SCOPE)
    .build()
    .expect("fixture configuration");
    let now = UnixTime::from_secs(f.now);
    let verifier = CodeVerifier::new(crate::fixture::VERIFIER).expect("RFC 7636 verifier");
    let transaction = Transaction::new_code(&config, &f.state, Some(&f.nonce), verifier, now)
        .expect("fixture state and nonce");
    let (key, record) = (transaction.key(), transaction.to_record());
    let keys = jwks(f, Key::Rs2048);
    let (redirect, answer) = (f.code_redirect(), f.token_response());
    System::new(OURS, move || {
        let mut store = MemoryStore::<1>::new();
        store.save(&key, &record, now).map_err(text)?;
        let mut code = [0u8; 64];
        let Callback::Code(mut grant) =
            callback(&config, &redirect, &mut store, now, &mut code).map_err(text)?
        else {
            return Err("a denial".into());
        };
        let mut body = [0u8; 512];
        let request = grant.token_request(&config).map_err(text)?;
        let sent = request.body(&mut body).map_err(text)?.len();
        let mut scratch = [0u8; 4096];
        match grant
            .redeem(&config, 200, &answer, &keys, now, &mut scratch)
            .map_err(text)?
        {
            Redeemed::Authorized(session) => {
                let claims = session.claims.ok_or("no claims")?;
                let profile: Profile = claims.decode_claims(&mut []).map_err(text)?;
                check(
                    session.access_token.is_some(),
                    "no access token",
                    sent + profile.len(),
                )
            }
            Redeemed::Denied(denial) => Err(text(denial.error)),
        }
    })
}
