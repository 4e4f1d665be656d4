//! The begin → redirect → complete flow (RFC 6749 §4.2, OIDC Core §3.2, RFC 9700 §4.2.4,
//! §4.7), with a simulated provider that signs real HS256 ID tokens.
#![cfg(feature = "hmac")]

mod common;

use common::*;
use implicit_grant::Algorithm;
use implicit_grant::verify::HmacKey;
use implicit_grant::{
    AccessToken, AuthorizationEndpoint, ClaimsError, ClientId, Config, ConfigBuilder, ConfigError,
    Display, Error, ErrorCode, FlowError, IdTokenHint, IssParameter, Issuer, MemoryStore, Outcome,
    OwnedConfig, Param, Prompt, Record, RedirectUri, ResponseError, ResponseMode, ResponseType,
    Session, TokenType, Transaction, TransactionKey, TransactionStore, UnixTime, bearer_header,
    begin, complete,
};
use sha2::{Digest, Sha256};

const T0: UnixTime = UnixTime::from_secs(1_311_280_970);

fn base() -> ConfigBuilder<'static> {
    builder()
        .scope(&["openid", "profile"])
        .audience("https://api.example.com/appointments")
        .algorithms(&[Algorithm::HS256])
}

fn config() -> Config<'static> {
    base().build().unwrap()
}

/// What the simulated provider read from the authorize URL.
struct Request {
    state: String,
    nonce: String,
}

fn start(config: &Config<'_>, store: &mut TestStore) -> Request {
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

/// The hint of a renewal: the user `token` names.
fn hint(token: &str) -> IdTokenHint<'_> {
    IdTokenHint::read(token, &mut [0u8; 2048]).unwrap()
}

/// An ID token for `nonce`, with `at_hash` of [`AT`], naming the user `sub`.
fn id_token_of(sub: &str, nonce: &str) -> String {
    let claims = claims(nonce, &format!(r#","at_hash":"{}""#, at_hash(AT)));
    sign_hs256(HS256_HEADER, &claims.replace("248289761001", sub))
}

fn run<'a>(
    config: &Config<'_>,
    input: &'a str,
    store: &mut TestStore,
    now: UnixTime,
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
fn rfc6749_10_10_begin_draws_43_char_base64url_state_and_nonce_and_stores_them() {
    let mut store = TestStore::default();
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
    let record = store.take(&TransactionKey::for_state(&req.state)).unwrap();
    let stored = Transaction::from_record(&record.unwrap()).unwrap();
    assert_eq!(
        (stored.expose_state(), stored.expose_nonce()),
        (req.state.as_str(), Some(req.nonce.as_str()))
    );
    assert_eq!(stored.issued_at(), T0);
}

#[test]
fn oidc_core_3_2_2_1_begin_writes_the_seed_request() {
    let mut store = TestStore::default();
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
    let mut store = TestStore::default();
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
    assert_eq!(store.len(), 0);
    assert_eq!(
        begin(&config(), &mut SeqRng(7), &mut store, T0, &mut buf)
            .unwrap()
            .len(),
        required
    );
    let mut broken = TestStore {
        broken: true,
        ..TestStore::default()
    };
    assert_eq!(
        begin(&config(), &mut SeqRng(7), &mut broken, T0, &mut buf),
        Err(Error::Flow(FlowError::Storage))
    );
    // A configuration that breaks a request rule is refused when built, not by `begin`.
    assert_eq!(
        base().scope(&["profile"]).build().unwrap_err(),
        ConfigError::MissingOpenidScope
    );
}

#[test]
fn oidc_core_3_2_2_5_id_token_token_completes_with_tokens_claims_and_expiry() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(session.access_token.unwrap().expose_secret(), AT);
    assert_eq!(session.token_type, Some(TokenType::Bearer));
    assert_eq!(
        (session.expires_in, session.expires_at),
        (Some(secs(7200)), Some(now_plus(7200)))
    );
    assert_eq!(session.scope.unwrap().as_encoded(), "openid%20profile");
    let claims = session.claims.unwrap();
    assert_eq!((claims.iss(), claims.sub()), (ISSUER, "248289761001"));
    assert_eq!(claims.nonce(), Some(req.nonce.as_str()));
    let mut header = [0u8; 128];
    assert_eq!(
        bearer_header(session.access_token.unwrap(), &mut header).unwrap(),
        format!("Bearer {AT}")
    );
}

#[test]
fn oidc_core_3_2_2_5_id_token_only_completes_without_access_token() {
    let c = base().response_type(ResponseType::IdToken).build().unwrap();
    let mut store = TestStore::default();
    let req = start(&c, &mut store);
    let fragment = format!(
        "id_token={}&state={}",
        id_token(&req.nonce, None),
        req.state
    );
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&c, &fragment, &mut store, NOW, &mut scratch));
    assert!(session.access_token.is_none());
    assert_eq!(session.claims.unwrap().sub(), "248289761001");
}

#[test]
fn rfc6749_4_2_2_token_only_completes_without_id_token() {
    let c = base()
        .response_type(ResponseType::Token)
        .scope(&["read:appointments"])
        .build()
        .unwrap();
    let mut store = TestStore::default();
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
fn rfc9700_4_2_4_replay_of_the_same_response_finds_no_transaction() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::NoPendingTransaction)
    );
}

#[test]
fn rfc9700_4_2_4_unsolicited_response_finds_no_transaction() {
    let mut store = TestStore::default();
    let req = Request {
        state: "x".repeat(43),
        nonce: NONCE.into(),
    };
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::NoPendingTransaction)
    );
    let mut broken = TestStore {
        broken: true,
        ..TestStore::default()
    };
    assert_eq!(
        run(&config(), &fragment, &mut broken, NOW, &mut scratch).unwrap_err(),
        Error::Flow(FlowError::Storage)
    );
}

#[test]
fn transaction_older_than_its_lifetime_is_refused_and_consumed() {
    let mut store = TestStore::default();
    // Exactly as old as its lifetime (600 s): still valid.
    let req = start(&config(), &mut store);
    let mut scratch = [0u8; 2048];
    let fragment = success_fragment(&req);
    authorized(run(
        &config(),
        &fragment,
        &mut store,
        T0.saturating_add(secs(600)),
        &mut scratch,
    ));
    // A second older: refused.
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(
            &config(),
            &fragment,
            &mut store,
            T0.saturating_add(secs(601)),
            &mut scratch
        )
        .unwrap_err(),
        Error::Flow(FlowError::TransactionExpired)
    );
    assert_eq!(store.len(), 0);
}

