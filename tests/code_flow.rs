//! The authorization code flow with PKCE (feature `code`): begin → redirect → callback →
//! token request → token response (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1, RFC 9207,
//! RFC 9700 §2.1.1, §2.1.2), with a simulated provider that signs real ID tokens.
#![cfg(all(feature = "code", feature = "hmac", feature = "rsa"))]

mod common;

use common::*;
use implicit_grant::verify::{HmacKey, Jwks};
use implicit_grant::{
    Algorithm, Callback, ClaimsError, ConfigBuilder, ConfigError, Error, FlowError, IssParameter,
    Param, Random, Redeemed, ResponseError, ResponseMode, ResponseType, SelectionError,
    TokenErrorCode, TokenType, UnixTime, begin, callback, complete,
};
use sha2::{Digest, Sha256};

const T0: UnixTime = UnixTime::from_secs(1_311_280_970);
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";

fn base() -> ConfigBuilder<'static> {
    builder()
        .response_type(ResponseType::Code)
        .scope(&["openid", "profile"])
        .algorithms(&[Algorithm::HS256])
}

/// What the simulated provider read from the authorize URL.
struct Request {
    url: String,
    state: String,
    nonce: Option<String>,
    challenge: String,
}

fn start(config: &implicit_grant::Config<'_>, store: &mut TestStore, seed: u8) -> Request {
    let mut buf = [0u8; 1024];
    let url = begin(config, &mut SeqRng(seed), store, T0, &mut buf).unwrap();
    Request {
        url: url.to_owned(),
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce"),
        challenge: query_value(url, "code_challenge").unwrap(),
    }
}

/// The verifier `begin` draws third from `SeqRng(seed)` (after `state` and `nonce`), as
/// RFC 7636 §4.1 recommends: 32 bytes, base64url.
fn drawn_verifier(seed: u8) -> String {
    let mut bytes = [0u8; 96];
    SeqRng(seed).fill_bytes(&mut bytes).unwrap();
    b64(&bytes[64..])
}

/// The grant of a redirect that must bring a code.
fn code_grant<'a>(
    config: &implicit_grant::Config<'_>,
    input: &'a str,
    store: &mut TestStore,
    scratch: &'a mut [u8],
) -> implicit_grant::CodeGrant<'a> {
    match callback(config, input, store, T0, scratch) {
        Ok(Callback::Code(grant)) => grant,
        other => panic!("expected a code: {other:?}"),
    }
}

fn redirect(req: &Request) -> String {
    format!("{REDIRECT}?code={CODE}&state={}", req.state)
}

fn token_body(id_token: &str) -> String {
    format!(
        r#"{{"access_token":"{AT}","token_type":"Bearer","refresh_token":"8xLOxBtZp8","expires_in":3600,"id_token":"{id_token}"}}"#
    )
}

/// `at_hash` computed independently of the crate: left half of SHA-256, base64url.
fn at_hash(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes())[..16])
}

/// RFC 7636 §4.1–§4.3, RFC 6749 §4.1.1: `code`, the `S256` challenge of the verifier the
/// transaction keeps, no `response_mode` (the query is the default), a `nonce` because
/// `openid` is asked for.
#[test]
fn rfc7636_4_3_begin_sends_the_s256_challenge_of_a_fresh_verifier() {
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 5);
    assert!(req.url.contains("?response_type=code&"), "{}", req.url);
    let verifier = drawn_verifier(5);
    assert_eq!(verifier.len(), 43);
    assert_eq!(req.challenge, b64(&Sha256::digest(verifier.as_bytes())));
    assert_eq!(
        query_value(&req.url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(query_value(&req.url, "response_mode"), None);
    assert_eq!(req.nonce.as_ref().map(String::len), Some(43));
    assert_ne!(req.state, verifier);
    assert!(
        !req.url.contains(&verifier),
        "the verifier stays with the client"
    );
    // The token request sends that very verifier.
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let mut buf = [0u8; 512];
    let body = grant
        .token_request(&config)
        .unwrap()
        .body(&mut buf)
        .unwrap()
        .to_owned();
    assert!(
        body.contains(&format!("&code_verifier={verifier}&")),
        "{body}"
    );
    let debug = format!("{grant:?}");
    assert!(
        !debug.contains(CODE) && !debug.contains(&verifier),
        "{debug}"
    );
    // A second login draws another verifier.
    let other = start(&config, &mut store, 6);
    assert_ne!(other.challenge, req.challenge);
}

/// OIDC Core §3.1.2.1: `nonce` is sent with `openid` (and checked in the ID token); a
/// plain OAuth code request has none.
#[test]
fn oidc_core_3_1_2_1_nonce_only_with_openid() {
    let config = builder()
        .response_type(ResponseType::Code)
        .scope(&["read"])
        .build()
        .unwrap();
    let req = start(&config, &mut TestStore::default(), 5);
    assert_eq!(req.nonce, None);
    assert!(req.url.contains("&code_challenge="));
}

/// RFC 7636 §4.3 and MRT §5: `code` cannot go without PKCE; the implicit types take no
/// challenge and no query response mode; hybrid types are not representable.
#[test]
fn rfc7636_code_without_pkce_and_implicit_query_cannot_be_built() {
    use implicit_grant::{AuthorizeRequest, CodeVerifier};
    let bare = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::Code)
        .state(STATE);
    assert_eq!(
        bare.write_into(&mut [0u8; 512]).err(),
        Some(Error::Config(ConfigError::Missing(Param::CodeChallenge)))
    );
    let challenge = CodeVerifier::new(&"v".repeat(43)).unwrap().challenge();
    let implicit = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::Token)
        .state(STATE)
        .code_challenge(&challenge);
    assert_eq!(
        implicit.write_into(&mut [0u8; 512]).err(),
        Some(Error::Config(ConfigError::Forbidden(Param::CodeChallenge)))
    );
    let implicit_query = builder()
        .response_type(ResponseType::Token)
        .response_mode(ResponseMode::Query)
        .build();
    assert_eq!(
        implicit_query.err(),
        Some(ConfigError::Forbidden(Param::ResponseMode))
    );
    for reserved in ["code_challenge", "code_challenge_method"] {
        let extra = [(reserved, "plain")];
        let built = base().extra(&extra).build().map(|_| ());
        assert!(matches!(built, Err(ConfigError::Reserved(_))), "{reserved}");
    }
}

