//! The OpenID Foundation's RP certification tests for the Implicit profile (CONFORMANCE.md),
//! one test per test id, each run for `response_type=id_token` and `id_token token`
//! through `begin` → simulated provider → `complete`. The provider signs with the real
//! keys in `tests/data/keys.json` (RSA-2048, P-256) and the RFC 7515 A.1 HMAC key.
//!
//! Under Miri these tests are ignored: RSA signing and verification take hours in the interpreter, and
//! they hold no unsafe code of ours (the crate forbids it).
#![cfg(all(feature = "rsa", feature = "ecdsa", feature = "hmac"))]

mod common;

use common::*;
use implicit_grant::verify::{HmacKey, Jwks};
use implicit_grant::{Algorithm, SignatureVerifier};
use implicit_grant::{
    Claim, ClaimsError, Config, ConfigBuilder, Error, JwtError, Outcome, Param, Record,
    ResponseError, ResponseType, SelectionError, Session, StorageError, TransactionKey,
    TransactionStore, UnixTime, begin, complete,
};
use sha2::{Digest, Sha256};

const BOTH: [ResponseType; 2] = [ResponseType::IdToken, ResponseType::IdTokenToken];
const T0: UnixTime = UnixTime::from_secs(1_311_280_970);
const ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";

fn base(rt: ResponseType) -> ConfigBuilder<'static> {
    builder().response_type(rt)
}

fn config(rt: ResponseType) -> Config<'static> {
    base(rt).build().unwrap()
}

/// A pending login: the provider's view of the request.
struct Login {
    rt: ResponseType,
    store: TestStore,
    url: String,
    state: String,
    nonce: String,
}

fn start_login(config: &Config<'_>) -> Login {
    let mut store = TestStore::default();
    let mut buf = [0u8; 1024];
    let url = begin(config, &mut SeqRng(3), &mut store, T0, &mut buf)
        .unwrap()
        .to_owned();
    Login {
        rt: match query_value(&url, "response_type").as_deref() {
            Some("id_token%20token") => ResponseType::IdTokenToken,
            _ => ResponseType::IdToken,
        },
        state: query_value(&url, "state").unwrap(),
        nonce: query_value(&url, "nonce").unwrap(),
        url,
        store,
    }
}

/// The claims a correct provider issues for `login`, as JSON members to edit.
fn claim_set(login: &Login) -> serde_json::Map<String, serde_json::Value> {
    let mut c: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&claims(&login.nonce, "")).unwrap();
    if login.rt == ResponseType::IdTokenToken {
        let at_hash = b64(&Sha256::digest(ACCESS_TOKEN.as_bytes())[..16]);
        c.insert("at_hash".into(), at_hash.into());
    }
    c
}

fn signed(kid: &str, header: &str, claims: &serde_json::Map<String, serde_json::Value>) -> String {
    sign(kid, header, &serde_json::to_string(claims).unwrap())
}

/// The redirect fragment for `login` carrying `id_token`.
fn fragment(login: &Login, id_token: &str) -> String {
    let access = match login.rt {
        ResponseType::IdTokenToken => {
            format!("access_token={ACCESS_TOKEN}&token_type=Bearer&expires_in=3600&")
        }
        _ => String::new(),
    };
    format!("#{access}id_token={id_token}&state={}", login.state)
}

fn finish<'a>(
    config: &Config<'_>,
    login: &mut Login,
    fragment: &'a str,
    keys: &impl SignatureVerifier,
    scratch: &'a mut [u8],
) -> Result<Session<'a>, Error> {
    match complete(
        config,
        fragment,
        &mut login.store,
        keys,
        T0.saturating_add(secs(30)),
        scratch,
    )? {
        Outcome::Authorized(session) => Ok(session),
        Outcome::Denied(denial) => panic!("denied: {denial:?}"),
        Outcome::KeysOutdated => panic!("unexpected KeysOutdated"),
    }
}

/// `complete` for `login`, whatever its outcome.
fn outcome<'a>(
    config: &Config<'_>,
    login: &mut Login,
    fragment: &'a str,
    keys: &impl SignatureVerifier,
    scratch: &'a mut [u8],
) -> Result<Outcome<'a>, Error> {
    complete(
        config,
        fragment,
        &mut login.store,
        keys,
        T0.saturating_add(secs(30)),
        scratch,
    )
}