#[test]
fn rfc6749_10_12_tampered_or_missing_state_is_refused() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let good = success_fragment(&req);
    let mut flipped = req.state.clone().into_bytes();
    flipped[42] = if flipped[42] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    // A `state` that is not the one sent finds no transaction: nothing is consumed.
    let cases = [
        (
            good.replace(&req.state, &flipped),
            FlowError::NoPendingTransaction,
        ),
        (
            good.replace(&req.state, &req.state[..42]),
            FlowError::NoPendingTransaction,
        ),
        (
            good.replace(&req.state, &format!("{}0", req.state)),
            FlowError::NoPendingTransaction,
        ),
        (
            good.replace(&req.state, &"A".repeat(65)),
            FlowError::NoPendingTransaction,
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
        let mut store = TestStore::default();
        let _ = start(&config(), &mut store); // same SeqRng seed: same state
        let mut scratch = [0u8; 2048];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            Error::Flow(want),
            "{fragment}"
        );
        assert_eq!(store.len(), 1, "the pending login is untouched");
        authorized(run(&config(), &good, &mut store, NOW, &mut scratch));
    }
}

#[test]
fn rfc6749_4_2_2_1_authentic_denial_is_an_outcome_and_consumes_the_transaction() {
    let mut store = TestStore::default();
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
    assert_eq!(store.len(), 0);
}

#[test]
fn rfc6749_4_2_2_1_unauthenticated_denials_are_errors() {
    for (fragment, want) in [
        (
            "error=access_denied".to_owned(),
            Error::Flow(FlowError::StateMissing),
        ),
        (
            "error=access_denied&state=evil".to_owned(),
            Error::Flow(FlowError::NoPendingTransaction),
        ),
    ] {
        let mut store = TestStore::default();
        start(&config(), &mut store);
        let mut scratch = [0u8; 64];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            want
        );
    }
}

#[test]
fn rfc9207_2_4_iss_response_parameter_must_match_the_issuer() {
    // In every mode an `iss` that is not the issuer is refused, before the transaction is
    // touched (a mix-up attempt does not burn the login).
    let fragments = |req: &Request| {
        [
            format!("error=login_required&state={}", req.state),
            success_fragment(req),
        ]
    };
    for mode in [
        IssParameter::Supported,
        IssParameter::Unsupported,
        IssParameter::Tolerated,
    ] {
        let c = base().iss_parameter(mode).build().unwrap();
        let mut store = TestStore::default();
        let req = start(&c, &mut store);
        for base in fragments(&req) {
            for evil in [
                "https%3A%2F%2Fevil.example",
                "https%3A%2F%2Fserver.example.com%2F",
            ] {
                let fragment = format!("{base}&iss={evil}");
                let mut scratch = [0u8; 2048];
                assert_eq!(
                    run(&c, &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
                    Error::Flow(FlowError::IssParameterMismatch),
                    "{mode:?} {fragment}"
                );
                assert_eq!(store.len(), 1);
            }
        }
    }
}

#[test]
fn rfc9207_2_4_supported_iss_parameter_is_required_unless_an_id_token_names_the_issuer() {
    let c = base()
        .iss_parameter(IssParameter::Supported)
        .build()
        .unwrap();
    let mut store = TestStore::default();
    let req = start(&c, &mut store);
    let mut scratch = [0u8; 2048];
    // An error response carries no ID token: without `iss` it is refused, and kept pending.
    let denial = format!("error=login_required&state={}", req.state);
    assert_eq!(
        run(&c, &denial, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::MissingParameter(Param::Iss))
    );
    assert_eq!(store.len(), 1);
    // With the issuer's `iss` it is an authentic denial.
    let denial = format!("{denial}&iss=https%3A%2F%2Fserver.example.com");
    assert!(matches!(
        run(&c, &denial, &mut store, NOW, &mut scratch),
        Ok(Outcome::Denied(_))
    ));
    // A success with an ID token: the token's verified `iss` does the same job.
    let req = start(&c, &mut store);
    authorized(run(
        &c,
        &success_fragment(&req),
        &mut store,
        NOW,
        &mut scratch,
    ));
    // `token` alone has no ID token: `iss` is required.
    let token = c
        .to_builder()
        .response_type(ResponseType::Token)
        .scope(&["read"])
        .build()
        .unwrap();
    let req = start(&token, &mut store);
    let fragment = format!("access_token={AT}&token_type=Bearer&state={}", req.state);
    assert_eq!(
        run(&token, &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::MissingParameter(Param::Iss))
    );
    let fragment = format!("{fragment}&iss=https%3A%2F%2Fserver.example.com");
    authorized(run(&token, &fragment, &mut store, NOW, &mut scratch));
}

#[test]
fn rfc9207_2_4_unadvertised_iss_parameter_is_discarded_unless_tolerated() {
    let with_iss = |req: &Request| {
        format!(
            "{}&iss=https%3A%2F%2Fserver.example.com",
            success_fragment(req)
        )
    };
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &with_iss(&req), &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::UnexpectedParameter(Param::Iss))
    );
    assert_eq!(store.len(), 1, "a discarded response consumes nothing");
    authorized(run(
        &config(),
        &success_fragment(&req),
        &mut store,
        NOW,
        &mut scratch,
    ));

    let tolerant = base()
        .iss_parameter(IssParameter::Tolerated)
        .build()
        .unwrap();
    let req = start(&tolerant, &mut store);
    authorized(run(
        &tolerant,
        &with_iss(&req),
        &mut store,
        NOW,
        &mut scratch,
    ));
    let req = start(&tolerant, &mut store);
    authorized(run(
        &tolerant,
        &success_fragment(&req),
        &mut store,
        NOW,
        &mut scratch,
    ));
}

#[test]
fn rfc9700_4_7_1_nonce_of_another_transaction_is_refused() {
    let mut store = TestStore::default();
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
fn oidc_core_3_2_2_9_substituted_access_token_is_refused() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req).replace(AT, "SlAV32hkKG");
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Claims(ClaimsError::AtHashMismatch)
    );
}

