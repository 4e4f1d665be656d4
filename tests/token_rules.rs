//! ID token rules, mapped in CONFORMANCE.md (RFC 7515, RFC 7519, RFC 8725, OIDC Core §2,
//! §3.1.3.7, §3.2.2.9–11), on tokens signed with the RFC 7515 App. A.1 HMAC key.
#![cfg(feature = "hmac")]

mod common;

use common::*;
use implicit_grant::jwt::{IdTokenClaims, scratch_len};
use implicit_grant::verify::HmacKey;
use implicit_grant::{Algorithm, Expectations, UnixTime, verify_id_token};
use implicit_grant::{Claim, ClaimsError, ConfigError, Error, JwtError, SelectionError};

fn expectations() -> Expectations<'static> {
    expectations_at(NOW)
}

fn expectations_at(now: UnixTime) -> Expectations<'static> {
    Expectations::new(ISSUER, CLIENT_ID, NONCE, now)
        .algorithms(&[Algorithm::HS256])
        .leeway(secs(0))
}

fn verify_with(token: &str, e: &Expectations<'_>) -> Result<(), Error> {
    let key = hmac_key();
    let mut scratch = vec![0u8; scratch_len(token.len())];
    verify_id_token(token, e, &HmacKey::hs256(&key).unwrap(), &mut scratch).map(drop)
}

fn verify(token: &str) -> Result<(), Error> {
    verify_with(token, &expectations())
}

/// A token over `payload` with the standard HS256 header.
fn signed(payload: &str) -> String {
    sign_hs256(HS256_HEADER, payload)
}

/// Claims with one member replaced (`"name":value`), or removed when `value` is `None`.
fn claims_with(name: &str, value: Option<&str>) -> String {
    let base = [
        ("iss", format!("\"{ISSUER}\"")),
        ("sub", "\"248289761001\"".to_owned()),
        ("aud", format!("\"{CLIENT_ID}\"")),
        ("nonce", format!("\"{NONCE}\"")),
        ("exp", "1311281970".to_owned()),
        ("iat", "1311280970".to_owned()),
    ];
    let mut members: Vec<String> = base
        .iter()
        .filter(|(n, _)| *n != name)
        .map(|(n, v)| format!("\"{n}\":{v}"))
        .collect();
    if let Some(v) = value {
        members.push(format!("\"{name}\":{v}"));
    }
    format!("{{{}}}", members.join(","))
}

fn claim(name: &str, value: Option<&str>) -> Result<(), Error> {
    verify(&signed(&claims_with(name, value)))
}

fn jwt(e: JwtError) -> Result<(), Error> {
    Err(Error::Jwt(e))
}

fn claims_err(e: ClaimsError) -> Result<(), Error> {
    Err(Error::Claims(e))
}

#[test]
fn valid_minimal_token_verifies() {
    assert_eq!(verify(&signed(&claims(NONCE, ""))), Ok(()));
}

#[test]
fn rfc7515_7_1_segments() {
    let good = signed(&claims(NONCE, ""));
    let (h, rest) = good.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    for bad in [
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}.x"),
        "..".to_owned(),
        format!("{h}..{s}"),
        format!(".{p}.{s}"),
    ] {
        assert_eq!(verify(&bad), jwt(JwtError::NotCompact), "{bad}");
    }
    assert_eq!(
        verify(&format!("{h}.{p}.{s}.x.y")),
        jwt(JwtError::EncryptedUnsupported)
    );
}

#[test]
fn rfc7515_2_strict_base64url() {
    let good = signed(&claims(NONCE, ""));
    let (h, rest) = good.split_once('.').unwrap();
    for bad in [
        format!("{h}==.{rest}"),
        format!("{}.{rest}", h.replace('J', "+")),
        good.replacen('.', ".\n", 1),
        good.replacen('.', ". ", 1),
        format!("{h}A.{rest}"),
    ] {
        assert_eq!(verify(&bad), jwt(JwtError::InvalidBase64Url), "{bad:?}");
    }
    // A 16-byte header encodes to 22 characters, the last carrying 4 unused bits: setting
    // one of them gives a non-canonical encoding of the same bytes.
    let header = r#"{"alg":"HS256" }"#;
    let token = sign_hs256(header, &claims(NONCE, ""));
    assert_eq!(verify(&token), Ok(()));
    let encoded = b64(header.as_bytes());
    let last = encoded.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bumped = alphabet
        .chars()
        .nth(alphabet.find(last).unwrap() + 1)
        .unwrap();
    let noncanonical = token.replacen(
        &encoded,
        &format!("{}{bumped}", &encoded[..encoded.len() - 1]),
        1,
    );
    assert_eq!(verify(&noncanonical), jwt(JwtError::InvalidBase64Url));
}

