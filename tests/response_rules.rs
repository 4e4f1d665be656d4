//! Redirect response rules, mapped in CONFORMANCE.md (RFC 6749 §3.1, §4.2.2, §4.2.2.1, App. B;
//! OIDC Core §3.2.2.5, §3.1.2.6; Multiple Response Types §5).

mod common;

use common::*;
use core::time::Duration;
use implicit_grant::limits::{MAX_PARAMS, MAX_RESPONSE_LEN, MAX_VALUE_LEN};
use implicit_grant::{
    AuthorizationResponse, Error, ErrorCode, ErrorResponse, Param, ResponseError, TokenResponse,
    TokenType, parse_form_post, parse_fragment, parse_query,
};

fn frag_ok() -> String {
    format!("#access_token={AT}&token_type=Bearer&id_token={IDT_A3}&state={STATE}")
}

fn success(input: &str) -> TokenResponse<'_> {
    match parse_fragment(input) {
        Ok(AuthorizationResponse::Success(ok)) => ok,
        other => panic!("expected a success for {input:?}, got {other:?}"),
    }
}

fn error(input: &str) -> ErrorResponse<'_> {
    match parse_fragment(input) {
        Ok(AuthorizationResponse::Error(e)) => e,
        other => panic!("expected an error response for {input:?}, got {other:?}"),
    }
}

fn fails(input: &str) -> ResponseError {
    match parse_fragment(input) {
        Err(Error::Response(e)) => e,
        other => panic!("expected a response error for {input:?}, got {other:?}"),
    }
}

fn decoded(v: implicit_grant::RawValue<'_>) -> String {
    let mut buf = vec![0u8; v.as_encoded().len()];
    v.decode_into(&mut buf).unwrap().to_owned()
}

#[test]
fn oidc_core_15_5_3_input_forms_give_the_same_result() {
    let frag = frag_ok();
    let url = format!("{REDIRECT}{frag}");
    for input in [frag.as_str(), &frag[1..], url.as_str()] {
        let ok = success(input);
        assert_eq!(ok.access_token.unwrap().expose_secret().as_encoded(), AT);
        assert_eq!(ok.id_token.unwrap().expose_secret().as_encoded(), IDT_A3);
        assert!(ok.state.unwrap().expose_secret().ct_eq_decoded(STATE));
        assert_eq!(ok.token_type, Some(TokenType::Bearer));
    }
}

#[test]
fn oidc_core_15_5_3_empty_and_doubled_hash() {
    assert_eq!(
        fails(&format!("#{}", frag_ok())),
        ResponseError::InvalidCharacter
    );
    for empty in ["", "#", "&&&"] {
        assert_eq!(
            fails(empty),
            ResponseError::NoResponseParameters,
            "{empty:?}"
        );
    }
}

#[test]
fn oauth_mrt_5_response_parameters_in_the_query_are_refused() {
    for url in [
        format!("{REDIRECT}?state={STATE}#access_token=x"),
        format!("{REDIRECT}?error=access_denied"),
        format!("{REDIRECT}?access_token={AT}"),
        format!("{REDIRECT}?st%61te={STATE}#x=1"),
    ] {
        assert_eq!(fails(&url), ResponseError::ResponseInQuery, "{url}");
    }
    let ok = format!("{REDIRECT}?x=1#state={STATE}");
    assert!(success(&ok).state.is_some());
}

#[test]
fn oauth_form_post_2_body_parses_like_a_fragment() {
    let body = format!("id_token={IDT_A3}&state={STATE}");
    let Ok(AuthorizationResponse::Success(ok)) = parse_form_post(&body) else {
        panic!()
    };
    assert_eq!(ok.id_token.unwrap().expose_secret().as_encoded(), IDT_A3);
    let Ok(AuthorizationResponse::Error(e)) = parse_form_post("error=login_required&state=x")
    else {
        panic!()
    };
    assert_eq!(e.error, ErrorCode::LoginRequired);
    let Ok(AuthorizationResponse::Error(e)) = parse_query("?error=access_denied&state=x") else {
        panic!()
    };
    assert_eq!(e.error, ErrorCode::AccessDenied);
}

