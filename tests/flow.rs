//! The begin → redirect → complete flow (RFC 6749 §4.2, OIDC Core §3.2, RFC 9700 §4.2.4,
//! §4.7), with a simulated provider that signs real HS256 ID tokens.
#![cfg(feature = "hs256")]

mod common;

use common::*;
use implicit_grant::jwt::Algorithm;
use implicit_grant::verify::HmacKey;
use implicit_grant::{
    AccessToken, ClaimsError, Config, Error, ErrorCode, FlowError, Outcome, Param, Record,
    ResponseError, ResponseMode, ResponseType, Session, TokenType, Transaction, bearer_header,
    begin, complete,
};
use sha2::{Digest, Sha256};

const T0: u64 = 1_311_280_970;

fn config() -> Config<'static> {
    let mut c = Config::new(ISSUER, AUTHZ_EP, CLIENT_ID, REDIRECT);
    c.scope = &["openid", "profile"];
    c.audience = Some("https://api.example.com/appointments");
    c.algorithms = &[Algorithm::HS256];
    c
}

/// What the simulated provider read from the authorize URL.
struct Request {
    state: String,
    nonce: String,
}

fn start(config: &Config<'_>, store: &mut MemoryStore) -> Request {
    let mut buf = [0u8; 1024];
    let url = begin(config, &mut SeqRng(7), store, T0, &mut buf).unwrap();
    Request {
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce").unwrap_or_default(),
    }
}

/// `at_hash` computed independently of the crate: left half of SHA-256, base64url.
fn at_hash(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes())[..16])
}

fn id_token(nonce: &str, access_token: Option<&str>) -> String {
    let extra = access_token.map_or(String::new(), |at| {
        format!(r#","at_hash":"{}""#, at_hash(at))
    });
    sign_hs256(HS256_HEADER, &claims(nonce, &extra))
}

fn success_fragment(req: &Request) -> String {
    format!(
        "#access_token={AT}&id_token={}&token_type=Bearer&expires_in=7200&scope=openid%20profile&state={}",
        id_token(&req.nonce, Some(AT)),
        req.state
    )
}

fn run<'a>(
    config: &Config<'_>,
    input: &'a str,
    store: &mut MemoryStore,
    now: u64,
    scratch: &'a mut [u8],
) -> Result<Outcome<'a>, Error> {
    let key = hmac_key();
    let verifier = HmacKey::hs256(&key).unwrap();
    complete(config, input, store, &verifier, now, scratch)
}

fn authorized(outcome: Result<Outcome<'_>, Error>) -> Session<'_> {
    match outcome {
        Ok(Outcome::Authorized(session)) => session,
        other => panic!("expected a session, got {other:?}"),
    }
}

#[test]
fn r5a_r6b_begin_draws_43_char_base64url_state_and_nonce_and_stores_them() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    for value in [&req.state, &req.nonce] {
        assert_eq!(value.len(), 43);
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
    assert_ne!(req.state, req.nonce);
    let stored = Transaction::from_record(store.record.as_ref().unwrap()).unwrap();
    assert_eq!(
        (stored.state(), stored.nonce()),
        (req.state.as_str(), Some(req.nonce.as_str()))
    );
    assert_eq!(stored.issued_at(), T0);
}

#[test]
fn begin_writes_the_seed_request() {
    let mut store = MemoryStore::default();
    let mut buf = [0u8; 1024];
    let url = begin(&config(), &mut SeqRng(7), &mut store, T0, &mut buf).unwrap();
    let state = query_value(url, "state").unwrap();
    let nonce = query_value(url, "nonce").unwrap();
    assert_eq!(
        url,
        format!(
            "{AUTHZ_EP}?response_type=id_token%20token&client_id={CLIENT_ID}\
             &redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=openid%20profile\
             &audience=https%3A%2F%2Fapi.example.com%2Fappointments&state={state}&nonce={nonce}"
        )
    );
}

#[test]
fn begin_saves_nothing_when_it_fails() {
    let mut store = MemoryStore::default();
    let mut buf = [0u8; 1024];
    assert_eq!(
        begin(&config(), &mut BrokenRng, &mut store, T0, &mut buf),
        Err(Error::Flow(FlowError::Random))
    );
    let Err(Error::BufferTooSmall { required }) =
        begin(&config(), &mut SeqRng(7), &mut store, T0, &mut [0u8; 64])
    else {
        panic!("expected BufferTooSmall")
    };
    assert!(store.record.is_none());
    assert_eq!(
        begin(&config(), &mut SeqRng(7), &mut store, T0, &mut buf)
            .unwrap()
            .len(),
        required
    );
    let mut broken = MemoryStore {
        broken: true,
        ..MemoryStore::default()
    };
    assert_eq!(
        begin(&config(), &mut SeqRng(7), &mut broken, T0, &mut buf),
        Err(Error::Flow(FlowError::Storage))
    );
    let mut bad = config();
    bad.scope = &["profile"];
    assert_eq!(
        begin(&bad, &mut SeqRng(7), &mut store, T0, &mut buf),
        Err(Error::Config(
            implicit_grant::ConfigError::MissingOpenidScope
        ))
    );
}

#[test]
fn r16a_id_token_token_completes_with_tokens_claims_and_expiry() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(session.access_token.unwrap().expose_secret(), AT);
    assert_eq!(session.token_type, Some(TokenType::Bearer));
    assert_eq!(
        (session.expires_in, session.expires_at),
        (Some(7200), Some(NOW + 7200))
    );
    assert_eq!(session.scope.unwrap().as_encoded(), "openid%20profile");
    let claims = session.claims.unwrap();
    assert_eq!((claims.iss, claims.sub), (ISSUER, "248289761001"));
    assert_eq!(claims.nonce, Some(req.nonce.as_str()));
    let mut header = [0u8; 128];
    assert_eq!(
        bearer_header(session.access_token.unwrap(), &mut header).unwrap(),
        format!("Bearer {AT}")
    );
}

