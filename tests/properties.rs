//! Property tests: every parser and decoder is total (never panics, whatever the input),
//! and every encoding round-trips (encode → decode is the identity).
#![cfg(all(feature = "rsa", feature = "ecdsa", feature = "hmac"))]

mod common;

use common::*;
use implicit_grant::UnixTime;
use implicit_grant::jwt::{self, Compact};
use implicit_grant::verify::{HmacKey, Jwk, Jwks};
use implicit_grant::{Algorithm, Expectations};
use implicit_grant::{
    AuthorizationResponse, AuthorizeRequest, ResponseType, Transaction, TransactionKey,
    parse_form_post, parse_fragment, parse_query, verify_id_token,
};
use proptest::prelude::*;

/// Text that often looks like the inputs: percent escapes, separators, JSON and base64url
/// characters, and any Unicode in between.
fn messy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("%".to_owned()),
            Just("%2".to_owned()),
            Just("%C3%A9".to_owned()),
            Just("&".to_owned()),
            Just("=".to_owned()),
            Just("#".to_owned()),
            Just("+".to_owned()),
            Just(".".to_owned()),
            Just("state=".to_owned()),
            Just("id_token=eyJ".to_owned()),
            Just("error=".to_owned()),
            Just("{\"".to_owned()),
            Just("\\u00".to_owned()),
            "[a-zA-Z0-9_-]{0,8}",
            any::<String>(),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// Characters of `error_description` (RFC 6749 §4.2.2.1: NQSCHAR).
fn nqschar_text() -> impl Strategy<Value = String> {
    "[ !#-\\[\\]-~]{1,64}"
}