/// The redirect in each response mode: the query (whole URL, `?…`, bare), the fragment, a
/// `form_post` body; a callback URL at another path is refused before the store is touched.
#[test]
fn rfc6749_4_1_2_code_in_every_response_mode() {
    for (mode, shape) in [
        (None, "url"),
        (None, "?"),
        (None, "bare"),
        (Some(ResponseMode::Fragment), "url"),
        (Some(ResponseMode::FormPost), "bare"),
    ] {
        let mut b = base();
        if let Some(mode) = mode {
            b = b.response_mode(mode);
        }
        let config = b.build().unwrap();
        let mut store = TestStore::default();
        let req = start(&config, &mut store, 5);
        assert_eq!(
            query_value(&req.url, "response_mode"),
            mode.map(|m| m.as_str().to_owned())
        );
        let params = format!("code={CODE}&state={}", req.state);
        let sep = if mode == Some(ResponseMode::Fragment) {
            '#'
        } else {
            '?'
        };
        let input = match shape {
            "url" => format!("{REDIRECT}{sep}{params}"),
            "?" => format!("?{params}"),
            _ => params,
        };
        if shape == "url" {
            let elsewhere = input.replace("/cb", "/other");
            assert_eq!(
                callback(&config, &elsewhere, &mut store, T0, &mut []).err(),
                Some(FlowError::RedirectUriMismatch.into())
            );
            assert_eq!(store.len(), 1);
        }
        let outcome = callback(&config, &input, &mut store, T0, &mut []);
        assert!(
            matches!(outcome, Ok(Callback::Code(_))),
            "{mode:?} {shape}: {outcome:?}"
        );
        assert_eq!(store.len(), 0);
    }
}

/// RFC 9700 §2.1.2: a code request never asks for tokens in the redirect; an access or ID
/// token there (injected, or a downgrade) is refused before the store is touched, as is
/// a response without a code, or an error beside a code.
#[test]
fn rfc9700_2_1_2_tokens_in_a_code_response_are_refused() {
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 5);
    let state = &req.state;
    for (input, refused) in [
        (
            format!("?code={CODE}&access_token={AT}&state={state}"),
            ResponseError::UnexpectedParameter(Param::AccessToken),
        ),
        (
            format!("?code={CODE}&id_token={IDT_A3}&state={state}"),
            ResponseError::UnexpectedParameter(Param::IdToken),
        ),
        (
            format!("?state={state}"),
            ResponseError::MissingParameter(Param::Code),
        ),
        (
            format!("?code=a%0Ab&state={state}"),
            ResponseError::InvalidParameter(Param::Code),
        ),
        (
            format!("?error=access_denied&code={CODE}&state={state}"),
            ResponseError::AmbiguousResponse,
        ),
        (
            format!("?code={CODE}&code=x&state={state}"),
            ResponseError::DuplicateParameter(Param::Code),
        ),
    ] {
        assert_eq!(
            callback(&config, &input, &mut store, T0, &mut []).err(),
            Some(Error::Response(refused)),
            "{input}"
        );
    }
    assert_eq!(store.len(), 1, "every refusal left the login pending");
    assert!(callback(&config, &redirect(&req), &mut store, T0, &mut []).is_ok());
}