#[test]
fn oidc_core_3_2_2_5_tokens_required_by_the_response_type() {
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
        let mut store = TestStore::default();
        let req = start(&config(), &mut store);
        let fragment = req_fragment(&req, drop);
        let mut scratch = [0u8; 2048];
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            Error::Response(want),
            "{fragment}"
        );
    }
    let c = base().response_type(ResponseType::IdToken).build().unwrap();
    let mut store = TestStore::default();
    let req = start(&c, &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&c, &success_fragment(&req), &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::UnexpectedParameter(Param::AccessToken))
    );
}

#[test]
fn rfc6749_3_1_2_whole_callback_url_must_match_the_redirect_uri() {
    let mut store = TestStore::default();
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
fn oauth_form_post_2_mode_is_requested_and_parsed_from_the_body() {
    let c = base()
        .response_mode(ResponseMode::FormPost)
        .build()
        .unwrap();
    let mut store = TestStore::default();
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
fn rfc9700_4_4_2_transaction_is_bound_to_the_issuer_it_was_sent_to() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let other = Config::builder(
        Issuer::new("https://evil.example.com"),
        AuthorizationEndpoint::new(AUTHZ_EP),
        ClientId::new(CLIENT_ID),
        RedirectUri::new(REDIRECT),
    )
    .scope(&["openid", "profile"])
    .audience("https://api.example.com/appointments")
    .algorithms(&[Algorithm::HS256])
    .build()
    .unwrap();
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
    // A host-made transaction completes under the configuration it was made with only.
    let state = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    let nonce = "4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw";
    let req = Request {
        state: state.into(),
        nonce: nonce.into(),
    };
    let made = |config: &Config<'_>| Transaction::new(config, state, Some(nonce), T0).unwrap();
    for (transaction, bound) in [(made(&other), false), (made(&config()), true)] {
        let mut store = TestStore::holding(&transaction);
        let mut scratch = [0u8; 2048];
        let fragment = success_fragment(&req);
        let result = run(&config(), &fragment, &mut store, NOW, &mut scratch);
        assert_eq!(result.is_ok(), bound, "{result:?}");
    }
}

#[test]
fn oidc_core_3_1_2_1_max_age_requires_auth_time() {
    let c = base().max_age(secs(300)).build().unwrap();
    let mut store = TestStore::default();
    let req = start(&c, &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&c, &success_fragment(&req), &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Claims(ClaimsError::MissingClaim(implicit_grant::Claim::AuthTime))
    );
}

#[test]
fn corrupt_record_is_refused() {
    let req = Request {
        state: "x".repeat(43),
        nonce: NONCE.into(),
    };
    let mut store = TestStore::default();
    let corrupt = Record::from_bytes([0xFF; implicit_grant::limits::RECORD_LEN]);
    store
        .save(&TransactionKey::for_state(&req.state), &corrupt, T0)
        .unwrap();
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
fn rfc6749_10_10_weak_caller_supplied_state_or_nonce_is_refused() {
    use implicit_grant::ConfigError;
    let strong = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    assert_eq!(
        Transaction::new(
            &base().response_type(ResponseType::IdToken).build().unwrap(),
            STATE,
            Some(strong),
            T0
        )
        .unwrap_err(),
        ConfigError::Weak(Param::State)
    );
    assert_eq!(
        Transaction::new(
            &base().response_type(ResponseType::IdToken).build().unwrap(),
            strong,
            Some(NONCE),
            T0
        )
        .unwrap_err(),
        ConfigError::Weak(Param::Nonce)
    );
    assert_eq!(
        Transaction::new(
            &base()
                .response_type(ResponseType::IdTokenToken)
                .build()
                .unwrap(),
            strong,
            None,
            T0
        )
        .unwrap_err(),
        ConfigError::Missing(Param::Nonce)
    );
    assert!(
        Transaction::new(
            &base().response_type(ResponseType::Token).build().unwrap(),
            strong,
            None,
            T0
        )
        .is_ok()
    );
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let key = TransactionKey::for_state(&req.state);
    let record = store.take(&key).unwrap().unwrap();
    store.save(&key, &record, T0).unwrap();
    let transaction = Transaction::from_record(&record).unwrap();
    let mut scratch = [0u8; 2048];
    let outcome = run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap();
    let response = implicit_grant::parse_fragment(&fragment).unwrap();
    let id_token = id_token(&req.nonce, Some(AT));
    let debug = format!(
        "{outcome:?} {response:?} {transaction:?} {record:?} {store:?} {:?}",
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
fn rfc6750_2_1_bearer_header() {
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

#[test]
fn logins_in_two_tabs_complete_in_reverse_order() {
    let mut store = TestStore::default();
    let first = start(&config(), &mut store);
    let mut buf = [0u8; 1024];
    let url = begin(
        &config(),
        &mut SeqRng(99),
        &mut store,
        T0.saturating_add(secs(5)),
        &mut buf,
    )
    .unwrap();
    let second = Request {
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce").unwrap(),
    };
    assert_ne!(first.state, second.state);
    assert_eq!(store.len(), 2);
    let (later, earlier) = (success_fragment(&second), success_fragment(&first));
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &later, &mut store, NOW, &mut scratch));
    assert_eq!(session.claims.unwrap().nonce(), Some(second.nonce.as_str()));
    assert_eq!(store.len(), 1, "the other tab's login is still pending");
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &earlier, &mut store, NOW, &mut scratch));
    assert_eq!(session.claims.unwrap().nonce(), Some(first.nonce.as_str()));
    assert_eq!(store.len(), 0);
}

#[test]
fn silent_renewal_completes_while_an_interactive_login_is_pending() {
    let interactive = config();
    let silent = base().prompt(&[Prompt::None]).build().unwrap();
    let mut store = TestStore::default();
    let pending = start(&interactive, &mut store);
    let mut buf = [0u8; 1024];
    let url = begin(&silent, &mut SeqRng(42), &mut store, T0, &mut buf).unwrap();
    assert_eq!(query_value(url, "prompt").as_deref(), Some("none"));
    let renewal = Request {
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce").unwrap(),
    };
    // The provider answers the silent request first, with login_required.
    let denial = format!("error=login_required&state={}", renewal.state);
    let mut scratch = [0u8; 64];
    let Ok(Outcome::Denied(denial)) = run(&silent, &denial, &mut store, NOW, &mut scratch) else {
        panic!("expected an authentic denial")
    };
    assert_eq!(denial.error, ErrorCode::LoginRequired);
    let mut scratch = [0u8; 2048];
    authorized(run(
        &interactive,
        &success_fragment(&pending),
        &mut store,
        NOW,
        &mut scratch,
    ));
}

#[test]
fn rfc6749_10_12_stray_fragment_with_a_wrong_state_leaves_the_pending_login_usable() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let stray = Request {
        state: "injected-by-an-attacker-0123456789abcdefghi".into(),
        nonce: req.nonce.clone(),
    };
    let mut scratch = [0u8; 2048];
    for fragment in [
        success_fragment(&stray),
        format!("error=access_denied&state={}", stray.state),
    ] {
        assert_eq!(
            run(&config(), &fragment, &mut store, NOW, &mut scratch).unwrap_err(),
            Error::Flow(FlowError::NoPendingTransaction)
        );
    }
    assert_eq!(store.len(), 1);
    authorized(run(
        &config(),
        &success_fragment(&req),
        &mut store,
        NOW,
        &mut scratch,
    ));
}