#[test]
fn r16b_id_token_only_completes_without_access_token() {
    let mut c = config();
    c.response_type = ResponseType::IdToken;
    let mut store = MemoryStore::default();
    let req = start(&c, &mut store);
    let fragment = format!(
        "id_token={}&state={}",
        id_token(&req.nonce, None),
        req.state
    );
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&c, &fragment, &mut store, NOW, &mut scratch));
    assert!(session.access_token.is_none());
    assert_eq!(session.claims.unwrap().sub, "248289761001");
}

#[test]
fn r1c_token_only_completes_without_id_token() {
    let mut c = config();
    c.response_type = ResponseType::Token;
    c.scope = &["read:appointments"];
    let mut store = MemoryStore::default();
    let req = start(&c, &mut store);
    assert!(req.nonce.is_empty(), "no nonce is sent without an ID token");
    let fragment = format!(
        "access_token=abc%2Bdef&token_type=bearer&state={}",
        req.state
    );
    let mut scratch = [0u8; 64];
    let session = authorized(run(&c, &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(session.access_token.unwrap().expose_secret(), "abc+def");
    assert!(session.claims.is_none() && session.expires_at.is_none());
}

#[test]
fn r24a_replay_of_the_same_response_finds_no_transaction() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::NoTransaction)
    );
}

#[test]
fn r24b_unsolicited_response_finds_no_transaction() {
    let mut store = MemoryStore::default();
    let req = Request {
        state: "x".repeat(43),
        nonce: NONCE.into(),
    };
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::NoTransaction)
    );
    let mut broken = MemoryStore {
        broken: true,
        ..MemoryStore::default()
    };
    assert_eq!(
        run(&config(), &fragment, &mut broken, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::Storage)
    );
}

#[test]
fn transaction_older_than_its_lifetime_is_refused_and_consumed() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, T0 + 601, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::TransactionExpired)
    );
    assert!(store.record.is_none());
}

#[test]
fn r23_tampered_or_missing_state_is_refused() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let good = success_fragment(&req);
    let mut flipped = req.state.clone().into_bytes();
    flipped[42] = if flipped[42] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let cases = [
        (good.replace(&req.state, &flipped), FlowError::StateMismatch),
        (
            good.replace(&req.state, &req.state[..42]),
            FlowError::StateMismatch,
        ),
        (
            good.replace(&req.state, &format!("{}0", req.state)),
            FlowError::StateMismatch,
        ),
        (
            good.replace(&format!("&state={}", req.state), ""),
            FlowError::StateMissing,
        ),
        (
            good.replace(&format!("&state={}", req.state), "&state="),
            FlowError::StateMissing,
        ),
    ];
    for (fragment, want) in cases {
        let mut store = MemoryStore::default();
        let _ = start(&config(), &mut store); // same SeqRng seed: same state
        let mut scratch = [0u8; 2048];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            Error::Flow(want),
            "{fragment}"
        );
        assert!(store.record.is_none(), "the transaction is consumed");
    }
}