/// Runs one certification case for both response types: `token` makes the ID token from
/// the login, `expected` says what `complete` must answer.
fn case(
    jwks: &str,
    algorithms: &'static [Algorithm],
    token: impl Fn(&Login) -> String,
    expected: impl Fn(ResponseType) -> Result<(), Error>,
) {
    let keys = Jwks::parse(jwks).unwrap();
    for rt in BOTH {
        let config = base(rt).algorithms(algorithms).build().unwrap();
        let mut login = start_login(&config);
        let fragment = fragment(&login, &token(&login));
        let mut scratch = [0u8; 4096];
        let result = finish(&config, &mut login, &fragment, &keys, &mut scratch);
        assert_eq!(result.map(drop), expected(rt), "{rt:?}");
    }
}

const RS256: &[Algorithm] = &[Algorithm::RS256];

fn rs256(login: &Login) -> String {
    signed(
        "rsa-2048-a",
        &header("RS256", "rsa-2048-a"),
        &claim_set(login),
    )
}

fn edited(
    edit: impl Fn(&mut serde_json::Map<String, serde_json::Value>),
) -> impl Fn(&Login) -> String {
    move |login| {
        let mut c = claim_set(login);
        edit(&mut c);
        signed("rsa-2048-a", &header("RS256", "rsa-2048-a"), &c)
    }
}

fn ok(_: ResponseType) -> Result<(), Error> {
    Ok(())
}

fn claims_error(e: ClaimsError) -> impl Fn(ResponseType) -> Result<(), Error> {
    move |_| Err(Error::Claims(e))
}

fn jwt_error(e: JwtError) -> impl Fn(ResponseType) -> Result<(), Error> {
    move |_| Err(Error::Jwt(e))
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_response_type_id_token() {
    let config = config(ResponseType::IdToken);
    let mut login = start_login(&config);
    assert_eq!(
        query_value(&login.url, "response_type").as_deref(),
        Some("id_token")
    );
    let keys = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    let fragment = fragment(&login, &rs256(&login));
    let mut scratch = [0u8; 4096];
    let session = finish(&config, &mut login, &fragment, &keys, &mut scratch).unwrap();
    assert!(session.access_token.is_none());
    assert_eq!(session.claims.unwrap().sub(), "248289761001");
    // The other response type's answer (with an access token) is refused.
    let mut again = start_login(&config);
    let token = rs256(&again);
    let fragment = format!(
        "#access_token={ACCESS_TOKEN}&token_type=Bearer&id_token={token}&state={}",
        again.state
    );
    assert_eq!(
        finish(&config, &mut again, &fragment, &keys, &mut scratch).map(drop),
        Err(Error::Response(ResponseError::UnexpectedParameter(
            Param::AccessToken
        )))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_response_type_id_token_token() {
    let config = config(ResponseType::IdTokenToken);
    let mut login = start_login(&config);
    assert_eq!(
        query_value(&login.url, "response_type").as_deref(),
        Some("id_token%20token")
    );
    let keys = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    let fragment = fragment(&login, &rs256(&login));
    let mut scratch = [0u8; 4096];
    let session = finish(&config, &mut login, &fragment, &keys, &mut scratch).unwrap();
    assert_eq!(session.access_token.unwrap().expose_secret(), ACCESS_TOKEN);
    assert_eq!(session.claims.unwrap().sub(), "248289761001");
    // The other response type's answer (no access token) is refused.
    let mut again = start_login(&config);
    let token = rs256(&again);
    let fragment = format!("#id_token={token}&state={}", again.state);
    assert_eq!(
        finish(&config, &mut again, &fragment, &keys, &mut scratch).map(drop),
        Err(Error::Response(ResponseError::MissingParameter(
            Param::AccessToken
        )))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_nonce_unless_code_flow() {
    for rt in BOTH {
        let nonce = query_value(&start_login(&config(rt)).url, "nonce").unwrap();
        assert_eq!(nonce.len(), 43, "{rt:?}");
    }
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.remove("nonce");
        }),
        claims_error(ClaimsError::MissingClaim(Claim::Nonce)),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_nonce_invalid() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.insert(
                "nonce".into(),
                "012345678901234567890123456789012345678901a".into(),
            );
        }),
        claims_error(ClaimsError::NonceMismatch),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_issuer_mismatch() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.insert("iss".into(), "https://example.org/".into());
        }),
        claims_error(ClaimsError::IssuerMismatch),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_aud() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.insert("aud".into(), "invalid_client_id".into());
        }),
        claims_error(ClaimsError::AudienceMismatch),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_sub() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.remove("sub");
        }),
        claims_error(ClaimsError::MissingClaim(Claim::Sub)),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_iat() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.remove("iat");
        }),
        claims_error(ClaimsError::MissingClaim(Claim::Iat)),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_kid_absent_single_jwks() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        |login| signed("rsa-2048-a", r#"{"alg":"RS256"}"#, &claim_set(login)),
        ok,
    );
}