#[test]
fn rfc3986_3_4_parse_query_reads_the_query_of_a_url_or_a_bare_query() {
    fn state(input: &str) -> Option<&str> {
        match parse_query(input) {
            Ok(AuthorizationResponse::Error(e)) => e.state.map(|s| s.expose_secret().as_encoded()),
            Ok(AuthorizationResponse::Success(t)) => {
                t.state.map(|s| s.expose_secret().as_encoded())
            }
            Err(_) => None,
        }
    }
    // The query of a whole URL, without its fragment.
    assert_eq!(
        state("https://client.example.org/cb?error=access_denied&state=x#state=y"),
        Some("x")
    );
    // A bare query, with or without its `?`.
    assert_eq!(state("?error=access_denied&state=x"), Some("x"));
    assert_eq!(state("error=access_denied&state=x"), Some("x"));
    // A URL without `?` has no parameters: its path is not read as a query (this one's
    // would hold `state=y`), nor its fragment.
    for url in [
        "https://client.example.org/x&state=y",
        "https://client.example.org/cb#state=y",
    ] {
        assert_eq!(
            parse_query(url).map(drop),
            Err(Error::Response(ResponseError::NoResponseParameters)),
            "{url}"
        );
    }
}

#[test]
fn rfc6749_appendix_b_splitting() {
    let ok = success("&&&state=af0ifjsldkj&&scope=openid&");
    assert!(ok.state.unwrap().expose_secret().ct_eq_decoded(STATE));
    assert!(
        success("state=a=b")
            .state
            .unwrap()
            .expose_secret()
            .ct_eq_decoded("a=b")
    );
    let semi = success("state=af0ifjsldkj;x=y");
    assert!(!semi.state.unwrap().expose_secret().ct_eq_decoded(STATE));
    assert!(
        semi.state
            .unwrap()
            .expose_secret()
            .ct_eq_decoded("af0ifjsldkj;x=y")
    );
    assert!(success("=xyz&scope=openid").state.is_none());
    assert!(success("state&scope=openid").state.is_none());
}

#[test]
fn rfc6749_appendix_b_percent_and_plus_decoding() {
    for (raw, want) in [
        ("a+b", "a b"),
        ("a%20b", "a b"),
        ("a%2Bb", "a+b"),
        ("%4d%4D", "MM"),
        ("a%2fb", "a/b"),
    ] {
        let input = format!("state={raw}");
        assert!(
            success(&input)
                .state
                .unwrap()
                .expose_secret()
                .ct_eq_decoded(want),
            "{raw}"
        );
    }
    assert!(
        success("st%61te=af0ifjsldkj")
            .state
            .unwrap()
            .expose_secret()
            .ct_eq_decoded(STATE)
    );
    for bad in [
        "state=%",
        "state=%4",
        "state=%zz",
        "state=%%41",
        "state=%2sf",
        "sta%7te=x",
    ] {
        assert_eq!(fails(bad), ResponseError::MalformedPercentEncoding, "{bad}");
    }
    for bad in [
        "%C3%28",
        "%C2",
        "%FF%FE",
        "%C0%AF",
        "%ED%A0%80",
        "%F4%90%80%80",
    ] {
        assert_eq!(
            fails(&format!("x={bad}")),
            ResponseError::InvalidUtf8,
            "{bad}"
        );
    }
    assert_eq!(
        fails("state=a%00b"),
        ResponseError::InvalidParameter(Param::State)
    );
    assert!(success("x=%E2%82%AC&state=s").state.is_some());
    for raw in [
        "state=a b",
        "state=\"",
        "state=<",
        "state=>",
        "state=`",
        "state=caf\u{e9}",
    ] {
        assert_eq!(fails(raw), ResponseError::InvalidCharacter, "{raw:?}");
    }
    assert!(success("%EF%BB%BFstate=af0ifjsldkj").state.is_none());
}