#[test]
fn r21_r24c_authentic_denial_is_an_outcome_and_consumes_the_transaction() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = format!(
        "error=access_denied&error_description=User+cancelled&state={}",
        req.state
    );
    let mut scratch = [0u8; 64];
    let Ok(Outcome::Denied(denial)) = run(&config(), &fragment, &mut store, NOW, &mut scratch)
    else {
        panic!("expected a denial")
    };
    assert_eq!(denial.error, ErrorCode::AccessDenied);
    let mut buf = [0u8; 32];
    assert_eq!(
        denial
            .error_description
            .unwrap()
            .decode_into(&mut buf)
            .unwrap(),
        "User cancelled"
    );
    assert!(store.record.is_none());
}

#[test]
fn r22_unauthenticated_denials_are_errors() {
    for (fragment, want) in [
        (
            "error=access_denied".to_owned(),
            Error::Flow(FlowError::StateMissing),
        ),
        (
            "error=access_denied&state=evil".to_owned(),
            Error::Flow(FlowError::StateMismatch),
        ),
    ] {
        let mut store = MemoryStore::default();
        start(&config(), &mut store);
        let mut scratch = [0u8; 64];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            want
        );
    }
}

#[test]
fn r55_iss_response_parameter_must_match_the_issuer() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = format!(
        "error=login_required&state={}&iss=https%3A%2F%2Fevil.example",
        req.state
    );
    let mut scratch = [0u8; 64];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::IssuerMismatch)
    );
    let req = start(&config(), &mut store);
    let fragment = format!(
        "{}&iss=https%3A%2F%2Fserver.example.com",
        success_fragment(&req)
    );
    let mut scratch = [0u8; 2048];
    authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    let req = start(&config(), &mut store);
    let fragment = format!(
        "{}&iss=https%3A%2F%2Fserver.example.com%2F",
        success_fragment(&req)
    );
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::IssuerMismatch)
    );
}

#[test]
fn r60a_nonce_of_another_transaction_is_refused() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let other = Request {
        state: req.state.clone(),
        nonce: "Z".repeat(43),
    };
    let fragment = success_fragment(&other);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Claims(ClaimsError::NonceMismatch)
    );
}

#[test]
fn r53g_substituted_access_token_is_refused() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req).replace(AT, "SlAV32hkKG");
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Claims(ClaimsError::AtHashMismatch)
    );
}

#[test]
fn r16_tokens_required_by_the_response_type() {
    let req_fragment = |req: &Request, drop: &str| {
        let f = success_fragment(req);
        let start = f.find(drop).unwrap();
        let end = f[start..].find('&').map_or(f.len(), |i| start + i + 1);
        format!("{}{}", &f[..start], &f[end..])
    };
    for (drop, want) in [
        (
            "access_token=",
            ResponseError::MissingParameter(Param::AccessToken),
        ),
        ("id_token=", ResponseError::MissingParameter(Param::IdToken)),
        (
            "token_type=",
            ResponseError::MissingParameter(Param::TokenType),
        ),
    ] {
        let mut store = MemoryStore::default();
        let req = start(&config(), &mut store);
        let fragment = req_fragment(&req, drop);
        let mut scratch = [0u8; 2048];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            Error::Response(want),
            "{fragment}"
        );
    }
    let mut c = config();
    c.response_type = ResponseType::IdToken;
    let mut store = MemoryStore::default();
    let req = start(&c, &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&c, &success_fragment(&req), &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::UnexpectedParameter(Param::AccessToken))
    );
}

#[test]
fn r11d_whole_callback_url_must_match_the_redirect_uri() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let url = format!("{REDIRECT}{}", success_fragment(&req));
    let mut scratch = [0u8; 2048];
    authorized(run(&config(), &url, &mut store, NOW, &mut scratch));
    let req = start(&config(), &mut store);
    let url = format!("https://client.example.org/other{}", success_fragment(&req));
    assert_eq!(
        run(&config(), &url, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::RedirectUriMismatch)
    );
}

#[test]
fn r9d_r11f_form_post_mode_is_requested_and_parsed_from_the_body() {
    let mut c = config();
    c.response_mode = ResponseMode::FormPost;
    let mut store = MemoryStore::default();
    let mut buf = [0u8; 1024];
    let url = begin(&c, &mut SeqRng(7), &mut store, T0, &mut buf).unwrap();
    assert_eq!(
        query_value(url, "response_mode").as_deref(),
        Some("form_post")
    );
    let req = Request {
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce").unwrap(),
    };
    let body = success_fragment(&req)[1..].to_owned();
    let mut scratch = [0u8; 2048];
    authorized(run(&c, &body, &mut store, NOW, &mut scratch));
    // A transaction made for the fragment is not completed as a form post.
    let req = start(&config(), &mut store);
    let body = success_fragment(&req)[1..].to_owned();
    assert_eq!(
        run(&c, &body, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::TransactionMismatch)
    );
}