#[test]
fn rfc7515_4_header_json() {
    for header in ["null", "[]", "\"x\"", "1"] {
        assert_eq!(
            verify(&sign_hs256(header, &claims(NONCE, ""))),
            jwt(JwtError::InvalidHeader),
            "{header}"
        );
    }
    let not_utf8 = format!(
        "{}.{}.c2ln",
        b64(b"{\"alg\":\"\xC3\x28\"}"),
        b64(claims(NONCE, "").as_bytes())
    );
    assert_eq!(verify(&not_utf8), jwt(JwtError::InvalidHeader));
    let dup = sign_hs256(
        r#"{"kid":"1e9gdk7","alg":"none","alg":"HS256"}"#,
        &claims(NONCE, ""),
    );
    assert_eq!(verify(&dup), jwt(JwtError::DuplicateMember));
}

#[test]
fn rfc7519_7_2_payload_json() {
    for payload in ["[]", "123", "\"s\"", "null"] {
        assert_eq!(
            verify(&signed(payload)),
            jwt(JwtError::ClaimsNotObject),
            "{payload}"
        );
    }
    assert_eq!(
        verify(&signed(&format!("{}x", claims(NONCE, "")))),
        jwt(JwtError::InvalidJson)
    );
    assert_eq!(
        verify(&signed(&format!("{} \r\n", claims(NONCE, "")))),
        Ok(())
    );
    assert_eq!(
        verify(&signed(&format!("\u{feff}{}", claims(NONCE, "")))),
        jwt(JwtError::InvalidJson)
    );
}

