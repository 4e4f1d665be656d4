//! The token endpoint's messages (feature `code`): PKCE (RFC 7636 §4.1, §4.2, App. B), the
//! token request (RFC 6749 §2.3.1, §4.1.3, §6) and response (§5.1, §5.2; OIDC Core
//! §3.1.3.3), mapped clause by clause in CONFORMANCE.md.
#![cfg(feature = "code")]

mod common;

use base64ct::{Base64, Encoding};
use common::*;
use core::time::Duration;
use implicit_grant::{
    ClientAuthMethod, ClientSecret, CodeVerifier, ConfigError, Error, Param, RefreshToken,
    ResponseError, TokenEndpointResponse, TokenErrorCode, TokenRequest, TokenType,
    parse_token_response,
};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";

fn verifier() -> CodeVerifier<'static> {
    CodeVerifier::new(VERIFIER).unwrap()
}

/// The body's pairs, form-decoded (RFC 6749 App. B), in order.
fn pairs(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

fn issued(status: u16, body: &str) -> Result<String, Error> {
    let mut scratch = vec![0u8; body.len() * 2];
    match parse_token_response(status, body, &mut scratch)? {
        TokenEndpointResponse::Issued(t) => Ok(format!(
            "{} {:?} {:?} {:?}",
            t.access_token.expose_secret(),
            t.expires_in.map(|d| d.as_secs()),
            t.refresh_token.map(|r| r.expose_secret().to_owned()),
            t.scope
        )),
        TokenEndpointResponse::Denied(d) => Ok(format!("denied {d}")),
    }
}

fn refused(e: ResponseError) -> Result<String, Error> {
    Err(Error::Response(e))
}

#[test]
fn rfc7636_4_1_verifier_is_43_to_128_unreserved_characters() {
    let of = |n: usize| "a".repeat(n);
    let invalid = Err(ConfigError::Invalid(Param::CodeVerifier));
    assert_eq!(CodeVerifier::new(&of(42)).map(|_| ()), invalid);
    assert!(CodeVerifier::new(&of(43)).is_ok());
    assert!(CodeVerifier::new(&of(128)).is_ok());
    assert_eq!(CodeVerifier::new(&of(129)).map(|_| ()), invalid);
    for ok in ['~', '.', '-', '_', 'Z', '9'] {
        let v = format!("{}{ok}", of(42));
        assert!(CodeVerifier::new(&v).is_ok(), "{ok:?}");
    }
    for bad in ['+', '/', '=', ' ', 'é', '%'] {
        let v = format!("{}{bad}", of(42));
        assert_eq!(CodeVerifier::new(&v).map(|_| ()), invalid, "{bad:?}");
    }
}

/// RFC 7636 App. B, and S256 of other verifiers against an independent SHA-256.
#[test]
fn rfc7636_4_2_s256_challenge() {
    assert_eq!(
        verifier().challenge().as_str(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    for v in ["a".repeat(43), "~".repeat(128), format!("{VERIFIER}.-_~")] {
        use sha2::Digest;
        let expected = b64(&sha2::Sha256::digest(v.as_bytes()));
        assert_eq!(
            CodeVerifier::new(&v).unwrap().challenge().as_str(),
            expected
        );
    }
}

/// RFC 6749 §4.1.3's request (its `%2E` for `.` is the same form value), with the RFC 7636
/// §4.5 verifier and, for a public client, `client_id`.
#[test]
fn rfc6749_4_1_3_code_request_body() {
    let request = TokenRequest::authorization_code(&config(), CODE, verifier()).unwrap();
    let mut buf = [0u8; 512];
    let body = request.body(&mut buf).unwrap();
    let expected = [
        ("grant_type", "authorization_code"),
        ("code", CODE),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", CLIENT_ID),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|&(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(pairs(body), expected);
    assert_eq!(
        pairs("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb")[2].1,
        "https://client.example.com/cb"
    );
    assert_eq!(
        TokenRequest::CONTENT_TYPE,
        "application/x-www-form-urlencoded"
    );
}

/// A code, refresh token or secret with characters the form must escape reaches the
/// server intact.
#[test]
fn rfc6749_appendix_b_values_are_form_encoded() {
    let code = "a+b/c=d&e f%";
    let request = TokenRequest::authorization_code(&config(), code, verifier()).unwrap();
    let mut buf = [0u8; 512];
    let body = request.body(&mut buf).unwrap();
    assert_eq!(pairs(body)[1], ("code".to_owned(), code.to_owned()));
    let request = TokenRequest::refresh(&config(), RefreshToken::new("r&t=1"))
        .unwrap()
        .client_secret(ClientSecret::new("p@ss w+rd"), ClientAuthMethod::SecretPost)
        .unwrap();
    let body = request.body(&mut buf).unwrap();
    let got = pairs(body);
    assert_eq!(got[1].1, "r&t=1");
    assert_eq!(got[3], ("client_secret".to_owned(), "p@ss w+rd".to_owned()));
}

/// `1*VSCHAR` (App. A.11, A.17, A.2): empty is missing, a control or non-ASCII is invalid.
#[test]
fn rfc6749_appendix_a_code_refresh_token_and_secret_are_vschar() {
    let c = config();
    let code = |s| TokenRequest::authorization_code(&c, s, verifier()).map(|_| ());
    assert_eq!(code(""), Err(ConfigError::Missing(Param::Code)));
    assert_eq!(code("a\u{7f}"), Err(ConfigError::Invalid(Param::Code)));
    assert_eq!(code("é"), Err(ConfigError::Invalid(Param::Code)));
    assert_eq!(code(" !~"), Ok(()));
    let refresh = |s| TokenRequest::refresh(&c, RefreshToken::new(s)).map(|_| ());
    assert_eq!(refresh(""), Err(ConfigError::Missing(Param::RefreshToken)));
    assert_eq!(
        refresh("a\nb"),
        Err(ConfigError::Invalid(Param::RefreshToken))
    );
    let secret = |s| {
        TokenRequest::refresh(&c, RefreshToken::new("r"))
            .unwrap()
            .client_secret(ClientSecret::new(s), ClientAuthMethod::SecretBasic)
            .map(|_| ())
    };
    assert_eq!(secret(""), Err(ConfigError::Missing(Param::ClientSecret)));
    assert_eq!(secret("\t"), Err(ConfigError::Invalid(Param::ClientSecret)));
}

/// RFC 6749 §2.3.1's header; the client then leaves `client_id` out of the body (§4.1.3:
/// required only of a client that does not authenticate).
#[test]
fn rfc6749_2_3_1_client_secret_basic() {
    let request = TokenRequest::authorization_code(&config(), CODE, verifier())
        .unwrap()
        .client_secret(
            ClientSecret::new("gX1fBat3bV"),
            ClientAuthMethod::SecretBasic,
        )
        .unwrap();
    let mut header = [0u8; 64];
    assert_eq!(
        request.authorization(&mut header).unwrap(),
        Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
    );
    let mut buf = [0u8; 512];
    let body = request.body(&mut buf).unwrap();
    assert!(
        pairs(body)
            .iter()
            .all(|(n, _)| n != "client_id" && n != "client_secret")
    );
}

/// §2.3.1: identifier and secret are form-encoded before base64, so a `:` in either cannot
/// move the split; every padding length.
#[test]
fn rfc6749_2_3_1_basic_credentials_are_form_encoded_then_base64() {
    for (id, secret, preimage) in [
        ("my:client", "p@ss w0rd", "my%3Aclient:p%40ss%20w0rd"),
        ("c", "s", "c:s"),
        ("c", "s1", "c:s1"),
        ("c", "s12", "c:s12"),
        ("c", "%", "c:%25"),
        ("c", "ü", ""),
    ] {
        let c = implicit_grant::Config::builder(
            implicit_grant::Issuer::new(ISSUER),
            implicit_grant::AuthorizationEndpoint::new(AUTHZ_EP),
            implicit_grant::ClientId::new(id),
            implicit_grant::RedirectUri::new(REDIRECT),
        )
        .build()
        .unwrap();
        let request = TokenRequest::refresh(&c, RefreshToken::new("r"))
            .unwrap()
            .client_secret(ClientSecret::new(secret), ClientAuthMethod::SecretBasic);
        // The client identifier comes from a checked configuration; a non-VSCHAR secret is
        // refused before this point.
        let Ok(request) = request else {
            assert!(secret.bytes().any(|b| !(0x20..0x7f).contains(&b)));
            continue;
        };
        let mut header = [0u8; 128];
        let value = request.authorization(&mut header).unwrap().unwrap();
        let encoded = value.strip_prefix("Basic ").unwrap();
        assert_eq!(
            Base64::decode_vec(encoded).unwrap(),
            preimage.as_bytes(),
            "{id}:{secret}"
        );
    }
}

/// RFC 6749 §6, public and confidential, with a narrower scope.
#[test]
fn rfc6749_6_refresh_request() {
    let c = config();
    let request = TokenRequest::refresh(&c, RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"))
        .unwrap()
        .scope(&["openid", "profile"])
        .unwrap();
    let mut buf = [0u8; 256];
    assert_eq!(
        request.body(&mut buf).unwrap(),
        "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&scope=openid%20profile&client_id=s6BhdRkqt3"
    );
    let scope = |s: &'static [&'static str]| {
        TokenRequest::refresh(&c, RefreshToken::new("r"))
            .unwrap()
            .scope(s)
            .map(|_| ())
    };
    assert_eq!(scope(&[]), Err(ConfigError::Invalid(Param::Scope)));
    assert_eq!(scope(&["a b"]), Err(ConfigError::Invalid(Param::Scope)));
    assert_eq!(scope(&["a\"b"]), Err(ConfigError::Invalid(Param::Scope)));
    assert_eq!(scope(&[""]), Err(ConfigError::Invalid(Param::Scope)));
    let code_grant = TokenRequest::authorization_code(&c, CODE, verifier()).unwrap();
    assert_eq!(
        code_grant.scope(&["openid"]).map(|_| ()),
        Err(ConfigError::Forbidden(Param::Scope))
    );
}

/// Too small a buffer: the exact size, and the buffer left as it was.
#[test]
fn request_buffers_too_small_get_the_exact_size_untouched() {
    let request = TokenRequest::authorization_code(&config(), CODE, verifier())
        .unwrap()
        .client_secret(
            ClientSecret::new("gX1fBat3bV"),
            ClientAuthMethod::SecretBasic,
        )
        .unwrap();
    let mut big = [0u8; 512];
    let body_len = request.body(&mut big).unwrap().len();
    let header_len = request.authorization(&mut big).unwrap().unwrap().len();
    let mut short = vec![b'x'; body_len - 1];
    assert_eq!(
        request.body(&mut short).err(),
        Some(Error::BufferTooSmall { required: body_len })
    );
    assert_eq!(
        request.authorization(&mut short[..header_len - 1]).err(),
        Some(Error::BufferTooSmall {
            required: header_len
        })
    );
    assert!(short.iter().all(|&b| b == b'x'));
    assert!(request.body(&mut vec![0; body_len]).is_ok());
}

#[test]
fn token_request_debug_shows_no_secret() {
    let request = TokenRequest::authorization_code(&config(), CODE, verifier())
        .unwrap()
        .client_secret(
            ClientSecret::new("gX1fBat3bV"),
            ClientAuthMethod::SecretPost,
        )
        .unwrap();
    let debug = format!("{request:?}");
    for secret in [CODE, VERIFIER, "gX1fBat3bV"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(
        debug.contains("authorization_code") && debug.contains(CLIENT_ID),
        "{debug}"
    );
    assert!(
        debug.contains("SecretPost") && debug.contains("[redacted]"),
        "{debug}"
    );
    let public = TokenRequest::refresh(&config(), RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"));
    let debug = format!("{:?}", public.unwrap());
    assert!(
        !debug.contains("tGzv3") && debug.contains("refresh_token"),
        "{debug}"
    );
}

/// RFC 6749 §5.1's example: unknown members ignored.
#[test]
fn rfc6749_5_1_success() {
    let body = r#"{
       "access_token":"2YotnFZFEjr1zCsicMWpAA",
       "token_type":"example",
       "expires_in":3600,
       "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
       "example_parameter":"example_value"
     }"#;
    assert_eq!(
        issued(200, body),
        refused(ResponseError::UnsupportedTokenType)
    );
    let bearer = body.replace("example\",", "Bearer\",");
    assert_eq!(
        issued(200, &bearer).unwrap(),
        "2YotnFZFEjr1zCsicMWpAA Some(3600) Some(\"tGzv3JOkF0XG5Qx2TlKWIA\") None"
    );
}

/// OIDC Core §3.1.3.3's example, with its ID token, `Bearer` in any case.
#[test]
fn oidc_core_3_1_3_3_success_with_id_token() {
    let body = format!(
        r#"{{"access_token": "SlAV32hkKG","token_type": "Bearer","refresh_token": "8xLOxBtZp8","expires_in": 3600,"id_token": "{IDT_A3}"}}"#
    );
    let mut scratch = vec![0u8; body.len()];
    let TokenEndpointResponse::Issued(t) = parse_token_response(200, &body, &mut scratch).unwrap()
    else {
        panic!("expected tokens");
    };
    assert_eq!(t.access_token.expose_secret(), "SlAV32hkKG");
    assert_eq!(t.id_token.unwrap().expose_secret(), IDT_A3);
    assert_eq!(t.token_type, TokenType::Bearer);
    assert_eq!(t.expires_in, Some(Duration::from_secs(3600)));
    for case in ["bearer", "BEARER", "bEaReR"] {
        let b = body.replace("\"Bearer\"", &format!("\"{case}\""));
        assert!(issued(200, &b).is_ok(), "{case}");
    }
    let debug = format!("{t:?}");
    assert!(
        !debug.contains("SlAV32hkKG") && !debug.contains("8xLOxBtZp8"),
        "{debug}"
    );
}

/// RFC 6749 §5.2's example and every code it defines; `invalid_client` comes with 401.
#[test]
fn rfc6749_5_2_error() {
    assert_eq!(
        issued(400, r#"{"error":"invalid_request"}"#).unwrap(),
        "denied invalid_request"
    );
    for (name, code) in [
        ("invalid_request", TokenErrorCode::InvalidRequest),
        ("invalid_client", TokenErrorCode::InvalidClient),
        ("invalid_grant", TokenErrorCode::InvalidGrant),
        ("unauthorized_client", TokenErrorCode::UnauthorizedClient),
        (
            "unsupported_grant_type",
            TokenErrorCode::UnsupportedGrantType,
        ),
        ("invalid_scope", TokenErrorCode::InvalidScope),
        ("invalid_target", TokenErrorCode::Other("invalid_target")),
    ] {
        for status in [400, 401] {
            let body = format!(r#"{{"error":"{name}","error_uri":"https://op.example/e"}}"#);
            let mut scratch = [0u8; 128];
            let TokenEndpointResponse::Denied(d) =
                parse_token_response(status, &body, &mut scratch).unwrap()
            else {
                panic!("expected a denial");
            };
            assert_eq!((d.error, d.error.as_str()), (code, name));
            assert_eq!(d.error_uri, Some("https://op.example/e"));
        }
    }
    // A description out of its grammar is dropped and flagged; the denial stands.
    let body = r#"{"error":"invalid_grant","error_description":"tab\there"}"#;
    let mut scratch = [0u8; 128];
    let TokenEndpointResponse::Denied(d) = parse_token_response(400, body, &mut scratch).unwrap()
    else {
        panic!("expected a denial");
    };
    assert_eq!(
        (d.error_description, d.error_description_invalid),
        (None, true)
    );
    assert_eq!(
        issued(400, r#"{"error":"bad\"code"}"#),
        refused(ResponseError::InvalidParameter(Param::Error))
    );
}

/// The status must say what the body says (§5.1: 200; §5.2: 400, or 401 for a failed
/// client authentication); anything else is not an answer of the token endpoint.
#[test]
fn rfc6749_5_status_matches_the_body() {
    let tokens = r#"{"access_token":"a","token_type":"Bearer"}"#;
    let error = r#"{"error":"invalid_grant"}"#;
    assert!(issued(200, tokens).is_ok());
    assert_eq!(
        issued(400, tokens),
        refused(ResponseError::UnexpectedStatus)
    );
    assert_eq!(issued(200, error), refused(ResponseError::UnexpectedStatus));
    for status in [201, 302, 500, 503] {
        assert_eq!(
            issued(status, tokens),
            refused(ResponseError::UnexpectedStatus)
        );
        assert_eq!(
            issued(status, error),
            refused(ResponseError::UnexpectedStatus)
        );
    }
    let both = r#"{"error":"invalid_grant","access_token":"a","token_type":"Bearer"}"#;
    assert_eq!(issued(400, both), refused(ResponseError::AmbiguousResponse));
    let refresh = r#"{"error":"invalid_grant","refresh_token":"r"}"#;
    assert_eq!(
        issued(400, refresh),
        refused(ResponseError::AmbiguousResponse)
    );
}

/// Required members; each member's JSON type and grammar; `null` is not absence.
#[test]
fn rfc6749_5_1_members_are_strict() {
    let with = |extra: &str| format!(r#"{{"access_token":"a","token_type":"Bearer"{extra}}}"#);
    let invalid = |p| refused(ResponseError::InvalidParameter(p));
    assert_eq!(
        issued(200, r#"{"token_type":"Bearer"}"#),
        refused(ResponseError::MissingParameter(Param::AccessToken))
    );
    assert_eq!(
        issued(200, r#"{"access_token":"a"}"#),
        refused(ResponseError::MissingParameter(Param::TokenType))
    );
    for (extra, param) in [
        (r#","expires_in":"3600""#, Param::ExpiresIn),
        (r#","expires_in":-1"#, Param::ExpiresIn),
        (r#","expires_in":1.5"#, Param::ExpiresIn),
        (r#","expires_in":1e3"#, Param::ExpiresIn),
        (r#","expires_in":18446744073709551616"#, Param::ExpiresIn),
        (r#","expires_in":null"#, Param::ExpiresIn),
        (r#","refresh_token":null"#, Param::RefreshToken),
        (r#","refresh_token":"""#, Param::RefreshToken),
        (r#","refresh_token":"a\u0000""#, Param::RefreshToken),
        (r#","scope":"openid  profile""#, Param::Scope),
        (r#","scope":["openid"]"#, Param::Scope),
        (r#","id_token":"a b""#, Param::IdToken),
        (r#","id_token":7"#, Param::IdToken),
    ] {
        assert_eq!(issued(200, &with(extra)), invalid(param), "{extra}");
    }
    assert_eq!(
        issued(200, r#"{"access_token":"é","token_type":"Bearer"}"#),
        invalid(Param::AccessToken)
    );
    assert_eq!(
        issued(200, r#"{"access_token":"a","token_type":7}"#),
        invalid(Param::TokenType)
    );
    assert_eq!(
        issued(
            200,
            &with(r#","expires_in":18446744073709551615,"scope":"openid profile""#)
        )
        .unwrap(),
        "a Some(18446744073709551615) None Some(\"openid profile\")"
    );
}

/// Escapes are JSON's, not the token's: `\/` is `/`, `\u0041` is `A`, and a token holding
/// `"` or `\` (VSCHARs the canonical text keeps escaped) comes back unescaped.
#[test]
fn rfc8259_7_escaped_tokens_are_unescaped() {
    let body = r#"{"access_token":"a\/b\u0041","token_type":"Bearer","refresh_token":"q\"r\\s"}"#;
    assert_eq!(
        issued(200, body).unwrap(),
        "a/bA None Some(\"q\\\"r\\\\s\") None"
    );
    let body = r#"{"access_token":"x\"y","token_type":"Bearer"}"#;
    assert_eq!(issued(200, body).unwrap(), "x\"y None None None");
}

/// One strict JSON object; a member twice, also when spelled with an escape, is refused.
#[test]
fn rfc8259_body_is_one_object_without_duplicates() {
    for body in ["", "[]", "\"a\"", "{", r#"{"access_token":"a",}"#, "{} {}"] {
        assert_eq!(
            issued(200, body),
            refused(ResponseError::InvalidJson),
            "{body}"
        );
    }
    for body in [
        r#"{"access_token":"a","token_type":"Bearer","access_token":"b"}"#,
        r#"{"access_token":"a","token_type":"Bearer","access\u005ftoken":"b"}"#,
        r#"{"error":"invalid_grant","error":"invalid_client"}"#,
    ] {
        assert_eq!(
            issued(200, body),
            refused(ResponseError::DuplicateMember),
            "{body}"
        );
    }
}

/// The scratch holds the canonical body, then any unescaped token: too small, the exact
/// size; at that size, the answer.
#[test]
fn response_scratch_too_small_gets_the_exact_size() {
    for body in [
        r#"{ "access_token" : "2YotnFZFEjr1zCsicMWpAA", "token_type" : "Bearer" }"#,
        r#"{"access_token":"a\"b","token_type":"Bearer","refresh_token":"c\\d"}"#,
    ] {
        let mut big = vec![0u8; 512];
        assert!(parse_token_response(200, body, &mut big).is_ok());
        let Err(Error::BufferTooSmall { required }) =
            parse_token_response(200, body, &mut [0u8; 8])
        else {
            panic!("expected the size");
        };
        let mut exact = vec![0u8; required];
        assert!(
            parse_token_response(200, body, &mut exact).is_ok(),
            "{body}"
        );
        let mut short = vec![0u8; required - 1];
        assert_eq!(
            parse_token_response(200, body, &mut short).err(),
            Some(Error::BufferTooSmall { required }),
            "{body}"
        );
    }
}

/// What oidc-provider 9 (the end-to-end provider) answered a `spa-code` token request,
/// byte for byte: its access token is bound to a resource (the `audience`) none of whose
/// scopes was asked, so it sends `"scope":""`. RFC 6749 §3.3's grammar has no empty form,
/// but its meaning is plain: no scope granted. It reads as an empty value (a session's
/// `Scope` with no token), and a blank or doubled space is still refused.
#[test]
fn rfc6749_3_3_empty_granted_scope_from_oidc_provider_reads_as_no_scope() {
    let body = include_str!("data/token/oidc-provider-code.json");
    let mut scratch = vec![0u8; body.len()];
    let TokenEndpointResponse::Issued(t) = parse_token_response(200, body, &mut scratch).unwrap()
    else {
        panic!("expected tokens");
    };
    assert_eq!(t.scope, Some(""));
    assert_eq!(t.token_type, TokenType::Bearer);
    assert!(t.id_token.is_some() && t.refresh_token.is_some());
    for bad in [r#""scope":" ""#, r#""scope":"a  b""#] {
        let body = body.replace(r#""scope":"""#, bad);
        assert_eq!(
            issued(200, &body),
            refused(ResponseError::InvalidParameter(Param::Scope)),
            "{bad}"
        );
    }
}
