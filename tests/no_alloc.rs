//! Zero heap allocations in every public entry point, `begin` and `complete` included,
//! proven under a counting global allocator (a `harness = false` test: the libtest harness
//! allocates on its own threads).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use common::*;
use implicit_grant::SignatureVerifier;
use implicit_grant::jwt;
use implicit_grant::verify::{HmacKey, Jwk, Jwks};
use implicit_grant::{
    AccessToken, AuthorizeRequest, Outcome, ResponseType, TransactionKey, TransactionStore,
    bearer_header, begin, complete, parse_form_post, parse_fragment, parse_query,
};
use implicit_grant::{Algorithm, Expectations};

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: forwards every call to `System` unchanged; only counts allocations.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(SeqCst);
    f();
    ALLOCATIONS.load(SeqCst) - before
}

const STATE_43: &str = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
const NONCE_43: &str = "4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw";

fn main() {
    if cfg!(miri) {
        // Signing the RSA fixtures takes hours in the interpreter; Miri checks the same
        // code paths through the other test files.
        println!("no_alloc: skipped under Miri");
        return;
    }
    // Inputs are built (with allocations) before counting starts.
    let key = hmac_key();
    let base = builder()
        .scope(&["openid", "profile"])
        .algorithms(&[Algorithm::HS256]);
    let config = base.build().unwrap();
    let mut store = TestStore::default();
    let mut url_buf = [0u8; 1024];
    let url = begin(&config, &mut SeqRng(3), &mut store, NOW, &mut url_buf).unwrap();
    let field = |name: &str| {
        let (_, q) = url.split_once('?').unwrap();
        q.split('&')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .unwrap()
            .to_owned()
    };
    let (state, nonce) = (field("state"), field("nonce"));
    let at_hash = {
        let mut out = [0u8; 43];
        jwt::at_hash(Algorithm::HS256, AT, &mut out)
            .unwrap()
            .to_owned()
    };
    let id_token = sign_hs256(
        HS256_HEADER,
        &claims(&nonce, &format!(r#","at_hash":"{at_hash}""#)),
    );
    let fragment = format!(
        "#access_token={AT}&id_token={id_token}&token_type=Bearer&expires_in=7200&state={state}"
    );
    let error_body = format!("error=login_required&error_description=a+b&state={state}");
    let tx_key = TransactionKey::for_state(&state);
    let record = store.take(&tx_key).unwrap().unwrap();
    let pending = || {
        let mut store = TestStore::default();
        store.save(&tx_key, &record, NOW).unwrap();
        store
    };
    // The same login answered with RS256 and ES256 ID tokens from real keys.
    let jwks_text = jwks_json(&["rsa-2048-a", "rsa-4096", "p256-a"]);
    let rotated_text = jwks_json(&["p256-a"]);
    let p256_jwk = public_jwk("p256-a");
    let rsa_config = base
        .algorithms(&[Algorithm::RS256, Algorithm::ES256])
        .build()
        .unwrap();
    let payload = claims(&nonce, &format!(r#","at_hash":"{at_hash}""#));
    let rs256_fragment = fragment.replace(
        &id_token,
        &sign("rsa-2048-a", &header("RS256", "rsa-2048-a"), &payload),
    );
    let es256_token = sign("p256-a", &header("ES256", "p256-a"), &payload);
    let rs4096_token = sign("rsa-4096", &header("RS256", "rsa-4096"), &payload);
    // The other families, without at_hash (its hash follows the algorithm).
    let plain = claims(&nonce, "");
    let other_families = [
        sign("rsa-2048-pss", &header("PS256", "rsa-2048-pss"), &plain),
        sign("p384-a", &header("ES384", "p384-a"), &plain),
        sign("p521-a", &header("ES512", "p521-a"), &plain),
        sign("ed25519-a", &header("EdDSA", "ed25519-a"), &plain),
    ];
    let other_jwks_text = jwks_json(&["rsa-2048-pss", "p384-a", "p521-a", "ed25519-a"]);

    // The counter itself works: one boxed value is one allocation.
    assert_eq!(allocations(|| drop(std::hint::black_box(Box::new(1u8)))), 1);

    let mut results: Vec<(&str, usize)> = Vec::new();
    let mut check = |name: &'static str, f: &mut dyn FnMut()| results.push((name, allocations(f)));

    check("Config::builder, build", &mut || {
        let built = base.login_hint("jane@example.com").build().unwrap();
        assert!(base.leeway(secs(301)).build().is_err());
        let _ = (built.issuer(), built.request(), built.to_builder());
    });
    check("OwnedConfig::new, with begin", &mut || {
        let owned: implicit_grant::OwnedConfig = implicit_grant::OwnedConfig::new(&config).unwrap();
        let mut store = TestStore::default();
        let mut out = [0u8; 1024];
        owned
            .with(|c| begin(c, &mut SeqRng(3), &mut store, NOW, &mut out).map(str::len))
            .unwrap();
    });
    check("begin", &mut || {
        let mut store = TestStore::default();
        let mut out = [0u8; 1024];
        begin(&config, &mut SeqRng(3), &mut store, NOW, &mut out).unwrap();
    });
    check("complete", &mut || {
        let mut store = pending();
        let verifier = HmacKey::hs256(&key).unwrap();
        let mut scratch = [0u8; 4096];
        let outcome =
            complete(&config, &fragment, &mut store, &verifier, NOW, &mut scratch).unwrap();
        let Outcome::Authorized(session) = outcome else {
            panic!("not authorized")
        };
        let mut header = [0u8; 128];
        bearer_header(session.access_token.unwrap(), &mut header).unwrap();
    });
    check("complete (denied)", &mut || {
        let c = base
            .response_mode(implicit_grant::ResponseMode::FormPost)
            .build()
            .unwrap();
        let verifier = HmacKey::hs256(&key).unwrap();
        let mut store = TestStore::default();
        let mut out = [0u8; 1024];
        let url = begin(&c, &mut SeqRng(3), &mut store, NOW, &mut out).unwrap();
        assert!(url.contains("response_mode=form_post"));
        let mut scratch = [0u8; 64];
        let outcome = complete(&c, &error_body, &mut store, &verifier, NOW, &mut scratch).unwrap();
        assert!(matches!(outcome, Outcome::Denied(_)));
    });
    check("AuthorizeRequest", &mut || {
        let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
            .response_type(ResponseType::IdTokenToken)
            .scope(&["openid", "profile"])
            .state(STATE)
            .nonce(NONCE);
        let mut out = [0u8; 512];
        req.write_into(&mut out).unwrap();
        req.to_string::<512>().unwrap();
        let mut small = [0u8; 8];
        assert!(req.write_into(&mut small).is_err());
    });
    check("parse_*", &mut || {
        parse_fragment(&fragment).unwrap();
        parse_query("https://client.example.org/cb?error=access_denied&state=xyz").unwrap();
        parse_form_post(&error_body).unwrap();
        assert!(parse_fragment("#state=%zz").is_err());
    });
    #[cfg(feature = "code")]
    check(
        "CodeVerifier, TokenRequest, parse_token_response",
        &mut || {
            use implicit_grant::{
                ClientAuthMethod, ClientSecret, CodeVerifier, RefreshToken, TokenRequest,
                parse_token_response,
            };
            let verifier =
                CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
            assert!(verifier.challenge().as_str().starts_with("E9Mel"));
            let request = TokenRequest::authorization_code(&config, "Splx lOB", verifier)
                .unwrap()
                .client_secret(
                    ClientSecret::new("gX1f:Bat3bV"),
                    ClientAuthMethod::SecretBasic,
                )
                .unwrap();
            let mut buf = [0u8; 512];
            request.body(&mut buf).unwrap();
            request.authorization(&mut buf).unwrap().unwrap();
            assert!(request.body(&mut [0u8; 8]).is_err());
            let refresh =
                TokenRequest::refresh(&config, RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"));
            refresh
                .unwrap()
                .scope(&["openid"])
                .unwrap()
                .body(&mut buf)
                .unwrap();
            let body = r#"{"access_token":"2Yot\"nF","token_type":"Bearer","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","scope":"openid"}"#;
            parse_token_response(200, body, &mut buf).unwrap();
            parse_token_response(400, r#"{"error":"invalid_grant"}"#, &mut buf).unwrap();
            assert!(parse_token_response(200, body, &mut [0u8; 8]).is_err());
        },
    );
    #[cfg(feature = "code")]
    {
        use implicit_grant::{Callback, Redeemed, ResponseType, callback};
        let code_config = base.response_type(ResponseType::Code).build().unwrap();
        let mut code_store = TestStore::default();
        let mut url_buf = [0u8; 1024];
        let url = begin(
            &code_config,
            &mut SeqRng(9),
            &mut code_store,
            NOW,
            &mut url_buf,
        )
        .unwrap();
        let value = |name: &str| {
            let (_, q) = url.split_once('?').unwrap();
            q.split('&')
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .unwrap()
                .to_owned()
        };
        let redirect = format!("{REDIRECT}?code=Splx%2BlOB&state={}", value("state"));
        let id_token = sign_hs256(HS256_HEADER, &claims(&value("nonce"), ""));
        let body = format!(
            r#"{{"access_token":"{AT}","token_type":"Bearer","refresh_token":"8xLOxBtZp8","id_token":"{id_token}"}}"#
        );
        // The refresh's ID token: the same claims without `nonce` (OIDC Core §12.2).
        let without_nonce =
            claims(&value("nonce"), "").replace(&format!(r#""nonce":"{}","#, value("nonce")), "");
        let refreshed = format!(
            r#"{{"access_token":"{AT}","token_type":"Bearer","id_token":"{}"}}"#,
            sign_hs256(HS256_HEADER, &without_nonce)
        );
        let mut pending = code_store.inner.clone();
        check(
            "callback, CodeGrant::token_request, CodeGrant::redeem, Refresh",
            &mut || {
                let mut scratch = [0u8; 16];
                let Ok(Callback::Code(mut grant)) =
                    callback(&code_config, &redirect, &mut pending, NOW, &mut scratch)
                else {
                    panic!("expected a code");
                };
                let mut buf = [0u8; 512];
                grant
                    .token_request(&code_config)
                    .unwrap()
                    .body(&mut buf)
                    .unwrap();
                let verifier = HmacKey::hs256(&key).unwrap();
                let mut scratch = [0u8; 2048];
                let redeemed = grant.redeem(&code_config, 200, &body, &verifier, NOW, &mut scratch);
                assert!(matches!(redeemed, Ok(Redeemed::Authorized(_))));
                let mut again = [0u8; 1024];
                begin(&code_config, &mut SeqRng(10), &mut pending, NOW, &mut again).unwrap();
                let session_id_token = implicit_grant::IdToken::new(&id_token);
                let rt = implicit_grant::RefreshToken::new("8xLOxBtZp8");
                let refresh = implicit_grant::Refresh::new(rt, Some(session_id_token));
                refresh
                    .token_request(&code_config)
                    .unwrap()
                    .body(&mut buf)
                    .unwrap();
                let mut scratch = [0u8; 4096];
                let refreshed =
                    refresh.redeem(&code_config, 200, &refreshed, &verifier, NOW, &mut scratch);
                assert!(matches!(refreshed, Ok(Redeemed::Authorized(_))));
            },
        );
    }
    check("verify_id_token", &mut || {
        let verifier = HmacKey::hs256(&key).unwrap();
        let e = Expectations::new(ISSUER, CLIENT_ID, &nonce, NOW)
            .algorithms(&[Algorithm::HS256])
            .access_token(Some(AT));
        let mut scratch = [0u8; 2048];
        let claims =
            implicit_grant::verify_id_token(&id_token, &e, &verifier, &mut scratch).unwrap();
        #[derive(serde::Deserialize)]
        struct Sub<'a> {
            sub: &'a str,
        }
        assert_eq!(
            claims.decode_claims::<Sub>(&mut []).unwrap().sub,
            "248289761001"
        );
        let mut scratch = [0u8; 2048];
        jwt::decode_header(IDT_A3, &mut scratch).unwrap();
        jwt::decode_unverified_claims(IDT_A3, &mut scratch).unwrap();
    });
    check("Jwks::parse, Jwks::load, Jwk::parse", &mut || {
        let mut jwks = Jwks::parse(&jwks_text).unwrap();
        assert_eq!(jwks.len(), 3);
        jwks.load(&rotated_text).unwrap();
        Jwk::parse(&p256_jwk).unwrap();
        assert!(Jwks::parse("{}").is_err());
    });
    check("complete (RS256 via Jwks)", &mut || {
        let jwks = Jwks::parse(&jwks_text).unwrap();
        let mut store = pending();
        let mut scratch = [0u8; 4096];
        let outcome = complete(
            &rsa_config,
            &rs256_fragment,
            &mut store,
            &jwks,
            NOW,
            &mut scratch,
        )
        .unwrap();
        assert!(matches!(outcome, Outcome::Authorized(_)));
    });
    check("complete (KeysOutdated, then the retry)", &mut || {
        let before = Jwks::parse(&rotated_text).unwrap();
        let after = Jwks::parse(&jwks_text).unwrap();
        let mut store = pending();
        let mut scratch = [0u8; 4096];
        let first = complete(
            &rsa_config,
            &rs256_fragment,
            &mut store,
            &before,
            NOW,
            &mut scratch,
        );
        assert!(matches!(first, Ok(Outcome::KeysOutdated)));
        let mut scratch = [0u8; 4096];
        let again = complete(
            &rsa_config,
            &rs256_fragment,
            &mut store,
            &after,
            NOW,
            &mut scratch,
        );
        assert!(matches!(again, Ok(Outcome::Authorized(_))));
    });
    check("verify_id_token (ES256, RS256-4096)", &mut || {
        let jwks = Jwks::parse(&jwks_text).unwrap();
        let e = Expectations::new(ISSUER, CLIENT_ID, &nonce, NOW)
            .algorithms(&[Algorithm::RS256, Algorithm::ES256])
            .access_token(Some(AT));
        for token in [&es256_token, &rs4096_token] {
            let mut scratch = [0u8; 4096];
            implicit_grant::verify_id_token(token, &e, &jwks, &mut scratch).unwrap();
        }
        let mut scratch = [0u8; 256];
        let header = jwt::decode_header(&es256_token, &mut scratch).unwrap();
        assert!(jwks.verify(&header, b"forged", &[0; 64]).is_err());
    });
    check("verify_id_token (PS256, ES384, ES512, EdDSA)", &mut || {
        let jwks = Jwks::parse(&other_jwks_text).unwrap();
        let e = Expectations::new(ISSUER, CLIENT_ID, &nonce, NOW).algorithms(&[
            Algorithm::PS256,
            Algorithm::ES384,
            Algorithm::ES512,
            Algorithm::EdDSA,
        ]);
        for token in &other_families {
            let mut scratch = [0u8; 4096];
            implicit_grant::verify_id_token(token, &e, &jwks, &mut scratch).unwrap();
        }
    });
    check("the rest of the public API", &mut || {
        let with_max_age = base.max_age(secs(60)).build().unwrap();
        let t =
            implicit_grant::Transaction::new(&with_max_age, STATE_43, Some(NONCE_43), NOW).unwrap();
        let record = t.to_record();
        let back = implicit_grant::Transaction::from_record(&record).unwrap();
        assert!(back.expose_state() == t.expose_state() && back.max_age() == Some(secs(60)));
        let _ = (
            t.key(),
            t.issued_at(),
            TransactionKey::for_state(STATE_43).as_str().len(),
        );
        let copy = implicit_grant::Record::from_bytes(*record.expose_secret());
        assert_eq!(copy.expose_secret(), record.expose_secret());
        let mut out = [0u8; implicit_grant::limits::MAX_AT_HASH_LEN];
        jwt::at_hash(Algorithm::RS512, AT, &mut out).unwrap();
        jwt::Compact::split(IDT_A3).unwrap();
        Algorithm::from_name("ES256").unwrap();
        assert!(jwt::scratch_len(100) >= 150);
        HmacKey::hs384(&[1; 48]).unwrap();
        HmacKey::hs512(&[1; 64]).unwrap();
        let jwks = Jwks::parse(&jwks_text).unwrap();
        for key in jwks.keys() {
            let _ = (key.kid(), key.algorithm(), key.error());
        }
        let _ = (jwks.len(), jwks.ignored(), jwks.is_empty());
        assert_eq!(
            implicit_grant::ErrorCode::AccessDenied.as_str(),
            Some("access_denied")
        );
        let mut scratch = [0u8; 2048];
        let json = jwt::decode_unverified_claims(IDT_A3, &mut scratch).unwrap();
        #[derive(serde::Deserialize)]
        struct Iss<'a> {
            iss: &'a str,
        }
        assert_eq!(json.deserialize::<Iss>(&mut []).unwrap().iss, ISSUER);
        let error = implicit_grant::Error::from(implicit_grant::FlowError::NoPendingTransaction);
        assert_eq!(error.kind(), implicit_grant::ErrorKind::NoTransaction);
    });
    check("bearer_header", &mut || {
        let mut out = [0u8; 64];
        bearer_header(AccessToken::new(AT), &mut out).unwrap();
    });
    let metadata_text = include_str!("data/discovery/oidc-provider.json");
    // An ID token of that provider, kept for the renewal's hint (made before the count).
    let kept = sign_hs256(
        HS256_HEADER,
        &claims(NONCE, "").replace(ISSUER, "http://127.0.0.1:39411"),
    );
    check(
        "ProviderMetadata, Config::from_metadata, silent begin, LogoutRequest",
        &mut || {
            let mut scratch = [0u8; 2048];
            let metadata = implicit_grant::ProviderMetadata::parse(
                metadata_text,
                "http://127.0.0.1:39411",
                &mut scratch,
            )
            .unwrap();
            let config = implicit_grant::ConfigBuilder::from_metadata(
                &metadata,
                implicit_grant::ClientId::new("spa"),
                implicit_grant::RedirectUri::new("http://127.0.0.1:3000/cb"),
            )
            .unwrap()
            .build()
            .unwrap()
            .silent(implicit_grant::IdTokenHint::read(&kept, &mut [0u8; 2048]).unwrap())
            .unwrap();
            let mut store = TestStore::default();
            let mut url = [0u8; 2048];
            begin(&config, &mut SeqRng(1), &mut store, NOW, &mut url).unwrap();
            let logout =
                implicit_grant::LogoutRequest::new(metadata.end_session_endpoint().unwrap())
                    .id_token_hint(&kept)
                    .post_logout_redirect_uri("http://127.0.0.1:3000/")
                    .state(STATE)
                    .allow_loopback_http(true);
            logout.write_into(&mut url).unwrap();
        },
    );
    #[cfg(feature = "code")]
    check(
        "ConfigBuilder::from_metadata_for (code), TokenRequest::endpoint",
        &mut || {
            let okta = include_str!("data/discovery/okta.json");
            let issuer = "https://dev-265911.oktapreview.com/oauth2/default";
            let mut scratch = [0u8; 4096];
            let metadata =
                implicit_grant::ProviderMetadata::parse(okta, issuer, &mut scratch).unwrap();
            let config = implicit_grant::ConfigBuilder::from_metadata_for(
                &metadata,
                ResponseType::Code,
                implicit_grant::ClientId::new("spa"),
                implicit_grant::RedirectUri::new("https://app.example/cb"),
            )
            .unwrap()
            .build()
            .unwrap();
            let refresh = implicit_grant::RefreshToken::new("r");
            let request = implicit_grant::TokenRequest::refresh(&config, refresh).unwrap();
            assert!(request.endpoint().is_some());
        },
    );

    let failed: Vec<_> = results.iter().filter(|(_, n)| *n != 0).collect();
    for (name, n) in &results {
        println!("{name}: {n} allocations");
    }
    if failed.is_empty() {
        println!("test zero_heap_allocations ... ok");
        println!("1 passed, 0 failed");
    } else {
        println!("test zero_heap_allocations ... FAILED: {failed:?}");
        println!("0 passed, 1 failed");
        std::process::exit(1);
    }
}