#[test]
fn r55g_r59_transaction_is_bound_to_the_issuer_it_was_sent_to() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let mut other = config();
    other.issuer = "https://evil.example.com";
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(
            &other,
            &success_fragment(&req),
            &mut store,
            NOW,
            &mut scratch
        )
        .unwrap_err(),
        Error::Flow(FlowError::TransactionMismatch)
    );
    // A host-made transaction completes once it is bound to the configuration.
    let state = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    let nonce = "4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw";
    let req = Request {
        state: state.into(),
        nonce: nonce.into(),
    };
    let made = Transaction::new(state, Some(nonce), ResponseType::IdTokenToken, T0).unwrap();
    for (transaction, bound) in [(made.clone(), false), (made.bound_to(&config()), true)] {
        let mut store = MemoryStore {
            record: Some(transaction.to_record()),
            broken: false,
        };
        let mut scratch = [0u8; 2048];
        let fragment = success_fragment(&req);
        let result = run(&config(), &fragment, &mut store, NOW, &mut scratch);
        assert_eq!(result.is_ok(), bound, "{result:?}");
    }
}

#[test]
fn r51a_max_age_requires_auth_time() {
    let mut c = config();
    c.max_age = Some(300);
    let mut store = MemoryStore::default();
    let req = start(&c, &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&c, &success_fragment(&req), &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Claims(ClaimsError::MissingClaim(implicit_grant::Claim::AuthTime))
    );
}

#[test]
fn corrupt_record_is_refused() {
    let mut store = MemoryStore {
        record: Some(Record::from_bytes([0xFF; implicit_grant::RECORD_LEN])),
        broken: false,
    };
    let req = Request {
        state: "x".repeat(43),
        nonce: NONCE.into(),
    };
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(
            &config(),
            &success_fragment(&req),
            &mut store,
            NOW,
            &mut scratch
        )
        .unwrap_err(),
        Error::Flow(FlowError::CorruptTransaction)
    );
}

#[test]
fn r5e_weak_caller_supplied_state_or_nonce_is_refused() {
    use implicit_grant::ConfigError;
    let strong = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    assert_eq!(
        Transaction::new(STATE, Some(strong), ResponseType::IdToken, T0).unwrap_err(),
        ConfigError::Weak(Param::State)
    );
    assert_eq!(
        Transaction::new(strong, Some(NONCE), ResponseType::IdToken, T0).unwrap_err(),
        ConfigError::Weak(Param::Nonce)
    );
    assert_eq!(
        Transaction::new(strong, None, ResponseType::IdTokenToken, T0).unwrap_err(),
        ConfigError::MissingParameter(Param::Nonce)
    );
    assert!(Transaction::new(strong, None, ResponseType::Token, T0).is_ok());
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let mut store = MemoryStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let record = store.record.clone().unwrap();
    let transaction = Transaction::from_record(&record).unwrap();
    let mut scratch = [0u8; 2048];
    let outcome = run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap();
    let response = implicit_grant::parse_fragment(&fragment).unwrap();
    let id_token = id_token(&req.nonce, Some(AT));
    let debug = format!(
        "{outcome:?} {response:?} {transaction:?} {record:?} {:?}",
        AccessToken::new(AT)
    );
    for secret in [
        AT,
        req.state.as_str(),
        req.nonce.as_str(),
        id_token.as_str(),
    ] {
        assert!(!debug.contains(secret), "{secret} leaked in {debug}");
    }
    assert!(debug.contains("[redacted]"));
}

#[test]
fn r57a_bearer_header() {
    let mut buf = [0u8; 64];
    assert_eq!(
        bearer_header(AccessToken::new(AT), &mut buf).unwrap(),
        "Bearer jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
    );
    assert_eq!(
        bearer_header(AccessToken::new(AT), &mut [0u8; 49]),
        Err(Error::BufferTooSmall { required: 50 })
    );
    for bad in ["a b", "", "==", "a\nb", "a=b"] {
        assert_eq!(
            bearer_header(AccessToken::new(bad), &mut buf),
            Err(Error::Response(ResponseError::InvalidParameter(
                Param::AccessToken
            ))),
            "{bad:?}"
        );
    }
}