#[test]
fn short_scratch_is_refused_with_the_exact_size_before_the_transaction_is_taken() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    // An access token that needs decoding takes scratch too.
    let fragment = success_fragment(&req);
    let mut small = [0u8; 100];
    let Err(Error::BufferTooSmall { required }) =
        run(&config(), &fragment, &mut store, NOW, &mut small)
    else {
        panic!("expected BufferTooSmall")
    };
    assert_eq!(store.len(), 1, "a caller's mistake does not burn the login");
    let mut short = vec![0u8; required - 1];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut short).unwrap_err(),
        Error::BufferTooSmall { required }
    );
    let mut exact = vec![0u8; required];
    authorized(run(&config(), &fragment, &mut store, NOW, &mut exact));
}

/// The size `complete` asks for, counted here from the token's parts: twice the decoded
/// header and payload, the decoded signature, and a copy of each token that
/// percent-decoding changes (RFC 6749 App. B lets a provider escape any character).
#[test]
fn scratch_complete_asks_for_matches_an_independent_count() {
    let decoded = |segment: &str| segment.len() * 6 / 8; // unpadded base64url
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let token = id_token(&req.nonce, Some(AT));
    let [header, payload, signature]: [&str; 3] =
        token.split('.').collect::<Vec<_>>().try_into().unwrap();
    let jwt = 2 * (decoded(header) + decoded(payload)) + decoded(signature);
    // `%6A` is `j`, the access token's first character; `%2E` is `.`.
    let escaped_at = format!("%6A{}", &AT[1..]);
    let escaped_idt = token.replace('.', "%2E");
    for (access_token, id_token, copies) in [
        (AT, token.as_str(), 0),
        (escaped_at.as_str(), token.as_str(), AT.len()),
        (AT, escaped_idt.as_str(), token.len()),
        (
            escaped_at.as_str(),
            escaped_idt.as_str(),
            AT.len() + token.len(),
        ),
    ] {
        let fragment = format!(
            "#access_token={access_token}&id_token={id_token}&token_type=Bearer&state={}",
            req.state
        );
        let Err(Error::BufferTooSmall { required }) =
            run(&config(), &fragment, &mut store, NOW, &mut [])
        else {
            panic!("expected BufferTooSmall for {fragment}")
        };
        assert_eq!(required, jwt + copies, "{fragment}");
    }
    let fragment = format!(
        "#access_token={escaped_at}&id_token={escaped_idt}&token_type=Bearer&state={}",
        req.state
    );
    let mut exact = vec![0u8; jwt + AT.len() + token.len()];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut exact));
    assert_eq!(session.access_token.map(|t| t.expose_secret()), Some(AT));
}

#[test]
fn leeway_over_the_limit_is_refused_when_the_config_is_built() {
    // Before 0.2 this failed in `complete`, after the user had logged in.
    assert_eq!(
        base().leeway(secs(301)).build().unwrap_err(),
        ConfigError::LeewayTooLarge
    );
    assert!(base().leeway(secs(300)).build().is_ok());
    for lifetime in [0, 24 * 3600 + 1] {
        assert_eq!(
            base()
                .transaction_lifetime(secs(lifetime))
                .build()
                .unwrap_err(),
            ConfigError::InvalidLifetime
        );
    }
    for lifetime in [1, 24 * 3600] {
        assert!(base().transaction_lifetime(secs(lifetime)).build().is_ok());
    }
}

#[test]
fn rfc6749_appendix_a_14_largest_expires_in_saturates_expires_at_and_one_more_is_refused() {
    for (expires_in, want) in [("18446744073709551615", u64::MAX), ("0", 0)] {
        let mut store = TestStore::default();
        let req = start(&config(), &mut store);
        let fragment =
            success_fragment(&req).replace("expires_in=7200", &format!("expires_in={expires_in}"));
        let mut scratch = [0u8; 2048];
        let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
        assert_eq!(session.expires_in, Some(secs(want)), "{expires_in}");
        assert_eq!(
            session.expires_at,
            Some(NOW.saturating_add(secs(want))),
            "{expires_in}"
        );
    }
    // One past the largest is no lifetime: refused before the store is touched.
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment =
        success_fragment(&req).replace("expires_in=7200", "expires_in=18446744073709551616");
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(&config(), &fragment, &mut store, NOW, &mut scratch).map(drop),
        Err(Error::Response(ResponseError::InvalidParameter(
            Param::ExpiresIn
        )))
    );
    assert_eq!(store.len(), 1, "the login stays pending");
}

#[test]
fn rfc6749_appendix_b_percent_escaped_id_token_decodes_like_any_value() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let token = id_token(&req.nonce, Some(AT));
    let escaped = token.replace('.', "%2E").replacen('e', "%65", 3);
    let fragment = success_fragment(&req).replace(&token, &escaped);
    assert!(fragment.contains("%2E"));
    let mut scratch = [0u8; 4096];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(session.id_token.unwrap().expose_secret(), token);
    // A character a JWS cannot hold stays refused, escaped or not.
    let req = start(&config(), &mut store);
    let bad = success_fragment(&req).replace(&token, &token.replacen('.', "%2F", 1));
    assert_eq!(
        run(&config(), &bad, &mut store, NOW, &mut scratch).unwrap_err(),
        Error::Response(ResponseError::InvalidParameter(Param::IdToken))
    );
}