#[test]
fn rfc8725_3_1_alg_presence_allow_list_and_none() {
    let payload = claims(NONCE, "");
    assert_eq!(
        verify(&sign_hs256(r#"{"typ":"JWT"}"#, &payload)),
        jwt(JwtError::MissingAlg)
    );
    assert_eq!(
        verify(&sign_hs256(r#"{"alg":256}"#, &payload)),
        jwt(JwtError::InvalidHeader)
    );
    let es256_only = expectations().algorithms(&[Algorithm::ES256]);
    assert_eq!(
        verify_with(&signed(&payload), &es256_only),
        jwt(JwtError::AlgNotAllowed)
    );
    let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(payload.as_bytes()));
    assert_eq!(verify(&none), jwt(JwtError::AlgNone));
    for name in ["None", "NONE", "hs256", "Ed448"] {
        let header = format!(r#"{{"alg":"{name}"}}"#);
        assert_eq!(
            verify(&sign_hs256(&header, &payload)),
            jwt(JwtError::UnsupportedAlgorithm),
            "{name}"
        );
    }
}

#[test]
fn oidc_core_10_1_symmetric_algorithms_need_an_explicit_opt_in() {
    let token = signed(&claims(NONCE, ""));
    let default = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW);
    assert_eq!(verify_with(&token, &default), jwt(JwtError::AlgNotAllowed));
    // The verifier holds an HMAC key only: an RS256 header never reaches it as HMAC.
    let rs256 = sign_hs256(r#"{"alg":"RS256"}"#, &claims(NONCE, ""));
    let e = expectations().algorithms(&[Algorithm::RS256, Algorithm::HS256]);
    assert_eq!(
        verify_with(&rs256, &e),
        Err(Error::KeySelection(SelectionError::KeyTypeMismatch))
    );
}

#[test]
fn rfc8725_3_10_embedded_keys_are_ignored() {
    let header = r#"{"alg":"HS256","jwk":{"kty":"oct","k":"YXR0YWNrZXI"},"jku":"https://evil.example/jwks"}"#;
    assert_eq!(verify(&sign_hs256(header, &claims(NONCE, ""))), Ok(()));
    // Signed with the attacker's key named in `jwk`: refused.
    let forged = sign_hs256(header, &claims(NONCE, ""));
    let (input, _) = forged.rsplit_once('.').unwrap();
    let attacker = format!("{input}.{}", b64(&[0u8; 32]));
    assert_eq!(verify(&attacker), jwt(JwtError::BadSignature));
}

#[test]
fn rfc7515_4_1_11_crit_and_typ() {
    let payload = claims(NONCE, "");
    assert_eq!(
        verify(&sign_hs256(
            r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
            &payload
        )),
        jwt(JwtError::UnsupportedCritical)
    );
    assert_eq!(
        verify(&sign_hs256(r#"{"alg":"HS256","crit":[]}"#, &payload)),
        jwt(JwtError::InvalidHeader)
    );
    for typ in ["JWT", "jwt", "application/jwt", "Application/JWT"] {
        let header = format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#);
        assert_eq!(verify(&sign_hs256(&header, &payload)), Ok(()), "{typ}");
    }
    for typ in [
        "at+jwt",
        "logout+jwt",
        "secevent+jwt",
        "dpop+jwt",
        "application/at+jwt",
    ] {
        let header = format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#);
        assert_eq!(
            verify(&sign_hs256(&header, &payload)),
            jwt(JwtError::UnexpectedTyp),
            "{typ}"
        );
    }
}

#[test]
fn oidc_core_3_2_2_11_bad_signatures() {
    let token = signed(&claims(NONCE, ""));
    let (input, sig) = token.rsplit_once('.').unwrap();
    let raw: Vec<u8> =
        <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(sig).unwrap();
    let xor: Vec<u8> = raw.iter().map(|b| b ^ 0x5A).collect();
    let mut sorted: Vec<char> = sig.chars().collect();
    sorted.sort_unstable();
    let sorted: String = sorted.into_iter().collect();
    let cases = [
        format!("{input}.{}", b64(&xor)),
        format!("{input}.{sorted}"),
        format!("{input}.{}", b64(&raw[..31])),
        format!("{input}.{}", b64(&[raw.as_slice(), &[0]].concat())),
        format!("{input}.{}", b64(&[0u8; 600])),
        format!("{input}."),
        format!(
            "{}.{}.{sig}",
            b64(HS256_HEADER.as_bytes()),
            b64(claims(NONCE, "")
                .replace("248289761001", "248289761002")
                .as_bytes())
        ),
    ];
    for bad in cases {
        assert!(
            matches!(
                verify(&bad),
                Err(Error::Jwt(
                    JwtError::BadSignature | JwtError::InvalidBase64Url
                ))
            ),
            "{bad}"
        );
    }
    assert_eq!(
        verify(&format!("{input}.{}", b64(&xor))),
        jwt(JwtError::BadSignature)
    );
}

#[test]
fn oidc_core_14_json_escapes_are_resolved_before_comparison() {
    let escaped_iss = claims(NONCE, "").replace(
        "https://server.example.com",
        r"https:\/\/server.example.com",
    );
    assert_eq!(verify(&signed(&escaped_iss)), Ok(()));
    let unicode_iss = claims(NONCE, "").replace("\"https://", r#""\u0068ttps://"#);
    assert_eq!(verify(&signed(&unicode_iss)), Ok(()));
    let escaped_name = claims(NONCE, "").replace("\"nonce\"", r#""n\u006fnce""#);
    assert_eq!(verify(&signed(&escaped_name)), Ok(()));
    let dup = claims(NONCE, r#","n\u006fnce":"y""#);
    assert_eq!(verify(&signed(&dup)), jwt(JwtError::DuplicateMember));
    for bad in [
        r#""\x41""#,
        r#""\u12""#,
        r#""\uZZZZ""#,
        r#""\ud800""#,
        "\"a\nb\"",
    ] {
        let payload = claims(NONCE, &format!(",\"x\":{bad}"));
        assert_eq!(
            verify(&signed(&payload)),
            jwt(JwtError::InvalidJson),
            "{bad:?}"
        );
    }
    assert_eq!(
        verify(&signed(&claims(NONCE, r#","x":"\ud83d\ude00""#))),
        Ok(())
    );
    let composed = claims(NONCE, "").replace("server.example", "serv\u{e9}r.example");
    let e = Expectations::new("https://serve\u{301}r.example.com", CLIENT_ID, NONCE, NOW)
        .algorithms(&[Algorithm::HS256])
        .leeway(secs(0));
    assert_eq!(
        verify_with(&signed(&composed), &e),
        claims_err(ClaimsError::IssuerMismatch)
    );
}

#[test]
fn rfc7519_4_duplicate_claims_either_order() {
    for payload in [
        format!(
            r#"{{"iss":"https://evil.example",{}"#,
            &claims(NONCE, "")[1..]
        ),
        claims(NONCE, r#","iss":"https://evil.example""#),
    ] {
        assert_eq!(verify(&signed(&payload)), jwt(JwtError::DuplicateMember));
    }
}

#[test]
fn rfc7519_2_numeric_dates() {
    for exp in [
        "1311281970",
        "1311281970.0",
        "1.31128197e9",
        "1.31128197E+9",
    ] {
        assert_eq!(claim("exp", Some(exp)), Ok(()), "{exp}");
    }
    let fractional = signed(&claims_with("exp", Some("1311281970.5")));
    let e = expectations_at(UnixTime::from_secs(1_311_281_970));
    assert_eq!(verify_with(&fractional, &e), Ok(()));
    let e = expectations_at(UnixTime::from_secs(1_311_281_971));
    assert_eq!(
        verify_with(&fractional, &e),
        claims_err(ClaimsError::Expired)
    );
    for bad in ["01311281970", "+1311281970", ".5", "1.", "NaN", "Infinity"] {
        assert_eq!(claim("exp", Some(bad)), jwt(JwtError::InvalidJson), "{bad}");
    }
    for out in [
        "1e400",
        "18446744073709551616",
        "-9223372036854775809",
        "1311281970000",
    ] {
        assert_eq!(
            claim("exp", Some(out)),
            claims_err(ClaimsError::InvalidClaimValue(Claim::Exp)),
            "{out}"
        );
    }
    for wrong in ["\"1311281970\"", "true", "[1]"] {
        assert_eq!(
            claim("exp", Some(wrong)),
            claims_err(ClaimsError::InvalidClaimType(Claim::Exp))
        );
    }
    assert_eq!(
        claim("iat", Some("\"1311280970\"")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Iat))
    );
    assert_eq!(
        claim("exp", Some("null")),
        claims_err(ClaimsError::MissingClaim(Claim::Exp))
    );
}

#[test]
fn oidc_core_2_unknown_claims_and_depth() {
    let extra = r#","name":"Jane Doe","x":{"y":[1,{"z":null}]},"_claim_names":{"a":"b"}"#;
    assert_eq!(verify(&signed(&claims(NONCE, extra))), Ok(()));
    // The claims object is depth 1; the limit is 32.
    let nested =
        |depth: usize| format!(",\"x\":{}{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
    assert_eq!(verify(&signed(&claims(NONCE, &nested(32)))), Ok(()));
    assert_eq!(
        verify(&signed(&claims(NONCE, &nested(33)))),
        jwt(JwtError::DepthLimit)
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, &nested(5000)))),
        jwt(JwtError::DepthLimit)
    );
}

#[test]
fn oidc_core_3_1_3_7_step_2_issuer_exact() {
    for iss in [
        "\"https://server.example.com1\"",
        "\"https://example.org/\"",
        "\"https://server.example.com/\"",
        "\"HTTPS://server.example.com\"",
    ] {
        assert_eq!(
            claim("iss", Some(iss)),
            claims_err(ClaimsError::IssuerMismatch),
            "{iss}"
        );
    }
    assert_eq!(
        claim("iss", None),
        claims_err(ClaimsError::MissingClaim(Claim::Iss))
    );
    assert_eq!(
        claim("iss", Some("1")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Iss))
    );
}

#[test]
fn oidc_core_3_1_3_7_step_3_audience() {
    for ok in [
        "\"s6BhdRkqt3\"",
        "[\"s6BhdRkqt3\"]",
        "[\"s6BhdRkqt3\",\"s6BhdRkqt3\"]",
    ] {
        assert_eq!(claim("aud", Some(ok)), Ok(()), "{ok}");
    }
    for bad in [
        "\"s6BhdRkqt31\"",
        "\"S6BhdRkqt3\"",
        "\"https://example.com/\"",
        "[]",
        "[\"https://other.example\"]",
    ] {
        assert_eq!(
            claim("aud", Some(bad)),
            claims_err(ClaimsError::AudienceMismatch),
            "{bad}"
        );
    }
    assert_eq!(
        claim("aud", None),
        claims_err(ClaimsError::MissingClaim(Claim::Aud))
    );
    assert_eq!(
        claim("aud", Some("[\"s6BhdRkqt3\",1]")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Aud))
    );
    assert_eq!(
        claim("aud", Some("1")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Aud))
    );
    let extra = signed(&claims_with(
        "aud",
        Some("[\"s6BhdRkqt3\",\"https://other.example\"]"),
    ));
    assert_eq!(verify(&extra), claims_err(ClaimsError::UntrustedAudience));
    let e = expectations().trusted_audiences(&["https://other.example"]);
    assert_eq!(verify_with(&extra, &e), Ok(()));
    let seventeen = format!("[\"{CLIENT_ID}\"{}]", ",\"x\"".repeat(16));
    assert_eq!(
        claim("aud", Some(&seventeen)),
        claims_err(ClaimsError::TooManyAudiences)
    );
}

#[test]
fn oidc_core_3_1_3_7_step_4_azp() {
    assert_eq!(
        verify(&signed(&claims(NONCE, r#","azp":"s6BhdRkqt3""#))),
        Ok(())
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, r#","azp":"other""#))),
        claims_err(ClaimsError::AzpMismatch)
    );
}

#[test]
fn oidc_core_3_1_3_7_step_9_exp_boundaries_with_leeway() {
    let token = signed(&claims(NONCE, ""));
    let exp = 1_311_281_970;
    let at = |now: u64, leeway: u64| {
        let e = expectations_at(UnixTime::from_secs(now)).leeway(secs(leeway));
        verify_with(&token, &e)
    };
    assert_eq!(at(exp - 1, 0), Ok(()));
    assert_eq!(at(exp, 0), claims_err(ClaimsError::Expired));
    assert_eq!(at(exp + 59, 60), Ok(()));
    assert_eq!(at(exp + 60, 60), claims_err(ClaimsError::Expired));
    assert_eq!(
        at(exp, 301),
        Err(Error::Config(ConfigError::LeewayTooLarge))
    );
    assert_eq!(at(u64::MAX, 300), claims_err(ClaimsError::Expired));
    assert_eq!(
        claim("exp", None),
        claims_err(ClaimsError::MissingClaim(Claim::Exp))
    );
}

#[test]
fn oidc_core_3_1_3_7_step_10_iat_and_nbf_boundaries() {
    let iat = 1_311_280_970;
    let token = signed(&claims(NONCE, ""));
    let at = |token: &str, now: u64, leeway: u64| {
        let e = expectations_at(UnixTime::from_secs(now)).leeway(secs(leeway));
        verify_with(token, &e)
    };
    assert_eq!(
        at(&token, iat - 61, 60),
        claims_err(ClaimsError::IssuedInFuture)
    );
    assert_eq!(at(&token, iat - 60, 60), Ok(()));
    assert_eq!(at(&token, 0, 0), claims_err(ClaimsError::IssuedInFuture));
    assert_eq!(
        claim("iat", None),
        claims_err(ClaimsError::MissingClaim(Claim::Iat))
    );
    let nbf = |value: UnixTime| {
        let value = value.as_secs();
        signed(&claims(NONCE, &format!(",\"nbf\":{value}")))
    };
    assert_eq!(
        at(&nbf(now_plus(61)), NOW.as_secs(), 60),
        claims_err(ClaimsError::NotYetValid)
    );
    assert_eq!(at(&nbf(now_plus(60)), NOW.as_secs(), 60), Ok(()));
}

#[test]
fn oidc_core_2_sub() {
    assert_eq!(
        claim("sub", None),
        claims_err(ClaimsError::MissingClaim(Claim::Sub))
    );
    assert_eq!(
        claim("sub", Some("\"\"")),
        claims_err(ClaimsError::MissingClaim(Claim::Sub))
    );
    assert_eq!(
        claim("sub", Some("248289761001")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Sub))
    );
    assert_eq!(
        claim("sub", Some(&format!("\"{}\"", "a".repeat(255)))),
        Ok(())
    );
    assert_eq!(
        claim("sub", Some(&format!("\"{}\"", "a".repeat(256)))),
        claims_err(ClaimsError::InvalidClaimValue(Claim::Sub))
    );
}

#[test]
fn oidc_core_3_2_2_11_nonce() {
    for bad in ["\"n-0S6_WzA2Mj1\"", "\"012345678\"", "\"n-0S6_WzA2M\""] {
        assert_eq!(
            claim("nonce", Some(bad)),
            claims_err(ClaimsError::NonceMismatch),
            "{bad}"
        );
    }
    assert_eq!(
        claim("nonce", None),
        claims_err(ClaimsError::MissingClaim(Claim::Nonce))
    );
    assert_eq!(
        claim("nonce", Some("null")),
        claims_err(ClaimsError::MissingClaim(Claim::Nonce))
    );
    assert_eq!(
        claim("nonce", Some("123")),
        claims_err(ClaimsError::InvalidClaimType(Claim::Nonce))
    );
    assert_eq!(claim("nonce", Some(r#""n-0S6\u005fWzA2Mj""#)), Ok(()));
}

#[test]
fn oidc_core_2_acr() {
    assert_eq!(
        verify(&signed(&claims(
            NONCE,
            r#","acr":"urn:mace:incommon:iap:silver""#
        ))),
        Ok(())
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, r#","acr":"""#))),
        claims_err(ClaimsError::InvalidClaimValue(Claim::Acr))
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, r#","acr":2"#))),
        claims_err(ClaimsError::InvalidClaimType(Claim::Acr))
    );
}

#[test]
fn oidc_core_3_1_3_7_step_13_auth_time_and_max_age() {
    let e = expectations().max_age(secs(300));
    assert_eq!(
        verify_with(&signed(&claims(NONCE, "")), &e),
        claims_err(ClaimsError::MissingClaim(Claim::AuthTime))
    );
    let auth = |t: UnixTime| {
        let t = t.as_secs();
        signed(&claims(NONCE, &format!(",\"auth_time\":{t}")))
    };
    assert_eq!(
        verify_with(&auth(NOW.saturating_sub(secs(100))), &e),
        Ok(())
    );
    assert_eq!(
        verify_with(&auth(NOW.saturating_sub(secs(300))), &e),
        Ok(())
    );
    assert_eq!(
        verify_with(&auth(NOW.saturating_sub(secs(301))), &e),
        claims_err(ClaimsError::AuthTooOld)
    );
    assert_eq!(
        verify_with(&auth(now_plus(1)), &e),
        claims_err(ClaimsError::AuthTimeInFuture)
    );
    let text = signed(&claims(NONCE, r#","auth_time":"1311280969""#));
    assert_eq!(
        verify_with(&text, &e),
        claims_err(ClaimsError::InvalidClaimType(Claim::AuthTime))
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, ""))),
        Ok(()),
        "no max_age, no auth_time: fine"
    );
}

/// The bounds exactly, with a leeway: `auth_time` up to `now + leeway` is not in the future,
/// and `auth_time + max_age + leeway` may equal `now` (RFC 7519 §4.1.4's leeway applies to
/// `auth_time` as to the other times).
#[test]
fn oidc_core_3_1_3_7_step_13_auth_time_bounds_with_leeway() {
    let auth = |t: u64| signed(&claims(NONCE, &format!(",\"auth_time\":{t}")));
    let now = NOW.as_secs();
    let e = expectations().max_age(secs(300)).leeway(secs(60));
    assert_eq!(verify_with(&auth(now - 360), &e), Ok(()));
    assert_eq!(
        verify_with(&auth(now - 361), &e),
        claims_err(ClaimsError::AuthTooOld)
    );
    assert_eq!(verify_with(&auth(now + 60), &e), Ok(()));
    assert_eq!(
        verify_with(&auth(now + 61), &e),
        claims_err(ClaimsError::AuthTimeInFuture)
    );
    let strict = expectations().max_age(secs(300));
    assert_eq!(verify_with(&auth(now), &strict), Ok(()), "auth_time = now");
}

#[test]
fn oidc_core_3_2_2_9_at_hash() {
    let mut e = expectations().access_token(Some(AT));
    let with_hash = |h: &str| signed(&claims(NONCE, &format!(",\"at_hash\":{h}")));
    assert_eq!(
        verify_with(&with_hash(&format!("\"{AT_HASH}\"")), &e),
        Ok(())
    );
    let mut sorted: Vec<char> = AT_HASH.chars().collect();
    sorted.sort_unstable();
    let sorted: String = sorted.into_iter().collect();
    for bad in [
        format!("\"{AT_HASH}1\""),
        format!("\"{sorted}\""),
        format!("\"{AT_HASH}==\""),
    ] {
        assert_eq!(
            verify_with(&with_hash(&bad), &e),
            claims_err(ClaimsError::AtHashMismatch),
            "{bad}"
        );
    }
    assert_eq!(
        verify_with(&signed(&claims(NONCE, "")), &e),
        claims_err(ClaimsError::MissingClaim(Claim::AtHash))
    );
    assert_eq!(
        verify(&signed(&claims(NONCE, ""))),
        Ok(()),
        "id_token only: no at_hash needed"
    );
    assert_eq!(
        verify(&with_hash("\"garbage\"")),
        Ok(()),
        "id_token only: at_hash ignored"
    );
    assert_eq!(
        verify_with(&with_hash("1234"), &e),
        claims_err(ClaimsError::InvalidClaimType(Claim::AtHash))
    );
    e = e.access_token(Some("SlAV32hkKG"));
    assert_eq!(
        verify_with(&with_hash(&format!("\"{AT_HASH}\"")), &e),
        claims_err(ClaimsError::AtHashMismatch)
    );
    let plus = with_hash("\"A_sPNxmExPlnZ6P_x4MgRQ\"");
    e = e.access_token(Some("abc+def"));
    assert_eq!(verify_with(&plus, &e), Ok(()));
    e = e.access_token(Some("abc def"));
    assert_eq!(
        verify_with(&plus, &e),
        claims_err(ClaimsError::AtHashMismatch)
    );
    let c_hash = signed(&claims(NONCE, r#","c_hash":"x","s_hash":"y""#));
    assert_eq!(verify(&c_hash), Ok(()));
}

#[test]
fn scratch_size_is_exact_and_scratch_len_suffices() {
    let token = signed(&claims(NONCE, r#","name":"Jane Doe""#));
    let (h, rest) = token.split_once('.').unwrap();
    let (p, sig) = rest.split_once('.').unwrap();
    let decoded = |s: &str| s.len() * 3 / 4;
    // Twice the header and payload (decoded, then canonical), and the signature.
    let required = 2 * (decoded(h) + decoded(p)) + decoded(sig);
    let key = hmac_key();
    let verifier = HmacKey::hs256(&key).unwrap();
    let mut short = vec![0u8; required - 1];
    assert_eq!(
        verify_id_token(&token, &expectations(), &verifier, &mut short).map(drop),
        Err(Error::BufferTooSmall { required })
    );
    let mut exact = vec![0u8; required];
    assert!(verify_id_token(&token, &expectations(), &verifier, &mut exact).is_ok());
    assert!(scratch_len(token.len()) >= required);
}

#[test]
fn verified_claims_expose_custom_claims_and_redact_the_nonce() {
    let token = signed(&claims(
        NONCE,
        r#","name":"Jane \"JD\" Doe","https:\/\/foo.com\/myclaim":"admin","email_verified":true"#,
    ));
    let key = hmac_key();
    let mut scratch = vec![0u8; scratch_len(token.len())];
    let claims: IdTokenClaims<'_> = verify_id_token(
        &token,
        &expectations(),
        &HmacKey::hs256(&key).unwrap(),
        &mut scratch,
    )
    .unwrap();
    #[derive(serde::Deserialize)]
    struct Custom<'a> {
        #[serde(rename = "https://foo.com/myclaim")]
        role: &'a str,
        name: heapless::String<32>,
        email_verified: bool,
    }
    let custom: Custom = claims.decode_claims(&mut [0u8; 32]).unwrap();
    assert_eq!(
        (custom.role, custom.name.as_str(), custom.email_verified),
        ("admin", "Jane \"JD\" Doe", true)
    );
    #[derive(serde::Deserialize)]
    struct Borrowed<'a> {
        #[allow(dead_code)]
        name: &'a str,
    }
    assert_eq!(
        claims.decode_claims::<Borrowed>(&mut [0u8; 32]).err(),
        Some(JwtError::Deserialize)
    );
    let debug = format!("{claims:?}");
    assert!(
        !debug.contains(NONCE) && debug.contains("248289761001"),
        "{debug}"
    );
}

/// Empty expectations are a caller bug, refused before the token is read: even a malformed
/// token gets the configuration error.
#[test]
fn verify_id_token_refuses_an_empty_issuer_client_id_or_nonce_first() {
    use implicit_grant::Param;
    let token = signed(&claims(NONCE, ""));
    for (e, p) in [
        (Expectations::new("", CLIENT_ID, NONCE, NOW), Param::Issuer),
        (Expectations::new(ISSUER, "", NONCE, NOW), Param::ClientId),
        (Expectations::new(ISSUER, CLIENT_ID, "", NOW), Param::Nonce),
    ] {
        let e = e.algorithms(&[Algorithm::HS256]).leeway(secs(0));
        let want = Err(Error::Config(ConfigError::Missing(p)));
        assert_eq!(verify_with(&token, &e), want, "{p:?}");
        assert_eq!(verify_with("not a token", &e), want, "{p:?}");
        assert_eq!(verify_with(&token, &e.leeway(secs(301))), want, "{p:?}");
    }
}

#[test]
fn an_empty_expected_nonce_never_accepts_a_token_without_nonce_or_with_an_empty_one() {
    let e = Expectations::new(ISSUER, CLIENT_ID, "", NOW)
        .algorithms(&[Algorithm::HS256])
        .leeway(secs(0));
    for token in [
        signed(&claims_with("nonce", None)),
        signed(&claims_with("nonce", Some("\"\""))),
    ] {
        assert!(verify_with(&token, &e).is_err(), "{token}");
    }
    // The claim check fails closed too: the token really carries `"nonce":""`, which an
    // empty expected nonce would match by plain comparison. `Expectations` with an empty
    // nonce are refused outright, before the token is read; a non-empty expected nonce
    // never matches the empty claim.
    let token = signed(&claims_with("nonce", Some("\"\"")));
    let mut scratch = vec![0u8; scratch_len(token.len())];
    let payload = implicit_grant::jwt::decode_unverified_claims(&token, &mut scratch).unwrap();
    #[derive(serde::Deserialize)]
    struct Nonce<'a> {
        nonce: &'a str,
    }
    assert_eq!(payload.deserialize::<Nonce>(&mut []).unwrap().nonce, "");
    assert_eq!(
        verify_with(&token, &e),
        Err(Error::Config(ConfigError::Missing(
            implicit_grant::Param::Nonce
        )))
    );
    assert_eq!(verify(&token), claims_err(ClaimsError::NonceMismatch));
}

#[test]
fn expectations_debug_redacts_the_nonce_and_access_token() {
    let e = expectations().access_token(Some(AT)).max_age(secs(300));
    let debug = format!("{e:?}");
    assert!(!debug.contains(NONCE) && !debug.contains(AT), "{debug}");
    assert_eq!(debug.matches("[redacted]").count(), 2, "{debug}");
    assert!(
        debug.contains(ISSUER) && debug.contains(CLIENT_ID),
        "{debug}"
    );
    assert!(debug.contains("max_age: Some(300s)"), "{debug}");
}

#[test]
fn expectations_setters_each_take_effect() {
    // max_age: auth_time becomes required.
    let token = signed(&claims(NONCE, ""));
    assert_eq!(
        verify_with(&token, &expectations().max_age(secs(300))),
        claims_err(ClaimsError::MissingClaim(Claim::AuthTime))
    );
    // access_token: at_hash becomes required.
    assert_eq!(
        verify_with(&token, &expectations().access_token(Some(AT))),
        claims_err(ClaimsError::MissingClaim(Claim::AtHash))
    );
    // trusted_audiences: a second audience passes only once trusted.
    let two = signed(&claims_with(
        "aud",
        Some(&format!(r#"["{CLIENT_ID}","https://api.example"]"#)),
    ));
    assert_eq!(
        verify_with(&two, &expectations()),
        claims_err(ClaimsError::UntrustedAudience)
    );
    let trusted = expectations().trusted_audiences(&["https://api.example"]);
    assert_eq!(verify_with(&two, &trusted), Ok(()));
    // leeway: at exactly exp the token has expired; a leeway of one second lets it pass.
    assert_eq!(
        verify_with(&token, &expectations_at(UnixTime::from_secs(1_311_281_970))),
        claims_err(ClaimsError::Expired)
    );
    assert_eq!(
        verify_with(
            &token,
            &expectations_at(UnixTime::from_secs(1_311_281_970)).leeway(secs(1))
        ),
        Ok(())
    );
}
