//! The verbatim vectors the specifications publish, each named after its section.
#![cfg(feature = "hmac")]

mod common;

use common::*;
use implicit_grant::jwt;
use implicit_grant::verify::HmacKey;
use implicit_grant::{Algorithm, SignatureVerifier};
use implicit_grant::{
    AuthorizationResponse, AuthorizeRequest, Error, ErrorCode, JwtError, ResponseError,
    ResponseType, TokenType, parse_fragment,
};

/// OIDC Core §3.2.2.1: the example authorization request, byte for byte.
#[test]
fn oidc_core_3_2_2_1_authorization_request() {
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::IdTokenToken)
        .scope(&["openid", "profile"])
        .state(STATE)
        .nonce(NONCE);
    let want = "https://server.example.com/authorize?response_type=id_token%20token&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=openid%20profile&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj";
    let mut buf = [0u8; 512];
    assert_eq!(req.write_into(&mut buf).unwrap(), want);
    assert_eq!(req.to_string::<256>().unwrap().as_str(), want);
    let mut s = String::new();
    req.write_to(&mut s).unwrap();
    assert_eq!(s, want);
}

/// RFC 6749 §4.2.2: the example access token response (its `token_type=example` is a type
/// this crate does not understand: §7.1 forbids using it).
#[test]
fn rfc6749_4_2_2_access_token_response() {
    let fragment =
        "#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=example&expires_in=3600";
    assert_eq!(
        parse_fragment(fragment).unwrap_err(),
        ResponseError::UnsupportedTokenType.into()
    );
    let bearer = fragment.replace("example", "Bearer");
    let AuthorizationResponse::Success(ok) = parse_fragment(&bearer).unwrap() else {
        panic!("a success response")
    };
    assert_eq!(
        ok.access_token.unwrap().expose_secret().as_encoded(),
        "2YotnFZFEjr1zCsicMWpAA"
    );
    assert!(ok.state.unwrap().expose_secret().ct_eq_decoded("xyz"));
    assert_eq!(
        (ok.token_type, ok.expires_in),
        (Some(TokenType::Bearer), Some(secs(3600)))
    );
}

/// RFC 6749 §4.2.2.1: the example error response.
#[test]
fn rfc6749_4_2_2_1_error_response() {
    let AuthorizationResponse::Error(e) = parse_fragment("#error=access_denied&state=xyz").unwrap()
    else {
        panic!("an error response")
    };
    assert_eq!(e.error, ErrorCode::AccessDenied);
    assert!(e.state.unwrap().expose_secret().ct_eq_decoded("xyz"));
    assert!(e.error_description.is_none() && e.error_uri.is_none());
}

/// RFC 6749 App. B: ` %&+£€` encodes as `%20%25%26%2B%C2%A3%E2%82%AC`; both that form and
/// the HTML-form `+` form decode alike. `state` is `1*VSCHAR` (App. A.5), so its ASCII part
/// round-trips there and the whole value is refused there in either form.
#[test]
fn rfc6749_appendix_b_encoding() {
    let value = " %&+\u{a3}\u{20ac}";
    let extra = [("x", value)];
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::Token)
        .state(STATE)
        .extra(&extra);
    let url = req.to_string::<512>().unwrap();
    assert!(url.ends_with("&x=%20%25%26%2B%C2%A3%E2%82%AC"), "{url}");
    for encoded in ["%20%25%26%2B", "+%25%26%2B"] {
        let fragment = format!("state={encoded}");
        let AuthorizationResponse::Success(ok) = parse_fragment(&fragment).unwrap() else {
            panic!("a success response")
        };
        assert!(
            ok.state.unwrap().expose_secret().ct_eq_decoded(" %&+"),
            "{encoded}"
        );
    }
    for encoded in ["%20%25%26%2B%C2%A3%E2%82%AC", "+%25%26%2B%C2%A3%E2%82%AC"] {
        assert_eq!(
            parse_fragment(&format!("state={encoded}")).unwrap_err(),
            ResponseError::InvalidParameter(implicit_grant::Param::State).into()
        );
    }
}