/// RFC 6749 §10.12, RFC 9700 §4.2.4: `state` finds and matches its transaction, which is
/// taken once; a denial is reported only after that.
#[test]
fn rfc6749_10_12_state_is_checked_and_the_transaction_taken_once() {
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 5);
    let missing = format!("?code={CODE}");
    assert_eq!(
        callback(&config, &missing, &mut store, T0, &mut []).err(),
        Some(FlowError::StateMissing.into())
    );
    let forged = format!("?code={CODE}&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(
        callback(&config, &forged, &mut store, T0, &mut []).err(),
        Some(FlowError::NoPendingTransaction.into())
    );
    let denial = format!("?error=access_denied&state={}", req.state);
    let Callback::Denied(denied) = callback(&config, &denial, &mut store, T0, &mut []).unwrap()
    else {
        panic!("expected the denial");
    };
    assert_eq!(denied.error, implicit_grant::ErrorCode::AccessDenied);
    assert_eq!(
        callback(&config, &redirect(&req), &mut store, T0, &mut []).err(),
        Some(FlowError::NoPendingTransaction.into()),
        "the denial consumed the transaction"
    );
    // Too old: taken and refused.
    let req = start(&config, &mut store, 6);
    let late = T0.saturating_add(config.transaction_lifetime() + secs(1));
    assert_eq!(
        callback(&config, &redirect(&req), &mut store, late, &mut []).err(),
        Some(FlowError::TransactionExpired.into())
    );
}

/// RFC 9207 §2.4: with `iss` supported, a code response must carry it (no ID token in the
/// redirect names the issuer), equal to the issuer; checked before the store is touched.
#[test]
fn rfc9207_2_4_iss_is_required_of_a_code_response_when_supported() {
    let config = base()
        .iss_parameter(IssParameter::Supported)
        .build()
        .unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 5);
    assert_eq!(
        callback(&config, &redirect(&req), &mut store, T0, &mut []).err(),
        Some(ResponseError::MissingParameter(Param::Iss).into())
    );
    let mixed_up = format!("{}&iss=https%3A%2F%2Fattacker.example", redirect(&req));
    assert_eq!(
        callback(&config, &mixed_up, &mut store, T0, &mut []).err(),
        Some(FlowError::IssParameterMismatch.into())
    );
    assert_eq!(store.len(), 1);
    let good = format!("{}&iss=https%3A%2F%2Fserver.example.com", redirect(&req));
    assert!(matches!(
        callback(&config, &good, &mut store, T0, &mut []),
        Ok(Callback::Code(_))
    ));
}

/// A code with escapes is decoded into `scratch`, sized exactly before the store is
/// touched, and reaches the token request form-encoded again.
#[test]
fn rfc6749_appendix_b_an_escaped_code_is_decoded_and_re_encoded() {
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 5);
    let input = format!("?code=a%2Bb+c%26d&state={}", req.state);
    assert_eq!(
        callback(&config, &input, &mut store, T0, &mut [0u8; 6]).err(),
        Some(Error::BufferTooSmall { required: 7 })
    );
    assert_eq!(store.len(), 1);
    let mut scratch = [0u8; 7];
    let Callback::Code(grant) = callback(&config, &input, &mut store, T0, &mut scratch).unwrap()
    else {
        panic!("expected a code");
    };
    let mut buf = [0u8; 512];
    let body = grant
        .token_request(&config)
        .unwrap()
        .body(&mut buf)
        .unwrap()
        .to_owned();
    let code = form_urlencoded::parse(body.as_bytes())
        .find(|(n, _)| n == "code")
        .map(|(_, v)| v.into_owned());
    assert_eq!(code.as_deref(), Some("a+b c&d"));
}

/// The flows do not cross: `complete` refuses a code configuration, `callback` an implicit
/// one, and a grant writes no request and reads no response under another configuration.
#[test]
fn each_flow_has_its_own_entry_point() {
    let code = base().build().unwrap();
    let implicit = builder()
        .scope(&["openid"])
        .algorithms(&[Algorithm::HS256])
        .build()
        .unwrap();
    let mut store = TestStore::default();
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    assert_eq!(
        complete(&code, "?code=x&state=y", &mut store, &key, T0, &mut []).err(),
        Some(ConfigError::Forbidden(Param::ResponseType).into())
    );
    // In the fragment too: a bare `state` would otherwise complete with no token at all.
    let fragment = base()
        .response_mode(ResponseMode::Fragment)
        .build()
        .unwrap();
    let req = start(&fragment, &mut store, 9);
    let bare = format!("#state={}", req.state);
    assert_eq!(
        complete(&fragment, &bare, &mut store, &key, T0, &mut []).err(),
        Some(ConfigError::Forbidden(Param::ResponseType).into())
    );
    assert_eq!(store.len(), 1);
    let _ = implicit_grant::TransactionStore::take(
        &mut store,
        &implicit_grant::TransactionKey::for_state(&req.state),
    );
    assert_eq!(
        callback(
            &implicit,
            "#access_token=x&state=y",
            &mut store,
            T0,
            &mut []
        )
        .err(),
        Some(ConfigError::Forbidden(Param::ResponseType).into())
    );
    let req = start(&code, &mut store, 5);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&code, &input, &mut store, &mut code_buf);
    let other_client = implicit_grant::Config::builder(
        implicit_grant::Issuer::new(ISSUER),
        implicit_grant::AuthorizationEndpoint::new(AUTHZ_EP),
        implicit_grant::ClientId::new("another"),
        implicit_grant::RedirectUri::new(REDIRECT),
    )
    .response_type(ResponseType::Code)
    .scope(&["openid", "profile"])
    .algorithms(&[Algorithm::HS256])
    .build()
    .unwrap();
    assert_eq!(
        grant.token_request(&other_client).err(),
        Some(FlowError::TransactionMismatch.into())
    );
    let body = token_body("a.b.c");
    assert_eq!(
        grant
            .redeem(&other_client, 200, &body, &key, T0, &mut [0u8; 4096])
            .err(),
        Some(FlowError::TransactionMismatch.into())
    );
}