#[test]
fn rfc6749_3_1_duplicates_are_errors_unknown_names_ignored() {
    for (input, p) in [
        (format!("state={STATE}&state={STATE}"), Param::State),
        (
            "access_token=a&access%5Ftoken=b".to_owned(),
            Param::AccessToken,
        ),
        (
            format!("id_token={IDT_A3}&id_token={IDT_A3}"),
            Param::IdToken,
        ),
        ("error=a&error=b".to_owned(), Param::Error),
        ("state=&state=x".to_owned(), Param::State),
    ] {
        assert_eq!(
            fails(&input),
            ResponseError::DuplicateParameter(p),
            "{input}"
        );
    }
    let ok = success("session_state=abc&foo=1&foo=2&state=s");
    assert!(ok.state.is_some());
    let case = success("STATE=x&Access_Token=y");
    assert!(case.state.is_none() && case.access_token.is_none());
}

#[test]
fn rfc6749_3_1_empty_values_count_as_absent() {
    let ok = success("access_token=&state=&expires_in=&scope=openid");
    assert!(ok.access_token.is_none() && ok.state.is_none() && ok.expires_in.is_none());
    assert!(
        success("error=&state=s").state.is_some(),
        "error= is not an error response"
    );
}

#[test]
fn oidc_core_3_2_2_5_code_is_unexpected_refresh_token_ignored() {
    assert_eq!(
        fails("code=abc&state=s"),
        ResponseError::UnexpectedParameter(Param::Code)
    );
    assert!(success("refresh_token=abc&state=s").state.is_some());
}

#[test]
fn rfc6749_7_1_token_type() {
    for ok in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        assert_eq!(
            success(&format!("token_type={ok}")).token_type,
            Some(TokenType::Bearer)
        );
    }
    for bad in ["mac", "DPoP", "example", "Bearer%20x", "Bearer+"] {
        assert_eq!(
            fails(&format!("token_type={bad}")),
            ResponseError::UnsupportedTokenType,
            "{bad}"
        );
    }
}

/// Whether a value needs the VSCHAR scan is known per parameter: a plain access token
/// beside them does not vouch for `state` or `iss`.
#[test]
fn rfc6749_appendix_a_5_state_and_iss_are_vschar_whatever_their_neighbours() {
    for (name, param) in [("state", Param::State), ("iss", Param::Iss)] {
        assert_eq!(
            fails(&format!(
                "access_token=plain&token_type=Bearer&{name}=a%0Ab"
            )),
            ResponseError::InvalidParameter(param),
            "{name}"
        );
    }
}

#[test]
fn rfc6749_appendix_a_12_access_token_is_vschar() {
    for bad in ["a%0Ab", "a%E2%82%ACb"] {
        assert_eq!(
            fails(&format!("access_token={bad}")),
            ResponseError::InvalidParameter(Param::AccessToken)
        );
    }
    let long = "A".repeat(7000);
    let input = format!("access_token={long}");
    assert_eq!(
        success(&input)
            .access_token
            .unwrap()
            .expose_secret()
            .as_encoded(),
        long
    );
    // An escaped JWS character decodes like any other value (RFC 6749 App. B); a character
    // no JWS holds is refused, escaped or not.
    let escaped = success("id_token=%41%2Ex.y")
        .id_token
        .unwrap()
        .expose_secret();
    assert_eq!(decoded(escaped), "A.x.y");
    for bad in ["%2F.x.y", "a.x.y%3D", "a+b.x.y", "a.x.y="] {
        assert_eq!(
            fails(&format!("id_token={bad}")),
            ResponseError::InvalidParameter(Param::IdToken),
            "{bad}"
        );
    }
}