#[test]
fn transaction_key_is_sha256_of_the_label_and_state_truncated_to_128_bits() {
    // Computed here independently: hosts persist keys, so the derivation is part of the API.
    let mut hasher = Sha256::new();
    hasher.update(b"implicit-grant transaction key v1\0");
    hasher.update(STATE.as_bytes());
    hasher.update([0u8]);
    let want = b64(&hasher.finalize()[..16]);
    assert_eq!(TransactionKey::for_state(STATE).as_str(), want);
    let t = Transaction::new(
        &base().response_type(ResponseType::Token).build().unwrap(),
        "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
        None,
        T0,
    )
    .unwrap();
    assert_eq!(
        t.key(),
        TransactionKey::for_state("nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA")
    );
    assert!(!format!("{:?}", t.key()).contains("nbV4"));
}

#[test]
fn memory_store_evicts_expired_transactions_first_then_the_oldest() {
    let token = base().response_type(ResponseType::Token).build().unwrap();
    let transaction = |i: usize, at: u64| {
        let state = format!("state-{i:02}-0123456789abcdefghijklmno");
        Transaction::new(&token, &state, None, UnixTime::from_secs(at)).unwrap()
    };
    let save = |store: &mut MemoryStore<3>, t: &Transaction| {
        store.save(&t.key(), &t.to_record(), t.issued_at()).unwrap();
    };
    let mut store = MemoryStore::<3>::with_lifetime(secs(600));
    let (a, b, c) = (
        transaction(0, 1000),
        transaction(1, 100),
        transaction(2, 1500),
    );
    for t in [&a, &b, &c] {
        save(&mut store, t);
    }
    let held = |store: &mut MemoryStore<3>, t: &Transaction| {
        let record = store.take(&t.key()).unwrap();
        if record.is_some() {
            save(store, t);
        }
        record.is_some()
    };
    // Full. At 1500, `b` (issued 1400 s before) has expired and `a` (500 s) has not: `b`
    // goes, although it is not the only candidate by age.
    let d = transaction(3, 1500);
    save(&mut store, &d);
    assert_eq!(
        [&a, &b, &c, &d].map(|t| held(&mut store, t)),
        [true, false, true, true]
    );
    // Full, and nothing has expired: the oldest, `a`, goes.
    let e = transaction(4, 1500);
    save(&mut store, &e);
    assert_eq!(
        [&a, &c, &d, &e].map(|t| held(&mut store, t)),
        [false, true, true, true]
    );
    for kept in [&c, &d, &e] {
        let record = store.take(&kept.key()).unwrap().expect("kept");
        assert_eq!(
            Transaction::from_record(&record).unwrap().expose_state(),
            kept.expose_state()
        );
    }
    assert!(store.is_empty());
    // Saving under a key already there replaces the record.
    let mut one = MemoryStore::<1>::new();
    let later = transaction(0, 1200);
    one.save(&a.key(), &a.to_record(), a.issued_at()).unwrap();
    one.save(&a.key(), &later.to_record(), later.issued_at())
        .unwrap();
    let record = one.take(&a.key()).unwrap().unwrap();
    assert_eq!(
        Transaction::from_record(&record).unwrap().issued_at(),
        UnixTime::from_secs(1200)
    );
    assert!(
        MemoryStore::<0>::new()
            .save(&a.key(), &a.to_record(), a.issued_at())
            .is_err()
    );
}

#[test]
fn every_secret_holding_type_redacts_its_debug() {
    use implicit_grant::jwt::{Compact, decode_unverified_claims};
    use implicit_grant::{AuthorizeRequest, Expectations, IdToken, parse_fragment};
    let (state, nonce) = (
        "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
        "4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw",
    );
    let token = id_token(nonce, Some(AT));
    let transaction = Transaction::new(
        &base()
            .response_type(ResponseType::IdTokenToken)
            .build()
            .unwrap(),
        state,
        Some(nonce),
        T0,
    )
    .unwrap();
    let mut store = MemoryStore::<2>::new();
    store
        .save(&transaction.key(), &transaction.to_record(), T0)
        .unwrap();
    let request = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .state(state)
        .nonce(nonce)
        .id_token_hint(&token)
        .login_hint("jane@example.com");
    let expectations = Expectations::new(ISSUER, CLIENT_ID, nonce, NOW).access_token(Some(AT));
    let fragment = format!("access_token={AT}&id_token={token}&state={state}");
    let response = parse_fragment(&fragment).unwrap();
    let mut scratch = [0u8; 2048];
    let json = decode_unverified_claims(&token, &mut scratch).unwrap();
    let key = hmac_key();
    let hmac = HmacKey::hs256(&key).unwrap();
    let silent = config().silent(hint(&token)).unwrap();
    let debug = format!(
        "{transaction:?} {:?} {store:?} {request:?} {expectations:?} {response:?} {json:?} {:?} {:?} {:?} {hmac:?} {silent:?}",
        transaction.to_record(),
        Compact::split(&token).unwrap(),
        AccessToken::new(AT),
        IdToken::new(&token),
    );
    for secret in [state, nonce, AT, token.as_str(), "jane@example.com"] {
        assert!(!debug.contains(secret), "{secret} leaked in {debug}");
    }
    let hex_key: String = key.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!debug.contains(&format!("{:?}", &key[..4])) && !debug.contains(&hex_key[..8]));
    assert!(debug.matches("[redacted]").count() >= 13, "{debug}");
    // Redacted, not empty: a configuration and a transaction still show what is not secret.
    let config_debug = format!("{silent:?}");
    assert!(
        config_debug.contains(ISSUER) && config_debug.contains("hinted_user"),
        "{config_debug}"
    );
    let transaction_debug = format!("{transaction:?}");
    assert!(
        transaction_debug.contains("IdTokenToken") && transaction_debug.contains("issued_at"),
        "{transaction_debug}"
    );
}

// ---------------------------------------------------------------------------------------
// Silent renewal (OIDC Core §3.1.2.1 `prompt=none`, §3.1.2.6).