/// OIDC Core §3.1.3.3–§3.1.3.8: the token response's ID token is verified with the nonce
/// sent; `at_hash` is checked when present and not required; the session carries the
/// access and refresh tokens and the claims.
#[test]
fn oidc_core_3_1_3_7_the_token_responses_id_token_is_verified() {
    let config = base().build().unwrap();
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let mut store = TestStore::default();
    let redeem = |store: &mut TestStore,
                  seed: u8,
                  extra: &str,
                  nonce: Option<&str>|
     -> Result<String, Error> {
        let req = start(&config, store, seed);
        let input = redirect(&req);
        let mut code_buf = [0u8; 64];
        let mut grant = code_grant(&config, &input, store, &mut code_buf);
        let nonce = nonce.unwrap_or(req.nonce.as_deref().unwrap());
        let id_token = sign_hs256(HS256_HEADER, &claims(nonce, extra));
        let body = token_body(&id_token);
        let mut scratch = vec![0u8; 4096];
        match grant.redeem(&config, 200, &body, &key, T0, &mut scratch)? {
            Redeemed::Authorized(session) => Ok(format!(
                "{} {} {:?} {:?} {}",
                session.access_token.unwrap().expose_secret(),
                session.refresh_token.unwrap().expose_secret(),
                session.expires_at,
                session.token_type,
                session.claims.unwrap().sub()
            )),
            Redeemed::Denied(d) => Ok(format!("denied {d}")),
        }
    };
    let expected = format!(
        "{AT} 8xLOxBtZp8 {:?} {:?} 248289761001",
        Some(T0.saturating_add(secs(3600))),
        Some(TokenType::Bearer)
    );
    // Without `at_hash` (OPTIONAL in the code flow), and with the right one.
    assert_eq!(redeem(&mut store, 1, "", None).unwrap(), expected);
    let good = format!(r#","at_hash":"{}""#, at_hash(AT));
    assert_eq!(redeem(&mut store, 2, &good, None).unwrap(), expected);
    let wrong = format!(r#","at_hash":"{}""#, at_hash("another token"));
    assert_eq!(
        redeem(&mut store, 3, &wrong, None).err(),
        Some(ClaimsError::AtHashMismatch.into())
    );
    assert_eq!(
        redeem(
            &mut store,
            4,
            "",
            Some("another-nonce-of-43-characters-aaaaaaaaaaaa")
        )
        .err(),
        Some(ClaimsError::NonceMismatch.into())
    );
    let other_azp = r#","azp":"another-client""#;
    assert_eq!(
        redeem(&mut store, 5, other_azp, None).err(),
        Some(ClaimsError::AzpMismatch.into())
    );
}

/// OIDC Core §3.1.3.3: with `openid`, the token response must carry an ID token; without
/// it, one that comes anyway is refused, not passed on unverified.
#[test]
fn oidc_core_3_1_3_3_id_token_required_with_openid_only() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 1);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let no_id_token = format!(r#"{{"access_token":"{AT}","token_type":"Bearer"}}"#);
    assert_eq!(
        grant
            .redeem(&config, 200, &no_id_token, &key, T0, &mut [0u8; 512])
            .err(),
        Some(ResponseError::MissingParameter(Param::IdToken).into())
    );
    let oauth = builder()
        .response_type(ResponseType::Code)
        .scope(&["read"])
        .build()
        .unwrap();
    let req = start(&oauth, &mut store, 2);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&oauth, &input, &mut store, &mut code_buf);
    let mut buf = [0u8; 512];
    let Ok(Redeemed::Authorized(session)) =
        grant.redeem(&oauth, 200, &no_id_token, &key, T0, &mut buf)
    else {
        panic!("expected a session");
    };
    assert!(session.claims.is_none() && session.id_token.is_none());
    let req = start(&oauth, &mut store, 3);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&oauth, &input, &mut store, &mut code_buf);
    let with_id_token = token_body(IDT_A3);
    assert_eq!(
        grant
            .redeem(&oauth, 200, &with_id_token, &key, T0, &mut [0u8; 4096])
            .err(),
        Some(ResponseError::UnexpectedParameter(Param::IdToken).into())
    );
}