/// RFC 7519 §3.1: the example JWT (CRLF inside its header and payload) verifies with the
/// RFC 7515 App. A.1 HMAC key over its exact received bytes; any one-bit change breaks it.
#[test]
fn rfc7519_3_1_example_jwt_with_rfc7515_a1_key() {
    let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let key = hmac_key();
    let verifier = HmacKey::hs256(&key).unwrap();
    let verify = |token: &str| -> Result<(), Error> {
        let compact = jwt::Compact::split(token)?;
        let mut scratch = [0u8; 256];
        let header = jwt::decode_header(token, &mut scratch)?;
        let mut sig = [0u8; 64];
        let sig = <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode(
            compact.signature(),
            &mut sig,
        )
        .map_err(|_| JwtError::InvalidBase64Url)?;
        verifier
            .verify(&header, compact.signing_input().as_bytes(), sig)
            .map(drop)
    };
    assert_eq!(verify(token), Ok(()));
    let mut scratch = [0u8; 256];
    let header = jwt::decode_header(token, &mut scratch).unwrap();
    assert_eq!((header.alg, header.typ), (Algorithm::HS256, Some("JWT")));
    #[derive(serde::Deserialize)]
    struct Claims<'a> {
        iss: &'a str,
        exp: u64,
        #[serde(rename = "http://example.com/is_root")]
        is_root: bool,
    }
    let mut scratch = [0u8; 256];
    let claims: Claims = jwt::decode_unverified_claims(token, &mut scratch)
        .unwrap()
        .deserialize(&mut [])
        .unwrap();
    assert_eq!(
        (claims.iss, claims.exp, claims.is_root),
        ("joe", 1_300_819_380, true)
    );
    let mut bytes = token.as_bytes().to_vec();
    for i in [0, 10, 60, token.len() - 2] {
        bytes[i] ^= 1;
        let flipped = String::from_utf8(bytes.clone()).unwrap();
        assert!(verify(&flipped).is_err(), "bit flip at {i} accepted");
        bytes[i] ^= 1;
    }
}

/// OIDC Core App. A.3: the ID token's pretty-printed claims decode, and its `at_hash`
/// `77QmUPtjPfzWtF2AnpK9RQ` matches the access token of the same response; with the
/// App. A.1 key (feature `rsa`), the token verifies at its own time and its claims pass
/// every check.
#[test]
fn oidc_core_appendix_a3_claims_and_at_hash() {
    let mut scratch = [0u8; 1024];
    let header = jwt::decode_header(IDT_A3, &mut scratch).unwrap();
    assert_eq!(
        (header.alg, header.kid),
        (Algorithm::RS256, Some("1e9gdk7"))
    );
    #[derive(serde::Deserialize)]
    struct A3<'a> {
        iss: &'a str,
        sub: &'a str,
        aud: &'a str,
        nonce: &'a str,
        exp: u64,
        iat: u64,
        at_hash: &'a str,
    }
    let mut scratch = [0u8; 1024];
    let unverified: A3 = jwt::decode_unverified_claims(IDT_A3, &mut scratch)
        .unwrap()
        .deserialize(&mut [])
        .unwrap();
    assert_eq!(
        (unverified.iss, unverified.sub, unverified.aud),
        (ISSUER, "248289761001", CLIENT_ID)
    );
    assert_eq!(
        (unverified.exp, unverified.iat),
        (1_311_281_970, 1_311_280_970)
    );
    assert_eq!((unverified.nonce, unverified.at_hash), (NONCE, AT_HASH));
    let mut out = [0u8; 43];
    assert_eq!(
        jwt::at_hash(Algorithm::RS256, AT, &mut out).unwrap(),
        AT_HASH
    );
    // The claims pass every check at their own time, the RS256 signature verified with the
    // App. A.1 key; another access token fails the at_hash check.
    #[cfg(feature = "rsa")]
    {
        use implicit_grant::{ClaimsError, Expectations, UnixTime, jwt::Audience, verify::Jwks};
        let jwks = Jwks::parse(JWKS_A1).unwrap();
        let mut e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW)
            .leeway(secs(0))
            .access_token(Some(AT));
        let mut scratch = [0u8; 1024];
        let claims = implicit_grant::verify_id_token(IDT_A3, &e, &jwks, &mut scratch).unwrap();
        assert_eq!((claims.iss(), claims.sub()), (ISSUER, "248289761001"));
        assert_eq!(claims.aud(), Audience::One(CLIENT_ID));
        assert_eq!(
            (claims.exp(), claims.iat()),
            (
                UnixTime::from_secs(1_311_281_970),
                UnixTime::from_secs(1_311_280_970)
            )
        );
        assert_eq!(
            (claims.nonce(), claims.at_hash()),
            (Some(NONCE), Some(AT_HASH))
        );
        assert_eq!(claims.alg(), Algorithm::RS256);
        e = e.access_token(Some("SlAV32hkKG"));
        assert_eq!(
            implicit_grant::verify_id_token(IDT_A3, &e, &jwks, &mut scratch).map(drop),
            Err(Error::Claims(ClaimsError::AtHashMismatch))
        );
    }
}
