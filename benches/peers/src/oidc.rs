//! `openidconnect` 4 (and `oauth2` 5, which it builds on), configured once as a client app
//! holds them; `url` for the fragment, which `openidconnect` leaves to the caller.

use std::str::FromStr;

use openidconnect::core::{
    CoreClient, CoreGenderClaim, CoreIdTokenVerifier, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType,
};
use openidconnect::{
    AccessToken, AccessTokenHash, AdditionalClaims, AuthUrl, AuthenticationFlow, AuthorizationCode,
    ClientId, CsrfToken, EmptyExtraTokenFields, IdToken, IdTokenFields, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeVerifier, RedirectUrl, Scope, StandardErrorResponse,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::fixture::{Fixture, Key};
use crate::std_url::Fragment;
use crate::{System, check, text};

const NAME: &str = "openidconnect 4";

/// Auth0's namespaced claim, which `openidconnect` reads into a type of the app's.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Roles {
    #[serde(rename = "https://example.com/roles")]
    roles: Vec<String>,
}

impl AdditionalClaims for Roles {}

type Auth0IdToken =
    IdToken<Roles, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

fn scopes() -> [Scope; 2] {
    [Scope::new("profile".into()), Scope::new("email".into())]
}

pub(crate) fn oauth2_authorize_url(f: &'static Fixture) -> System {
    let client = oauth2::basic::BasicClient::new(oauth2::ClientId::new(f.client_id.clone()))
        .set_auth_uri(oauth2::AuthUrl::new(f.authorize_endpoint.clone()).expect("fixture URL"))
        .set_redirect_uri(oauth2::RedirectUrl::new(f.redirect_uri.clone()).expect("fixture URL"));
    let response_type = oauth2::ResponseType::new("id_token token".into());
    System::new("oauth2 5", move || {
        let (url, _state) = client
            .authorize_url(|| oauth2::CsrfToken::new(f.state.clone()))
            .use_implicit_flow()
            .set_response_type(&response_type)
            .add_scope(oauth2::Scope::new("openid".into()))
            .add_scopes(scopes().map(|s| oauth2::Scope::new(s.to_string())))
            .add_extra_param("audience", &f.audience)
            .add_extra_param("nonce", &f.nonce)
            .url();
        Ok(url.as_str().len())
    })
}

pub(crate) fn authorize_url(f: &'static Fixture) -> System {
    let client = CoreClient::new(
        ClientId::new(f.client_id.clone()),
        IssuerUrl::new(f.issuer.clone()).expect("fixture URL"),
        CoreJsonWebKeySet::new(Vec::new()),
    )
    .set_auth_uri(AuthUrl::new(f.authorize_endpoint.clone()).expect("fixture URL"))
    .set_redirect_uri(RedirectUrl::new(f.redirect_uri.clone()).expect("fixture URL"));
    System::new(NAME, move || {
        let (url, _state, _nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::Implicit(true),
                || CsrfToken::new(f.state.clone()),
                || Nonce::new(f.nonce.clone()),
            )
            .add_scopes(scopes())
            .add_extra_param("audience", &f.audience)
            .url();
        Ok(url.as_str().len())
    })
}

fn profile_len(claims: &openidconnect::IdTokenClaims<Roles, CoreGenderClaim>) -> usize {
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map_or(0, |n| n.len());
    let email = claims.email().map_or(0, |e| e.len());
    let picture = claims
        .picture()
        .and_then(|p| p.get(None))
        .map_or(0, |p| p.len());
    claims.subject().len()
        + name
        + email
        + picture
        + claims.additional_claims().roles.len()
        + usize::from(claims.email_verified().unwrap_or(false))
}

pub(crate) fn decode_id_token(f: &'static Fixture) -> System {
    let token = f.id_tokens.get(Key::Rs2048);
    System::new("openidconnect 4 IdToken::from_str", move || {
        let token = Auth0IdToken::from_str(token).map_err(text)?;
        let claims = token
            .into_claims(
                &CoreIdTokenVerifier::new_insecure_without_verification(),
                |_: Option<&Nonce>| Ok(()),
            )
            .map_err(text)?;
        Ok(profile_len(&claims))
    })
}

fn verifier(f: &Fixture, key: Key) -> CoreIdTokenVerifier<'static> {
    let keys: CoreJsonWebKeySet = serde_json::from_str(f.jwks.get(key)).expect("fixture JWK Set");
    let verifier = CoreIdTokenVerifier::new_public_client(
        ClientId::new(f.client_id.clone()),
        IssuerUrl::new(f.issuer.clone()).expect("fixture URL"),
        keys,
    );
    match key {
        Key::Es256 => verifier.set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP256Sha256]),
        Key::Es384 => verifier.set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP384Sha384]),
        Key::EdDsa => verifier.set_allowed_algs([CoreJwsSigningAlgorithm::EdDsa]),
        Key::Rs2048 | Key::Rs4096 => verifier,
    }
}