/// RFC 6749 §5.2: `invalid_grant` (a replayed code, RFC 6749 §4.1.2; a verifier that does
/// not match, RFC 7636 §4.6) is the provider's authentic refusal.
#[test]
fn rfc6749_5_2_invalid_grant_is_denied() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 1);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let body = r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#;
    let mut buf = [0u8; 256];
    let Ok(Redeemed::Denied(denied)) = grant.redeem(&config, 400, body, &key, T0, &mut buf) else {
        panic!("expected a denial");
    };
    assert_eq!(denied.error, TokenErrorCode::InvalidGrant);
}

/// OpenID RP `rp-key-rotation-op-sign-key`: an ID token signed with a key the host does
/// not hold yet is `UnknownKey` (kind `KeysOutdated`); the grant is kept, and the same body
/// verifies once the keys are fetched anew.
#[test]
// RSA signing and verification take minutes in Miri's interpreter; the HS256 tests here
// run the same callback and redeem code.
#[cfg_attr(miri, ignore)]
fn keys_outdated_the_same_body_verifies_with_the_new_keys() {
    let config = base().algorithms(&[Algorithm::RS256]).build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 1);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let nonce = req.nonce.unwrap();
    let id_token = sign(
        "rsa-2048-b",
        &header("RS256", "rsa-2048-b"),
        &claims(&nonce, ""),
    );
    let body = token_body(&id_token);
    let old = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    let err = grant
        .redeem(&config, 200, &body, &old, T0, &mut vec![0u8; 8192])
        .err()
        .unwrap();
    assert_eq!(err, SelectionError::UnknownKey.into());
    assert_eq!(err.kind(), implicit_grant::ErrorKind::KeysOutdated);
    let new = Jwks::parse(&jwks_json(&["rsa-2048-a", "rsa-2048-b"])).unwrap();
    let other = token_body(&sign(
        "rsa-2048-b",
        &header("RS256", "rsa-2048-b"),
        &claims(&nonce, ",\"azp\":\"s6BhdRkqt3\""),
    ));
    assert_eq!(
        grant
            .redeem(&config, 200, &other, &new, T0, &mut vec![0u8; 8192])
            .err(),
        Some(FlowError::TransactionMismatch.into()),
        "the retry is for the response whose key was unknown"
    );
    let mut buf = vec![0u8; 8192];
    let again = grant.redeem(&config, 200, &body, &new, T0, &mut buf);
    assert!(matches!(again, Ok(Redeemed::Authorized(_))), "{again:?}");
}