#[test]
fn renew_at_is_the_access_token_expiry_less_the_margin() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    // `expires_in=7200` received at NOW.
    assert_eq!(session.expires_at, Some(now_plus(7200)));
    assert_eq!(session.renew_at(secs(60)), Some(now_plus(7140)));
    assert_eq!(
        session.renew_at(secs(u64::MAX)),
        Some(UnixTime::from_secs(0))
    );
    // Without `expires_in`, the ID token's `exp` (1311281970) decides.
    let req = start(&config(), &mut store);
    let fragment = success_fragment(&req).replace("&expires_in=7200", "");
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(session.expires_at, None);
    assert_eq!(
        session.renew_at(secs(60)),
        Some(UnixTime::from_secs(1_311_281_970 - 60))
    );
}

#[test]
fn oidc_core_3_1_2_1_silent_renewal_sends_prompt_none_with_the_last_id_token_and_completes() {
    let mut store = TestStore::default();
    let base = config();
    let last_id_token = id_token(NONCE, Some(AT));
    let silent = base.silent(hint(&last_id_token)).unwrap();
    let mut buf = [0u8; 2048];
    let url = begin(&silent, &mut SeqRng(9), &mut store, T0, &mut buf).unwrap();
    assert_eq!(query_value(url, "prompt").as_deref(), Some("none"));
    assert_eq!(
        query_value(url, "id_token_hint").as_deref(),
        Some(last_id_token.as_str())
    );
    let req = Request {
        state: query_value(url, "state").unwrap(),
        nonce: query_value(url, "nonce").unwrap(),
    };
    // The renewal's response completes under the interactive configuration too: a
    // transaction is bound to the provider and client, not to the prompt.
    let fragment = success_fragment(&req);
    let mut scratch = [0u8; 2048];
    authorized(run(&base, &fragment, &mut store, NOW, &mut scratch));
    // `max_age=0` with `prompt=none` could only end in `login_required`.
    assert_eq!(
        silent.to_builder().max_age(secs(0)).build().unwrap_err(),
        ConfigError::MaxAgeZeroWithPromptNone
    );
    assert_eq!(
        base.to_builder()
            .max_age(secs(0))
            .build()
            .unwrap()
            .silent(hint(&last_id_token))
            .unwrap_err(),
        ConfigError::MaxAgeZeroWithPromptNone
    );
}

/// A renewal's fragment, as a provider that ignores `id_token_hint` writes it: an ID token
/// for `sub`, whoever the hint named.
fn renewal_for(sub: &str, req: &Request) -> String {
    format!(
        "#access_token={AT}&id_token={}&token_type=Bearer&expires_in=7200&state={}",
        id_token_of(sub, &req.nonce),
        req.state
    )
}

#[test]
fn oidc_core_3_1_2_1_a_renewal_answered_for_another_user_is_refused_and_consumed() {
    // The provider's session switched to another user, and it ignores the hint.
    let last_id_token = id_token(NONCE, Some(AT)); // sub 248289761001
    let silent = config().silent(hint(&last_id_token)).unwrap();
    for completing in [silent, config()] {
        let mut store = TestStore::default();
        let req = start(&silent, &mut store);
        let fragment = renewal_for("90342.ASDFJWFA", &req);
        let mut scratch = [0u8; 2048];
        let refused = run(&completing, &fragment, &mut store, NOW, &mut scratch).map(drop);
        assert_eq!(refused, Err(Error::Flow(FlowError::UserMismatch)));
        assert_eq!(
            refused.unwrap_err().kind(),
            implicit_grant::ErrorKind::Refused
        );
        assert_eq!(store.len(), 0, "a refused renewal consumes its transaction");
        // The hinted user is renewed, under either configuration.
        let req = start(&silent, &mut store);
        let fragment = renewal_for("248289761001", &req);
        let session = authorized(run(&completing, &fragment, &mut store, NOW, &mut scratch));
        assert_eq!(session.claims.unwrap().sub(), "248289761001");
    }
    // A subject that only starts like the hinted one is another user.
    let mut store = TestStore::default();
    let req = start(&silent, &mut store);
    let mut scratch = [0u8; 2048];
    assert_eq!(
        run(
            &silent,
            &renewal_for("2482897610011", &req),
            &mut store,
            NOW,
            &mut scratch
        )
        .map(drop),
        Err(Error::Flow(FlowError::UserMismatch))
    );
}

#[test]
fn a_verified_session_names_its_user_as_the_hint_of_its_renewal() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let fragment = renewal_for("alice", &req);
    let mut scratch = [0u8; 2048];
    let session = authorized(run(&config(), &fragment, &mut store, NOW, &mut scratch));
    let silent = config().silent(session.id_token_hint().unwrap()).unwrap();
    assert_eq!(
        silent.id_token_hint(),
        session.id_token.map(|t| t.expose_secret())
    );
    for (sub, renewed) in [("bob", false), ("alice", true)] {
        let req = start(&silent, &mut store);
        let fragment = renewal_for(sub, &req);
        let mut scratch = [0u8; 2048];
        let outcome = run(&silent, &fragment, &mut store, NOW, &mut scratch);
        assert_eq!(
            matches!(outcome, Ok(Outcome::Authorized(_))),
            renewed,
            "{sub}"
        );
    }
    // A session without an ID token has no hint to give.
    let token_only = base().response_type(ResponseType::Token).build().unwrap();
    let req = start(&token_only, &mut store);
    let fragment = format!("#access_token={AT}&token_type=Bearer&state={}", req.state);
    let mut scratch = [0u8; 256];
    let session = authorized(run(&token_only, &fragment, &mut store, NOW, &mut scratch));
    assert!(session.id_token_hint().is_none());
}