/// Signature, `iss`, `aud`, `exp`, `nonce` (all by `openidconnect`).
pub(crate) fn verify_id_token(f: &'static Fixture, key: Key) -> System {
    let verifier = verifier(f, key);
    let (token, nonce) = (f.id_tokens.get(key), Nonce::new(f.nonce.clone()));
    System::new(NAME, move || {
        let token = Auth0IdToken::from_str(token).map_err(text)?;
        Ok(profile_len(token.claims(&verifier, &nonce).map_err(text)?))
    })
}

/// Whether `openidconnect` checks the ID token's signature.
pub(crate) enum Signature {
    Checked,
    /// `insecure_disable_signature_check`: the claims are still checked.
    Skipped,
}

/// The callback: `url` for the fragment, `subtle` for `state`, `openidconnect` for the ID
/// token and `at_hash`.
pub(crate) fn complete(f: &'static Fixture, signature: Signature) -> System {
    let verifier = match signature {
        Signature::Checked => verifier(f, Key::Rs2048),
        Signature::Skipped => verifier(f, Key::Rs2048).insecure_disable_signature_check(),
    };
    let fragment = f.fragments.get(Key::Rs2048);
    let nonce = Nonce::new(f.nonce.clone());
    System::new("url + openidconnect 4", move || {
        let (id_token, access_token) = Fragment::parse_and_check(fragment, f)?;
        let token = Auth0IdToken::from_str(&id_token).map_err(text)?;
        let claims = token.claims(&verifier, &nonce).map_err(text)?;
        let expected = claims.access_token_hash().ok_or("no at_hash")?;
        let alg = token.signing_alg().map_err(text)?;
        let key = token.signing_key(&verifier).map_err(text)?;
        let at_hash =
            AccessTokenHash::from_token(&AccessToken::new(access_token.into_owned()), alg, key)
                .map_err(text)?;
        check(&at_hash == expected, "at_hash", profile_len(claims))
    })
}

/// The token response `openidconnect` reads, with this app's ID token claims.
type Auth0TokenResponse = StandardTokenResponse<
    IdTokenFields<
        Roles,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    openidconnect::core::CoreTokenType,
>;

/// The code flow after the redirect: `url` for the query, `subtle` for `state`;
/// `openidconnect` writes the token request (with the PKCE verifier), reads the answer
/// (handed back by a client closure in place of the network) and checks the ID token and
/// `at_hash`.
pub(crate) fn code_flow(f: &'static Fixture) -> System {
    use subtle::ConstantTimeEq;
    let client = openidconnect::Client::<
        Roles,
        openidconnect::core::CoreAuthDisplay,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        openidconnect::core::CoreJsonWebKey,
        openidconnect::core::CoreAuthPrompt,
        StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
        Auth0TokenResponse,
        openidconnect::core::CoreTokenIntrospectionResponse,
        openidconnect::core::CoreRevocableToken,
        openidconnect::core::CoreRevocationErrorResponse,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
    >::new(
        ClientId::new(f.client_id.clone()),
        IssuerUrl::new(f.issuer.clone()).expect("fixture URL"),
        serde_json::from_str(f.jwks.get(Key::Rs2048)).expect("fixture JWK Set"),
    )
    .set_redirect_uri(RedirectUrl::new(f.redirect_uri.clone()).expect("fixture URL"))
    .set_token_uri(TokenUrl::new(format!("{}oauth/token", f.issuer)).expect("fixture URL"));
    let answer = f.token_response().into_bytes();
    let http = move |_request: openidconnect::HttpRequest| {
        openidconnect::http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(answer.clone())
    };
    let (redirect, nonce) = (f.code_redirect(), Nonce::new(f.nonce.clone()));
    System::new("url + openidconnect 4", move || {
        let url = url::Url::parse(&redirect).map_err(text)?;
        let (mut code, mut state) = (None, None);
        for (name, value) in url.query_pairs() {
            match &*name {
                "code" => code = Some(value.into_owned()),
                "state" => state = Some(value.into_owned()),
                _ => {}
            }
        }
        let state = state.ok_or("no state")?;
        check(
            state.as_bytes().ct_eq(f.state.as_bytes()).into(),
            "state",
            0,
        )?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.ok_or("no code")?))
            .set_pkce_verifier(PkceCodeVerifier::new(crate::fixture::VERIFIER.into()))
            .request(&http)
            .map_err(text)?;
        let token = response.id_token().ok_or("no ID token")?;
        let verifier = client.id_token_verifier();
        let claims = token.claims(&verifier, &nonce).map_err(text)?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = token.signing_alg().map_err(text)?;
            let key = token.signing_key(&verifier).map_err(text)?;
            let actual =
                AccessTokenHash::from_token(response.access_token(), alg, key).map_err(text)?;
            check(&actual == expected, "at_hash", 0)?;
        }
        Ok(profile_len(claims) + response.access_token().secret().len())
    })
}