/// The scratch of `redeem` holds the canonical body, the ID token's claims and a granted
/// scope with `%` or `+` form-encoded: too short, the exact size of all, before anything is
/// written, and the grant stays unspent; at that size, the session.
#[test]
fn redeem_scratch_too_small_gets_the_exact_size() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    for (seed, scope) in [(1, None), (2, Some(r#""openid a+b\u0025c""#))] {
        let req = start(&config, &mut store, seed);
        let input = redirect(&req);
        let mut code_buf = [0u8; 64];
        let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
        let id_token = sign_hs256(HS256_HEADER, &claims(req.nonce.as_deref().unwrap(), ""));
        let scope = scope.map_or(String::new(), |s| format!(r#","scope":{s}"#));
        let body = format!(
            " {}{scope} }} ",
            token_body(&id_token).trim_end_matches('}')
        );
        let Err(Error::BufferTooSmall { required }) =
            grant.redeem(&config, 200, &body, &key, T0, &mut [0u8; 16])
        else {
            panic!("expected the size");
        };
        let bound = body.len() + implicit_grant::jwt::scratch_len(id_token.len()) + 12;
        assert!(required <= bound, "{required} > {bound}");
        assert_eq!(
            grant
                .redeem(&config, 200, &body, &key, T0, &mut vec![0u8; required - 1])
                .err(),
            Some(Error::BufferTooSmall { required })
        );
        let mut exact = vec![0u8; required];
        let outcome = grant.redeem(&config, 200, &body, &key, T0, &mut exact);
        let Ok(Redeemed::Authorized(session)) = outcome else {
            panic!("{outcome:?}");
        };
        if let Some(granted) = session.scope {
            // RFC 6749 §3.3: the tokens as granted, `+` and `%` inside them kept.
            assert!(granted.contains("a+b%c") && granted.contains("openid"));
            assert!(!granted.contains("a") && !granted.contains("b%c"));
        }
    }
}

/// A grant is redeemed once, whatever the outcome; after `UnknownKey` the one retry must
/// bring the same response.
#[test]
fn rfc6749_4_1_2_a_grant_is_redeemed_once() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 1);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let id_token = sign_hs256(HS256_HEADER, &claims(req.nonce.as_deref().unwrap(), ""));
    let body = token_body(&id_token);
    let mut buf = vec![0u8; 4096];
    assert!(
        grant
            .redeem(&config, 200, &body, &key, T0, &mut buf)
            .is_ok()
    );
    let mut buf = vec![0u8; 4096];
    assert_eq!(
        grant.redeem(&config, 200, &body, &key, T0, &mut buf).err(),
        Some(FlowError::NoPendingTransaction.into())
    );
    // A refusal spends it too.
    let req = start(&config, &mut store, 2);
    let input = redirect(&req);
    let mut code_buf = [0u8; 64];
    let mut grant = code_grant(&config, &input, &mut store, &mut code_buf);
    let forged = token_body(&sign_hs256(HS256_HEADER, &claims("n", "")));
    assert_eq!(
        grant
            .redeem(&config, 200, &forged, &key, T0, &mut buf)
            .err(),
        Some(ClaimsError::NonceMismatch.into())
    );
    let genuine = token_body(&sign_hs256(
        HS256_HEADER,
        &claims(req.nonce.as_deref().unwrap(), ""),
    ));
    let mut buf = vec![0u8; 4096];
    assert_eq!(
        grant
            .redeem(&config, 200, &genuine, &key, T0, &mut buf)
            .err(),
        Some(FlowError::NoPendingTransaction.into())
    );
}

/// OIDC Core §3.1.3.3: whether an ID token is required follows the scope the request was
/// sent with; a transaction begun without `openid` cannot be claimed under a configuration
/// with it (and so complete without the ID token it requires), nor the reverse.
#[test]
fn oidc_core_3_1_3_3_a_transaction_is_claimed_only_under_its_own_openid_scope() {
    let openid = base().build().unwrap();
    let oauth = builder()
        .response_type(ResponseType::Code)
        .scope(&["read"])
        .algorithms(&[Algorithm::HS256])
        .build()
        .unwrap();
    for (begun, claimed) in [(&oauth, &openid), (&openid, &oauth)] {
        let mut store = TestStore::default();
        let req = start(begun, &mut store, 1);
        assert_eq!(
            callback(claimed, &redirect(&req), &mut store, T0, &mut []).err(),
            Some(FlowError::TransactionMismatch.into())
        );
        assert_eq!(store.len(), 0, "taken, and refused");
    }
}

/// The implicit entry point refuses a code login's `state` under an implicit
/// configuration of the same client (the response type differs), consuming it.
#[test]
fn rfc9700_4_4_2_a_code_transaction_does_not_complete_an_implicit_response() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let code = base().build().unwrap();
    let implicit = builder()
        .scope(&["openid", "profile"])
        .algorithms(&[Algorithm::HS256])
        .build()
        .unwrap();
    let mut store = TestStore::default();
    let req = start(&code, &mut store, 1);
    let nonce = req.nonce.as_deref().unwrap();
    let fragment = format!(
        "#access_token={AT}&token_type=Bearer&id_token={}&state={}",
        sign_hs256(
            HS256_HEADER,
            &claims(nonce, &format!(r#","at_hash":"{}""#, at_hash(AT)))
        ),
        req.state
    );
    assert_eq!(
        complete(&implicit, &fragment, &mut store, &key, T0, &mut [0u8; 4096]).err(),
        Some(FlowError::TransactionMismatch.into())
    );
    assert_eq!(store.len(), 0);
}

/// MRT §5 mirrored: with the query response mode, response parameters in the callback
/// URL's fragment are refused, not ignored.
#[test]
fn response_parameters_in_the_fragment_of_a_query_callback_are_refused() {
    let config = base().build().unwrap();
    let mut store = TestStore::default();
    let req = start(&config, &mut store, 1);
    let input = format!("{}#code=other&state={}", redirect(&req), req.state);
    assert_eq!(
        callback(&config, &input, &mut store, T0, &mut []).err(),
        Some(ResponseError::ResponseInFragment.into())
    );
    assert_eq!(store.len(), 1);
    let harmless = format!("{}#section-2", redirect(&req));
    assert!(callback(&config, &harmless, &mut store, T0, &mut []).is_ok());
}

/// OIDC Core §3.1.3.7: each check of the ID token applies to the token endpoint's, as
/// `verify_id_token` makes it: signature, `iss`, `aud`, `exp`, `auth_time` against
/// `max_age`, and the user of a renewal.
#[test]
fn oidc_core_3_1_3_7_every_id_token_check_applies() {
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let fresh =
        |config: &implicit_grant::Config<'_>, extra: &str, edit: &dyn Fn(String) -> String| {
            let mut store = TestStore::default();
            let req = start(config, &mut store, 1);
            let input = redirect(&req);
            let mut code_buf = [0u8; 64];
            let mut grant = code_grant(config, &input, &mut store, &mut code_buf);
            let claims = edit(claims(req.nonce.as_deref().unwrap(), extra));
            let mut id_token = sign_hs256(HS256_HEADER, &claims);
            if extra == "tamper" {
                id_token.push('A');
            }
            let mut buf = vec![0u8; 4096];
            grant
                .redeem(config, 200, &token_body(&id_token), &key, T0, &mut buf)
                .err()
        };
    let config = base().build().unwrap();
    let same = |c: String| c;
    assert_eq!(fresh(&config, "", &same), None);
    assert!(matches!(
        fresh(&config, "tamper", &same),
        Some(Error::Jwt(_))
    ));
    assert_eq!(
        fresh(&config, "", &|c| c.replace(ISSUER, "https://other.example")),
        Some(ClaimsError::IssuerMismatch.into())
    );
    assert_eq!(
        fresh(&config, "", &|c| c.replace(CLIENT_ID, "another")),
        Some(ClaimsError::AudienceMismatch.into())
    );
    assert_eq!(
        fresh(&config, "", &|c| c.replace("1311281970", "1311280000")),
        Some(ClaimsError::Expired.into())
    );
    let max_age = base().max_age(secs(60)).build().unwrap();
    assert_eq!(
        fresh(&max_age, "", &same),
        Some(ClaimsError::MissingClaim(implicit_grant::Claim::AuthTime).into())
    );
    assert_eq!(
        fresh(&max_age, r#","auth_time":1311280000"#, &same),
        Some(ClaimsError::AuthTooOld.into())
    );
    // A renewal for the user of an earlier session.
    let earlier = sign_hs256(HS256_HEADER, &claims("n", ""));
    let hint = implicit_grant::IdTokenHint::read(&earlier, &mut [0u8; 2048]).unwrap();
    let renewal = config.silent(hint).unwrap();
    assert_eq!(
        fresh(&renewal, "", &|c| c.replace("248289761001", "someone-else")),
        Some(FlowError::UserMismatch.into())
    );
    assert_eq!(fresh(&renewal, "", &same), None);
}

/// ID token claims of a refresh (OIDC Core §12.2): those of [`claims`] without `nonce`,
/// issued later, with `extra` appended; `edit` changes the text.
fn refreshed_claims(extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISSUER}","sub":"248289761001","aud":"{CLIENT_ID}","exp":1311285000,"iat":1311281000{extra}}}"#
    )
}