#[test]
fn a_hint_needs_an_id_token_in_the_response_to_check_its_user() {
    let last_id_token = id_token(NONCE, Some(AT));
    let token_only = base().response_type(ResponseType::Token);
    assert_eq!(
        token_only
            .id_token_hint(hint(&last_id_token))
            .build()
            .unwrap_err(),
        ConfigError::Forbidden(Param::IdTokenHint)
    );
    assert_eq!(
        token_only
            .build()
            .unwrap()
            .silent(hint(&last_id_token))
            .unwrap_err(),
        ConfigError::Forbidden(Param::IdTokenHint)
    );
    // A hint of another issuer: refused, not sent there (OIDC Core §3.1.2.1).
    let foreign = sign_hs256(
        HS256_HEADER,
        &claims(NONCE, "").replace(ISSUER, "https://other.example.com"),
    );
    assert_eq!(
        config().silent(hint(&foreign)).unwrap_err(),
        ConfigError::ForeignHint
    );
    // A hint without `sub` names no user: refused when read.
    let no_sub = sign_hs256(
        HS256_HEADER,
        &claims(NONCE, "").replace(r#""sub":"248289761001","#, ""),
    );
    assert_eq!(
        IdTokenHint::read(&no_sub, &mut [0u8; 1024]).err(),
        Some(Error::Claims(ClaimsError::MissingClaim(
            implicit_grant::Claim::Sub
        )))
    );
}

#[test]
fn oidc_core_3_1_2_6_silent_renewal_answers_that_need_the_user_are_authentic_denials() {
    let last_id_token = id_token(NONCE, Some(AT));
    let silent = config().silent(hint(&last_id_token)).unwrap();
    for (code, needs_interaction) in [
        ("login_required", true),
        ("interaction_required", true),
        ("consent_required", true),
        ("account_selection_required", true),
        ("access_denied", false),
        ("server_error", false),
        ("temporarily_unavailable", false),
    ] {
        let mut store = TestStore::default();
        let req = start(&silent, &mut store);
        let fragment = format!("#error={code}&state={}", req.state);
        // The same answer with a `state` the login never sent is no denial: nothing proves
        // it came from the provider (RFC 9207 §2.4), and the login stays pending.
        let last = if req.state.ends_with('A') { 'B' } else { 'A' };
        let forged = format!("#error={code}&state={}{last}", &req.state[..42]);
        let mut scratch = [0u8; 64];
        assert_eq!(
            run(&silent, &forged, &mut store, NOW, &mut scratch).err(),
            Some(Error::Flow(FlowError::NoPendingTransaction)),
            "{code}"
        );
        assert_eq!(store.len(), 1, "{code}: a forged answer consumes nothing");
        let Ok(Outcome::Denied(denial)) = run(&silent, &fragment, &mut store, NOW, &mut scratch)
        else {
            panic!("{code}: expected a denial");
        };
        assert_eq!(denial.error.as_str(), Some(code));
        assert_eq!(denial.needs_interaction(), needs_interaction, "{code}");
        assert_eq!(store.len(), 0, "{code}: the transaction is consumed");
    }
}

// ---------------------------------------------------------------------------------------
// Randomness adapters.

#[cfg(feature = "rand_core")]
#[test]
fn rand_core_generators_drive_begin_and_their_failures_abort_it() {
    use chacha20::ChaCha20Rng;
    use implicit_grant::RandCore;
    use rand_core::{Rng, SeedableRng, TryCryptoRng, TryRng};

    // `state` is the base64url of the generator's first 32 bytes, `nonce` of the next 32.
    let mut reference = ChaCha20Rng::from_seed([42; 32]);
    let (mut state, mut nonce) = ([0u8; 32], [0u8; 32]);
    reference.fill_bytes(&mut state);
    reference.fill_bytes(&mut nonce);
    let mut store = TestStore::default();
    let mut rng = RandCore(ChaCha20Rng::from_seed([42; 32]));
    let mut buf = [0u8; 1024];
    let url = begin(&config(), &mut rng, &mut store, T0, &mut buf).unwrap();
    assert_eq!(query_value(url, "state"), Some(b64(&state)));
    assert_eq!(query_value(url, "nonce"), Some(b64(&nonce)));

    /// A hardware generator whose health test failed.
    struct Failing;
    impl TryRng for Failing {
        type Error = std::io::Error;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Err(std::io::Error::other("health test"))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Err(std::io::Error::other("health test"))
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
            Err(std::io::Error::other("health test"))
        }
    }
    impl TryCryptoRng for Failing {}
    let mut store = TestStore::default();
    assert_eq!(
        begin(&config(), &mut RandCore(Failing), &mut store, T0, &mut buf),
        Err(Error::Flow(FlowError::Random))
    );
    assert_eq!(store.len(), 0);
}

#[cfg(feature = "getrandom")]
#[test]
// getrandom's system call is foreign to Miri's isolation.
#[cfg_attr(miri, ignore)]
fn the_os_generator_gives_each_login_its_own_state() {
    use implicit_grant::OsRandom;
    let mut store = TestStore::default();
    let (mut a, mut b) = ([0u8; 1024], [0u8; 1024]);
    let first = begin(&config(), &mut OsRandom, &mut store, T0, &mut a).unwrap();
    let second = begin(&config(), &mut OsRandom, &mut store, T0, &mut b).unwrap();
    let (s1, s2) = (query_value(first, "state"), query_value(second, "state"));
    assert_ne!(s1, s2);
    assert_ne!(query_value(first, "nonce"), query_value(second, "nonce"));
    assert_eq!(store.len(), 2);
}

/// Every setting survives the copy into an `OwnedConfig`: the lent `Config` prints the same
/// (hints redacted alike), `begin` writes the same URL byte for byte from the same
/// randomness, and `complete` finishes with the owned form a login begun with the
/// borrowed one — after the strings it was built from are gone.
#[test]
fn owned_config_is_the_config_it_copies() {
    let strings: Vec<String> = [
        "openid",
        "profile",
        "fr-CA",
        "en",
        "urn:mace:incommon:iap:silver",
        "resource",
        "https://api.example.com/x",
        "https://api.example.com/appointments",
        "alice@example.com",
        "https://other.example/aud",
    ]
    .map(String::from)
    .to_vec();
    let s: Vec<&str> = strings.iter().map(String::as_str).collect();
    let extra = [(s[5], s[6])];
    let built = builder()
        .scope(&s[..2])
        .audience(s[7])
        .ui_locales(&s[2..4])
        .acr_values(&s[4..5])
        .extra(&extra)
        .login_hint(s[8])
        .display(Display::Popup)
        .prompt(&[Prompt::Login, Prompt::Consent])
        .max_age(secs(600))
        .algorithms(&[Algorithm::HS256, Algorithm::RS256])
        .trusted_audiences(&s[9..])
        .leeway(secs(30))
        .transaction_lifetime(secs(900))
        .iss_parameter(IssParameter::Tolerated)
        .build()
        .unwrap();
    let owned: OwnedConfig = OwnedConfig::new(&built).unwrap();
    let borrowed_debug = format!("{built:?}");
    let (mut a, mut b) = ([0u8; 1024], [0u8; 1024]);
    let url = begin(
        &built,
        &mut SeqRng(7),
        &mut TestStore::default(),
        T0,
        &mut a,
    )
    .unwrap()
    .to_owned();
    let mut store = TestStore::default();
    let req = start(&built, &mut store);
    drop(s);
    drop(strings);

    assert_eq!(owned.with(|c| format!("{c:?}")), borrowed_debug);
    assert_eq!(format!("{owned:?}"), borrowed_debug);
    let again = owned.with(|c| {
        begin(c, &mut SeqRng(7), &mut TestStore::default(), T0, &mut b).map(str::to_owned)
    });
    assert_eq!(again.unwrap(), url);
    assert!(url.contains("&ui_locales=fr-CA%20en&") && url.contains("&resource=https%3A%2F%2Fapi"));
    // `max_age` came along: the ID token must carry `auth_time`.
    let extra = format!(
        r#","auth_time":{},"at_hash":"{}""#,
        T0.as_secs(),
        at_hash(AT)
    );
    let id_token = sign_hs256(HS256_HEADER, &claims(&req.nonce, &extra));
    let fragment = format!(
        "#access_token={AT}&id_token={id_token}&token_type=Bearer&state={}",
        req.state
    );
    let mut scratch = [0u8; 2048];
    let outcome = owned.with(|c| run(c, &fragment, &mut store, NOW, &mut scratch));
    assert_eq!(authorized(outcome).claims.unwrap().sub(), "248289761001");
}