/// Rejection is allowed here (the Implicit profile marks this test "rejection allowed"; OIDC
/// Core §10.1): without a `kid`, two RS256 keys are ambiguous, and this crate does not try each.
#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_kid_absent_multiple_jwks() {
    case(
        &jwks_json(&["rsa-2048-a", "rsa-2048-b"]),
        RS256,
        |login| signed("rsa-2048-a", r#"{"alg":"RS256"}"#, &claim_set(login)),
        |_| Err(Error::KeySelection(SelectionError::AmbiguousKey)),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_sig_rs256() {
    case(
        &jwks_json(&["rsa-2048-a", "rsa-2048-b", "p256-a"]),
        RS256,
        rs256,
        ok,
    );
}

/// Every signature byte XOR 0x5A, as the Java suite does.
fn xor_5a(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(sig).unwrap();
    let bad: Vec<u8> = sig.iter().map(|b| b ^ 0x5A).collect();
    format!("{input}.{}", b64(&bad))
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_bad_sig_rs256() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        |login| xor_5a(&rs256(login)),
        jwt_error(JwtError::BadSignature),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_bad_sig_es256() {
    const ES256: &[Algorithm] = &[Algorithm::ES256];
    let es256 = |login: &Login| signed("p256-a", &header("ES256", "p256-a"), &claim_set(login));
    let jwks = jwks_json(&["rsa-2048-a", "p256-a"]);
    case(&jwks, ES256, es256, ok);
    case(
        &jwks,
        ES256,
        |login| xor_5a(&es256(login)),
        jwt_error(JwtError::BadSignature),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_bad_sig_hs256() {
    let hs256 = |login: &Login| {
        let claims = serde_json::to_string(&claim_set(login)).unwrap();
        sign_hs256(r#"{"alg":"HS256"}"#, &claims)
    };
    // A public client (RS256 only) refuses HS256 outright, valid or not.
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        hs256,
        jwt_error(JwtError::AlgNotAllowed),
    );
    // A confidential client with the shared key: the corrupted tag is refused.
    let key = hmac_key();
    let key = HmacKey::hs256(&key).unwrap();
    for rt in BOTH {
        let config = base(rt).algorithms(&[Algorithm::HS256]).build().unwrap();
        for (token, expected) in [
            (hs256 as fn(&Login) -> String, Ok(())),
            (
                |login: &Login| {
                    xor_5a(&sign_hs256(
                        r#"{"alg":"HS256"}"#,
                        &serde_json::to_string(&claim_set(login)).unwrap(),
                    ))
                },
                Err(Error::Jwt(JwtError::BadSignature)),
            ),
        ] {
            let mut login = start_login(&config);
            let fragment = fragment(&login, &token(&login));
            let mut scratch = [0u8; 4096];
            let result = finish(&config, &mut login, &fragment, &key, &mut scratch).map(drop);
            assert_eq!(result, expected, "{rt:?}");
        }
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_sig_none() {
    let none = |login: &Login| {
        let claims = serde_json::to_string(&claim_set(login)).unwrap();
        format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(claims.as_bytes()))
    };
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        none,
        jwt_error(JwtError::AlgNone),
    );
    // With a made-up signature too.
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        |login| format!("{}AAAA", none(login)),
        jwt_error(JwtError::AlgNone),
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_bad_at_hash() {
    // at_hash + "1" (Java) and its characters sorted (Python): only an `id_token token`
    // response has an access token to check them against; `id_token` ignores at_hash.
    for corrupt in [
        |h: &str| format!("{h}1"),
        |h: &str| {
            let mut c: Vec<char> = h.chars().collect();
            c.sort_unstable();
            c.into_iter().collect()
        },
    ] {
        case(
            &jwks_json(&["rsa-2048-a"]),
            RS256,
            move |login| {
                let mut c = claim_set(login);
                let good = b64(&Sha256::digest(ACCESS_TOKEN.as_bytes())[..16]);
                c.insert("at_hash".into(), corrupt(&good).into());
                signed("rsa-2048-a", &header("RS256", "rsa-2048-a"), &c)
            },
            |rt| match rt {
                ResponseType::IdTokenToken => Err(Error::Claims(ClaimsError::AtHashMismatch)),
                _ => Ok(()),
            },
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_id_token_missing_at_hash() {
    case(
        &jwks_json(&["rsa-2048-a"]),
        RS256,
        edited(|c| {
            c.remove("at_hash");
        }),
        |rt| match rt {
            ResponseType::IdTokenToken => {
                Err(Error::Claims(ClaimsError::MissingClaim(Claim::AtHash)))
            }
            _ => Ok(()),
        },
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rp_key_rotation_op_sign_key() {
    let before = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    let after = Jwks::parse(&jwks_json(&["rsa-2048-b", "rsa-2048-a"])).unwrap();
    for rt in BOTH {
        let config = config(rt);
        let mut login = start_login(&config);
        let token = signed(
            "rsa-2048-b",
            &header("RS256", "rsa-2048-b"),
            &claim_set(&login),
        );
        let fragment = fragment(&login, &token);
        let mut scratch = [0u8; 4096];
        let first = outcome(&config, &mut login, &fragment, &before, &mut scratch);
        assert!(
            matches!(first, Ok(Outcome::KeysOutdated)),
            "{rt:?} {first:?}"
        );
        assert_eq!(
            login.store.len(),
            1,
            "the transaction is kept for the retry"
        );
        // The host fetched the JWKS again: the same redirect now completes, once.
        let session = finish(&config, &mut login, &fragment, &after, &mut scratch).unwrap();
        assert_eq!(session.claims.unwrap().sub(), "248289761001", "{rt:?}");
        assert_eq!(
            finish(&config, &mut login, &fragment, &after, &mut scratch).map(drop),
            Err(Error::Flow(implicit_grant::FlowError::NoPendingTransaction)),
            "{rt:?}"
        );
    }
}

/// The retry after `UnknownKey` is bound to the token response that caused it, and happens once.
#[test]
#[cfg_attr(miri, ignore)]
fn rp_key_rotation_retry_is_bound_and_single() {
    let before = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    for rt in BOTH {
        let config = config(rt);
        let unknown = |login: &Login| {
            signed(
                "rsa-2048-b",
                &header("RS256", "rsa-2048-b"),
                &claim_set(login),
            )
        };
        let mut scratch = [0u8; 4096];
        // A second UnknownKey (the refetched keys still lack it) consumes the transaction.
        let mut pending = start_login(&config);
        let frag = fragment(&pending, &unknown(&pending));
        let first = outcome(&config, &mut pending, &frag, &before, &mut scratch);
        assert!(matches!(first, Ok(Outcome::KeysOutdated)), "{rt:?}");
        assert_eq!(
            outcome(&config, &mut pending, &frag, &before, &mut scratch).map(drop),
            Err(Error::KeySelection(SelectionError::UnknownKey)),
            "{rt:?}"
        );
        assert_eq!(pending.store.len(), 0, "{rt:?}");
        // The retry must carry the same token response: another ID token, an error
        // response, or the same ID token with any other member changed (`expires_in`,
        // `scope`, one more parameter's worth of a different access token), is refused and
        // consumes the transaction.
        let altered: &[&str] = match rt {
            ResponseType::IdTokenToken => &["other token", "error", "expires_in", "scope"],
            _ => &["other token", "error", "scope"],
        };
        for &retry in altered {
            let mut login = start_login(&config);
            let first = fragment(&login, &unknown(&login));
            let kept = outcome(&config, &mut login, &first, &before, &mut scratch);
            assert!(matches!(kept, Ok(Outcome::KeysOutdated)));
            assert_eq!(login.store.len(), 1);
            let second = match retry {
                "error" => format!("#error=access_denied&state={}", login.state),
                "expires_in" => first.replace("expires_in=3600", "expires_in=360000"),
                "scope" => format!("{first}&scope=openid"),
                _ => fragment(&login, &rs256(&login)),
            };
            assert_ne!(second, first);
            let result = complete(
                &config,
                &second,
                &mut login.store,
                &before,
                T0.saturating_add(secs(30)),
                &mut scratch,
            );
            assert_eq!(
                result.map(drop),
                Err(Error::Flow(implicit_grant::FlowError::TransactionMismatch)),
                "{rt:?} {retry}"
            );
            assert_eq!(login.store.len(), 0, "{rt:?} {retry}");
        }
        // A store that cannot save the transaction back says so.
        let login = start_login(&config);
        let fragment = fragment(&login, &unknown(&login));
        let mut store = FailingSave(login.store);
        assert_eq!(
            complete(
                &config,
                &fragment,
                &mut store,
                &before,
                T0.saturating_add(secs(30)),
                &mut scratch
            )
            .map(drop),
            Err(Error::Flow(implicit_grant::FlowError::Storage)),
            "{rt:?}"
        );
    }
}

/// A store whose `take` works and whose `save` fails.
struct FailingSave(TestStore);

impl TransactionStore for FailingSave {
    fn save(&mut self, _: &TransactionKey, _: &Record, _: UnixTime) -> Result<(), StorageError> {
        Err(StorageError)
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        self.0.take(key)
    }
}