/// RFC 6749 §6, OIDC Core §12.1–§12.2: a session's refresh token buys new tokens; a new ID
/// token must name the same issuer, user, audiences, authorized party and authentication
/// time, and carry no `nonce` or the session's.
#[test]
fn oidc_core_12_2_a_refreshed_id_token_is_the_same_users() {
    use implicit_grant::{IdToken, Refresh, RefreshToken};
    let key_bytes = hmac_key();
    let key = HmacKey::hs256(&key_bytes).unwrap();
    let config = base().build().unwrap();
    let later = UnixTime::from_secs(1_311_281_000);
    // The session: a code flow's ID token (with `nonce`, `auth_time`) and refresh token.
    let nonce = "4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw";
    let original = sign_hs256(HS256_HEADER, &claims(nonce, r#","auth_time":1311280900"#));
    let refresh = Refresh::new(
        RefreshToken::new("8xLOxBtZp8"),
        Some(IdToken::new(&original)),
    );
    let mut buf = [0u8; 256];
    let body = refresh
        .token_request(&config)
        .unwrap()
        .body(&mut buf)
        .unwrap();
    assert_eq!(
        body,
        "grant_type=refresh_token&refresh_token=8xLOxBtZp8&client_id=s6BhdRkqt3"
    );
    let answer = |claims: &str| {
        format!(
            r#"{{"access_token":"new-access","token_type":"Bearer","expires_in":3600,"refresh_token":"rotated","id_token":"{}"}}"#,
            sign_hs256(HS256_HEADER, claims)
        )
    };
    let redeem = |refresh: &Refresh<'_>, body: &str| {
        let mut scratch = vec![0u8; 8192];
        refresh
            .redeem(&config, 200, body, &key, later, &mut scratch)
            .map(|r| match r {
                Redeemed::Authorized(s) => format!(
                    "{} {} {}",
                    s.access_token.unwrap().expose_secret(),
                    s.refresh_token.unwrap().expose_secret(),
                    s.claims.map_or("-", |c| c.sub())
                ),
                Redeemed::Denied(d) => format!("denied {d}"),
            })
    };
    let ok = "new-access rotated 248289761001".to_owned();
    let same_auth = r#","auth_time":1311280900"#;
    assert_eq!(
        redeem(&refresh, &answer(&refreshed_claims(""))),
        Ok(ok.clone())
    );
    assert_eq!(
        redeem(&refresh, &answer(&refreshed_claims(same_auth))),
        Ok(ok.clone())
    );
    let same_nonce = format!(r#","nonce":"{nonce}""#);
    assert_eq!(
        redeem(&refresh, &answer(&refreshed_claims(&same_nonce))),
        Ok(ok)
    );
    let changed = |claim| Err(ClaimsError::ChangedOnRefresh(claim).into());
    use implicit_grant::Claim;
    assert_eq!(
        redeem(
            &refresh,
            &answer(&refreshed_claims("").replace("248289761001", "someone-else"))
        ),
        changed(Claim::Sub)
    );
    let two = refreshed_claims("").replace(
        &format!(r#""aud":"{CLIENT_ID}""#),
        &format!(r#""aud":["{CLIENT_ID}","{CLIENT_ID}"]"#),
    );
    assert_eq!(redeem(&refresh, &answer(&two)), changed(Claim::Aud));
    let azp = format!(r#","azp":"{CLIENT_ID}""#);
    assert_eq!(
        redeem(&refresh, &answer(&refreshed_claims(&azp))),
        changed(Claim::Azp)
    );
    assert_eq!(
        redeem(
            &refresh,
            &answer(&refreshed_claims(r#","auth_time":1311281000"#))
        ),
        changed(Claim::AuthTime)
    );
    assert_eq!(
        redeem(
            &refresh,
            &answer(&refreshed_claims(r#","nonce":"another""#))
        ),
        Err(ClaimsError::NonceMismatch.into())
    );
    // The new token is verified itself: its issuer, its signature.
    assert_eq!(
        redeem(
            &refresh,
            &answer(&refreshed_claims("").replace(ISSUER, "https://other.example"))
        ),
        Err(ClaimsError::IssuerMismatch.into())
    );
    // Without an ID token of the session there is nothing to compare a new one with.
    let oauth = Refresh::new(RefreshToken::new("8xLOxBtZp8"), None);
    assert_eq!(
        redeem(&oauth, &answer(&refreshed_claims(""))),
        Err(ResponseError::UnexpectedParameter(Param::IdToken).into())
    );
    let no_id_token =
        r#"{"access_token":"new-access","token_type":"Bearer","refresh_token":"rotated"}"#;
    assert_eq!(
        redeem(&oauth, no_id_token),
        Ok("new-access rotated -".to_owned())
    );
    // `invalid_grant`: the refresh token was revoked, or used after rotation.
    assert_eq!(
        redeem(&refresh, r#"{"error":"invalid_grant"}"#),
        Err(ResponseError::UnexpectedStatus.into()),
        "an error with 200"
    );
    let mut scratch = [0u8; 128];
    let denied = refresh.redeem(
        &config,
        400,
        r#"{"error":"invalid_grant"}"#,
        &key,
        later,
        &mut scratch,
    );
    assert!(matches!(denied, Ok(Redeemed::Denied(d)) if d.error == TokenErrorCode::InvalidGrant));
    // The scratch: canonical body, the new claims, the session's; exactly.
    let body = answer(&refreshed_claims(""));
    let Err(Error::BufferTooSmall { required }) =
        refresh.redeem(&config, 200, &body, &key, later, &mut [0u8; 8])
    else {
        panic!("expected the size");
    };
    assert!(
        refresh
            .redeem(&config, 200, &body, &key, later, &mut vec![0u8; required])
            .is_ok()
    );
    assert_eq!(
        refresh
            .redeem(
                &config,
                200,
                &body,
                &key,
                later,
                &mut vec![0u8; required - 1]
            )
            .err(),
        Some(Error::BufferTooSmall { required })
    );
}

/// RFC 6749 §3.2: the token endpoint is a setting checked as the authorization endpoint is
/// (absolute `https`, no fragment; loopback `http` only when allowed), kept by the owned
/// form, and named by every token request.
#[test]
fn token_endpoint_is_checked_owned_and_named_by_token_requests() {
    use implicit_grant::{OwnedConfig, RefreshToken, TokenEndpoint, TokenRequest};
    let with = |url| {
        base()
            .token_endpoint(TokenEndpoint::new(url))
            .build()
            .map(drop)
    };
    assert_eq!(
        with("http://op.example/token"),
        Err(ConfigError::Insecure(Param::TokenEndpoint))
    );
    assert_eq!(
        with("https://op.example/token#x"),
        Err(ConfigError::HasFragment(Param::TokenEndpoint))
    );
    assert_eq!(
        with("/token"),
        Err(ConfigError::NotAbsolute(Param::TokenEndpoint))
    );
    let loopback = base()
        .allow_loopback_http(true)
        .token_endpoint(TokenEndpoint::new("http://127.0.0.1:8080/token"))
        .build()
        .unwrap();
    let owned = OwnedConfig::<512>::new(&loopback).unwrap();
    let endpoint = owned.with(|config| {
        let request = TokenRequest::refresh(config, RefreshToken::new("r")).unwrap();
        request.endpoint().map(str::to_owned)
    });
    assert_eq!(endpoint.as_deref(), Some("http://127.0.0.1:8080/token"));
    assert_eq!(base().build().unwrap().token_endpoint(), None);
}