proptest! {
    // Miri interprets each case: a handful there, 512 natively.
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn response_parsers_are_total(input in messy()) {
        let results = [parse_fragment(&input), parse_query(&input), parse_form_post(&input)];
        for response in results.into_iter().flatten() {
            let mut out = vec![0u8; input.len()];
            let value = match response {
                AuthorizationResponse::Success(ok) => ok.state.map(|s| s.expose_secret()),
                AuthorizationResponse::Error(e) => e.error_description,
            };
            if let Some(value) = value {
                let decoded = value.decode_into(&mut out).unwrap();
                prop_assert!(decoded.len() <= value.as_encoded().len());
            }
        }
    }

    #[test]
    fn jwt_decoders_are_total(input in messy()) {
        let mut scratch = vec![0u8; jwt::scratch_len(input.len()) + 16];
        let _ = Compact::split(&input);
        let _ = jwt::decode_header(&input, &mut scratch);
        if let Ok(json) = jwt::decode_unverified_claims(&input, &mut scratch) {
            let _ = json.deserialize::<serde::de::IgnoredAny>(&mut []);
        }
        let key = hmac_key();
        let e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW).algorithms(&[Algorithm::HS256, Algorithm::RS256]);
        let _ = verify_id_token(&input, &e, &HmacKey::hs256(&key).unwrap(), &mut scratch);
    }

    #[test]
    fn key_parsers_are_total(input in messy()) {
        let _ = Jwks::parse(&input);
        let _ = Jwk::parse(&input);
        let wrapped = format!(r#"{{"keys":[{{"kty":"RSA","kid":"{input}","n":"{input}","e":"AQAB"}}]}}"#);
        let _ = Jwks::parse(&wrapped);
    }

    #[test]
    fn percent_encoding_round_trips(value in nqschar_text()) {
        let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let body = format!("error=invalid_request&error_description={encoded}");
        let Ok(AuthorizationResponse::Error(e)) = parse_form_post(&body) else {
            return Err(TestCaseError::fail(format!("refused {body}")));
        };
        let mut out = vec![0u8; encoded.len()];
        let decoded = e.error_description.unwrap().decode_into(&mut out).unwrap();
        prop_assert_eq!(decoded, value.as_str());
    }

    #[test]
    fn authorize_url_round_trips(
        state in "[!-~]{22,64}",
        nonce in "[!-~]{22,64}",
        client_id in "[ -~]{1,40}",
        path in "[a-z0-9/._~-]{0,20}",
        scope in prop::collection::vec("[!#-\\[\\]-~]{1,12}", 1..5),
        audience in "[ -~]{1,40}",
        max_age in any::<Option<u32>>(),
    ) {
        let redirect = format!("https://client.example/{path}");
        let scope: Vec<&str> =
            std::iter::once("openid").chain(scope.iter().map(String::as_str)).collect();
        let mut req = AuthorizeRequest::new(AUTHZ_EP, &client_id, &redirect)
            .response_type(ResponseType::IdTokenToken)
            .scope(&scope)
            .state(&state)
            .nonce(&nonce)
            .audience(&audience);
        if let Some(age) = max_age {
            req = req.max_age(secs(u64::from(age)));
        }
        let url = req.to_string::<2048>().unwrap();
        let query = url.strip_prefix(&format!("{AUTHZ_EP}?")).unwrap();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |name: &str| {
            let found: Vec<_> = pairs.iter().filter(|(k, _)| k == name).collect();
            assert!(found.len() <= 1, "{name} twice");
            found.first().map(|(_, v)| v.clone())
        };
        prop_assert_eq!(get("client_id"), Some(client_id.clone()));
        prop_assert_eq!(get("redirect_uri"), Some(redirect.clone()));
        prop_assert_eq!(get("state"), Some(state.clone()));
        prop_assert_eq!(get("nonce"), Some(nonce.clone()));
        prop_assert_eq!(get("audience"), Some(audience.clone()));
        prop_assert_eq!(get("scope"), Some(scope.join(" ")));
        prop_assert_eq!(get("max_age"), max_age.map(|a| a.to_string()));
        prop_assert_eq!(get("response_type"), Some("id_token token".to_owned()));
    }

    #[test]
    fn transaction_record_round_trips(
        state in "[!-~]{22,64}",
        nonce in prop::option::of("[!-~]{22,64}"),
        issued_at in any::<u64>(),
        max_age in any::<Option<u64>>(),
    ) {
        let rt = if nonce.is_some() { ResponseType::IdTokenToken } else { ResponseType::Token };
        let mut config = builder().response_type(rt);
        if let Some(max_age) = max_age {
            config = config.max_age(secs(max_age));
        }
        let config = config.build().unwrap();
        let issued_at = UnixTime::from_secs(issued_at);
        let t = Transaction::new(&config, &state, nonce.as_deref(), issued_at).unwrap();
        let back = Transaction::from_record(&t.to_record()).unwrap();
        prop_assert_eq!(back.expose_state(), state.as_str());
        prop_assert_eq!(back.expose_nonce(), nonce.as_deref());
        prop_assert_eq!(
            (back.response_type(), back.issued_at(), back.max_age()),
            (rt, issued_at, max_age.map(secs))
        );
        prop_assert_eq!(back.key(), TransactionKey::for_state(&state));
    }

    #[test]
    fn canonical_claims_are_a_fixed_point(
        members in prop::collection::btree_map("[a-z\\u{e9}\"\\\\/]{1,6}", prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            any::<bool>().prop_map(|b| b.to_string()),
            "[ -~\\u{e9}\\u{1F600}\\n]{0,10}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            Just("null".to_owned()),
            Just("[1,{\"a\":[]}]".to_owned()),
        ], 0..8),
        spaces in "[ \\n\\t]{0,3}",
    ) {
        let body: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{spaces}{}{spaces}:{spaces}{v}", serde_json::to_string(k).unwrap()))
            .collect();
        let payload = format!("{{{}}}", body.join(","));
        let token = |p: &str| format!("e30.{}.c2ln", b64(p.as_bytes()));
        let mut scratch = vec![0u8; payload.len() * 2 + 16];
        let canonical = jwt::decode_unverified_claims(&token(&payload), &mut scratch)
            .unwrap()
            .expose_secret()
            .to_owned();
        prop_assert!(canonical.len() <= payload.len());
        // The canonical text means the same JSON.
        let a: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let b: serde_json::Value = serde_json::from_str(&canonical).unwrap();
        prop_assert_eq!(a, b);
        let mut again = vec![0u8; canonical.len() * 2 + 16];
        let twice = jwt::decode_unverified_claims(&token(&canonical), &mut again).unwrap();
        prop_assert_eq!(twice.expose_secret(), canonical.as_str());
    }
}