#[test]
fn rfc6749_appendix_a_14_expires_in_is_a_u64_of_seconds() {
    assert_eq!(
        success("expires_in=3600").expires_in,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(success("expires_in=0").expires_in, Some(Duration::ZERO));
    assert_eq!(success("state=s").expires_in, None);
    // RFC 6749 App. A.14 sets no bound: the largest u64 is a lifetime (forever), one past
    // it is garbage, refused rather than read as the largest.
    assert_eq!(
        success("expires_in=18446744073709551615").expires_in,
        Some(Duration::from_secs(u64::MAX))
    );
    for huge in ["18446744073709551616", "99999999999999999999999"] {
        assert_eq!(
            fails(&format!("expires_in={huge}")),
            ResponseError::InvalidParameter(Param::ExpiresIn),
            "{huge}"
        );
    }
    for bad in ["-1", "1.5", "1e3", "%2B1", "+3600", "%203600", "0x10"] {
        assert_eq!(
            fails(&format!("expires_in={bad}")),
            ResponseError::InvalidParameter(Param::ExpiresIn),
            "{bad}"
        );
    }
}

#[test]
fn rfc6749_3_3_response_scope() {
    for raw in ["openid%20profile", "openid+profile"] {
        assert_eq!(
            decoded(success(&format!("scope={raw}")).scope.unwrap().as_raw()),
            "openid profile"
        );
    }
    for bad in [
        "openid%20%20profile",
        "%20",
        "%20openid",
        "openid+",
        "openid%20pro%22file",
    ] {
        assert_eq!(
            fails(&format!("scope={bad}")),
            ResponseError::InvalidParameter(Param::Scope),
            "{bad}"
        );
    }
}

#[test]
fn rfc6749_3_3_scope_tokens_split_on_encoded_spaces_only() {
    let tokens = |raw: &str| -> Vec<(String, String)> {
        let input = format!("scope={raw}");
        success(&input)
            .scope
            .unwrap()
            .tokens()
            .map(|t| (t.as_encoded().to_owned(), decoded(t)))
            .collect()
    };
    let pair = |e: &str, d: &str| (e.to_owned(), d.to_owned());
    // `+` and `%20` both separate (RFC 6749 App. B).
    assert_eq!(
        tokens("openid+profile%20email"),
        [
            pair("openid", "openid"),
            pair("profile", "profile"),
            pair("email", "email")
        ]
    );
    // `%2B` is a `+` inside a token; `%2520` is `%20` inside a token, not a space.
    assert_eq!(
        tokens("openid+a%2Bb%20c%2520d"),
        [
            pair("openid", "openid"),
            pair("a%2Bb", "a+b"),
            pair("c%2520d", "c%20d")
        ]
    );
    assert_eq!(tokens("openid"), [pair("openid", "openid")]);
    assert_eq!(
        tokens("read%3Aall%20openid"),
        [pair("read%3Aall", "read:all"), pair("openid", "openid")]
    );
    // The tokens, decoded and joined by spaces, are the decoded value.
    for raw in [
        "openid+profile%20email",
        "x%2B%2B+%2B",
        "a%2520b+c",
        "%41%42%20C",
    ] {
        let input = format!("scope={raw}");
        let scope = success(&input).scope.unwrap();
        let joined: Vec<String> = scope.tokens().map(decoded).collect();
        assert_eq!(joined.join(" "), decoded(scope.as_raw()), "{raw}");
    }
    let scope = success("scope=openid").scope.unwrap();
    let mut it = scope.tokens();
    assert!(it.next().is_some());
    assert!(it.next().is_none() && it.next().is_none());
}

#[test]
fn rfc6749_3_3_scope_contains_compares_decoded_tokens() {
    let scope = success("scope=openid+profile%20email+a%2Bb+c%2520d")
        .scope
        .unwrap();
    for token in ["openid", "profile", "email", "a+b", "c%20d"] {
        assert!(scope.contains(token), "{token}");
    }
    for absent in [
        "",
        "a",
        "b",
        "a%2Bb",
        "c",
        "c d",
        "openid profile",
        "profil",
        "OPENID",
    ] {
        assert!(!scope.contains(absent), "{absent:?}");
    }
    assert_eq!(scope.as_encoded(), scope.as_raw().as_encoded());
}

#[test]
fn rfc6749_4_2_2_1_error_codes() {
    for (wire, code) in [
        ("invalid_request", ErrorCode::InvalidRequest),
        ("unauthorized_client", ErrorCode::UnauthorizedClient),
        ("access_denied", ErrorCode::AccessDenied),
        (
            "unsupported_response_type",
            ErrorCode::UnsupportedResponseType,
        ),
        ("invalid_scope", ErrorCode::InvalidScope),
        ("server_error", ErrorCode::ServerError),
        ("temporarily_unavailable", ErrorCode::TemporarilyUnavailable),
        ("interaction_required", ErrorCode::InteractionRequired),
        ("login_required", ErrorCode::LoginRequired),
        (
            "account_selection_required",
            ErrorCode::AccountSelectionRequired,
        ),
        ("consent_required", ErrorCode::ConsentRequired),
        ("invalid_request_uri", ErrorCode::InvalidRequestUri),
        ("invalid_request_object", ErrorCode::InvalidRequestObject),
        ("request_not_supported", ErrorCode::RequestNotSupported),
        (
            "request_uri_not_supported",
            ErrorCode::RequestUriNotSupported,
        ),
        (
            "registration_not_supported",
            ErrorCode::RegistrationNotSupported,
        ),
    ] {
        let input = format!("error={wire}&state={STATE}");
        assert_eq!(error(&input).error, code);
        assert_eq!(code.as_str(), Some(wire));
    }
    let e = error("error=invalid_dpop_proof");
    let ErrorCode::Other(other) = e.error else {
        panic!("{e:?}")
    };
    assert_eq!(other.as_encoded(), "invalid_dpop_proof");
    assert_eq!(e.error.as_str(), None);
}

#[test]
fn rfc6749_4_2_2_1_descriptions_uris_and_ambiguity() {
    for raw in [
        "Unsupported%20response_type%20value",
        "Unsupported+response_type+value",
    ] {
        let input = format!("error=unsupported_response_type&error_description={raw}");
        let e = error(&input);
        assert_eq!(
            decoded(e.error_description.unwrap()),
            "Unsupported response_type value"
        );
        assert!(!e.error_description_invalid);
    }
    for bad in ["a%22b", "a%5Cb", "caf%C3%A9", "a%09b", "a%0Ab"] {
        let input = format!("error=access_denied&error_description={bad}");
        let e = error(&input);
        assert_eq!(
            (e.error, e.error_description.is_none()),
            (ErrorCode::AccessDenied, true)
        );
        assert!(e.error_description_invalid, "{bad}");
    }
    let e = error("error=x&error_uri=https%3A%2F%2Fas.example%2Ferr%3Fid%3D1");
    assert_eq!(decoded(e.error_uri.unwrap()), "https://as.example/err?id=1");
    assert!(error("error=x&error_uri=a%20b").error_uri.is_none());
    assert_eq!(
        fails("error=a%22b"),
        ResponseError::InvalidParameter(Param::Error)
    );
    for mixed in [
        format!("error=access_denied&id_token={IDT_A3}"),
        format!("error=access_denied&access_token={AT}"),
    ] {
        assert_eq!(fails(&mixed), ResponseError::AmbiguousResponse);
    }
}

#[test]
// Parses inputs up to 1 MiB byte by byte: minutes under Miri, for code the other tests run
// with small inputs.
#[cfg_attr(miri, ignore)]
fn rfc6749_10_14_limits_are_exact() {
    let at_limit = format!("access_token={}", "A".repeat(MAX_VALUE_LEN));
    assert!(success(&at_limit).access_token.is_some());
    let over = format!("access_token={}", "A".repeat(MAX_VALUE_LEN + 1));
    assert_eq!(fails(&over), ResponseError::TooLarge);
    let pairs = |n: usize| {
        (0..n)
            .map(|i| format!("x{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    };
    assert!(success(&pairs(MAX_PARAMS)).state.is_none());
    assert_eq!(
        fails(&pairs(MAX_PARAMS + 1)),
        ResponseError::TooManyParameters
    );
    let filler = |len: usize| format!("x={}", "a".repeat(len - 2));
    let big = format!(
        "{}&{}",
        filler(MAX_RESPONSE_LEN / 2),
        filler(MAX_RESPONSE_LEN / 2 - 1)
    );
    assert_eq!(big.len(), MAX_RESPONSE_LEN);
    assert!(success(&big).state.is_none());
    assert_eq!(fails(&format!("{big}a")), ResponseError::TooLarge);
    assert_eq!(
        fails(&"&".repeat(10_000)),
        ResponseError::NoResponseParameters
    );
    assert_eq!(fails(&"a".repeat(1 << 20)), ResponseError::TooLarge);
}

#[test]
fn secret_values_are_redacted() {
    let frag = frag_ok();
    let debug = format!("{:?}", parse_fragment(&frag).unwrap());
    for secret in [AT, IDT_A3, STATE] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("SecretValue([redacted])"));
}