/// The owned form refuses what it has no room for, with the bytes needed, instead of
/// cutting a value short.
#[test]
fn owned_config_refuses_what_it_cannot_hold() {
    let config = config();
    let text: usize = [ISSUER, AUTHZ_EP, CLIENT_ID, REDIRECT, "openid", "profile"]
        .iter()
        .map(|s| s.len())
        .sum::<usize>()
        + "https://api.example.com/appointments".len();
    assert_eq!(
        OwnedConfig::<64>::new(&config).err(),
        Some(ConfigError::TextTooLongToOwn {
            required: text,
            capacity: 64
        })
    );
    assert!(OwnedConfig::<256>::new(&config).is_ok());
    let many = ["openid"; 17];
    let config = builder().scope(&many).build().unwrap();
    assert_eq!(
        OwnedConfig::<1024>::new(&config).err(),
        Some(ConfigError::ListTooLongToOwn("scope"))
    );
    assert_eq!(
        Error::from(ConfigError::ListTooLongToOwn("scope")).kind(),
        implicit_grant::ErrorKind::Misuse
    );
}

/// The byte offsets of the record's fields (flow/transaction.rs): after the version, the
/// two codes, `state` (1 + 64), `nonce` (1 + 64) and the issue time (8).
const MAX_AGE_AT: usize = 3 + 65 + 65 + 8;
const RETRY_AT: usize = MAX_AGE_AT + 9 + 32;
const USER_AT: usize = RETRY_AT + 33;
const VERIFIER_AT: usize = USER_AT + 33;

#[test]
fn a_record_with_bytes_where_it_holds_nothing_is_corrupt() {
    let mut store = TestStore::default();
    let req = start(&config(), &mut store);
    let record = store
        .inner
        .take(&TransactionKey::for_state(&req.state))
        .unwrap()
        .unwrap();
    let bytes = *record.expose_secret();
    assert!(Transaction::from_record(&Record::from_bytes(bytes)).is_ok());
    // Past the 43 characters of `state`; in the absent `max_age`, retry hash, user and
    // PKCE verifier.
    for at in [
        4 + 43,
        MAX_AGE_AT + 1,
        RETRY_AT + 1,
        USER_AT + 1,
        USER_AT + 32,
        VERIFIER_AT + 1,
        VERIFIER_AT + 64,
    ] {
        let mut altered = bytes;
        altered[at] = 1;
        assert_eq!(
            Transaction::from_record(&Record::from_bytes(altered)).err(),
            Some(FlowError::CorruptTransaction),
            "byte {at}"
        );
    }
    assert_eq!(VERIFIER_AT + 65, implicit_grant::limits::RECORD_LEN);
    // Well-formed bytes that mean what this crate never writes: an ID token expected
    // without a nonce, a user to check in a response without an ID token, a PKCE
    // verifier for an implicit response type.
    assert!(
        bytes[1] != 0 && bytes[68] != 0,
        "an ID token and its nonce are expected"
    );
    let mut no_nonce = bytes;
    no_nonce[68..133].fill(0);
    let mut user_without_id_token = bytes;
    user_without_id_token[1] = 0; // `token`
    user_without_id_token[USER_AT] = 1;
    let mut implicit_verifier = bytes;
    implicit_verifier[VERIFIER_AT] = 43;
    implicit_verifier[VERIFIER_AT + 1..VERIFIER_AT + 44].fill(b'v');
    for altered in [no_nonce, user_without_id_token, implicit_verifier] {
        assert_eq!(
            Transaction::from_record(&Record::from_bytes(altered)).err(),
            Some(FlowError::CorruptTransaction)
        );
    }
}

#[test]
fn the_record_of_a_renewal_holds_its_user_salted_with_the_nonce() {
    let last_id_token = id_token(NONCE, Some(AT));
    let silent = config().silent(hint(&last_id_token)).unwrap();
    // The user's hash as it could be guessed: length of `iss`, `iss`, `sub`.
    let mut guess = Sha256::new();
    guess.update((ISSUER.len() as u64).to_le_bytes());
    guess.update(ISSUER.as_bytes());
    guess.update(b"248289761001");
    let guess = guess.finalize();
    let mut store = TestStore::default();
    let users: Vec<[u8; 32]> = (0..2u8)
        .map(|i| {
            let mut buf = [0u8; 2048];
            let url = begin(&silent, &mut SeqRng(i), &mut store, T0, &mut buf).unwrap();
            let state = query_value(url, "state").unwrap();
            let record = store
                .inner
                .take(&TransactionKey::for_state(&state))
                .unwrap()
                .unwrap();
            let bytes = record.expose_secret();
            assert_eq!(bytes[USER_AT], 1, "the record names a user");
            assert!(!bytes.windows(32).any(|w| w == guess.as_slice()));
            bytes[USER_AT + 1..USER_AT + 33].try_into().unwrap()
        })
        .collect();
    assert_ne!(users[0], users[1], "each renewal's nonce salts its user");
}
