//! Signature verification and keys: RFC 7515 A.2 (RS256) and A.3 (ES256), OIDC Core A.3 with
//! the A.1 JWK, tokens signed by OpenSSL (`tests/data/gen_keys.py`) and by the `rsa` and
//! `p256` crates, strict PKCS#1 v1.5, JWK parsing and key selection (RFC 7515 §5.2; RFC 8725
//! §3.1; OIDC Core §10.1, §3.2.2.11; RFC 7518 §3.3, §3.4; see CONFORMANCE.md).
//!
//! Under Miri these tests are ignored: RSA and P-256 arithmetic take hours in the interpreter, and
//! they hold no unsafe code of ours (the crate forbids it).
#![cfg(all(feature = "rsa", feature = "ecdsa"))]

mod common;

use common::*;
use implicit_grant::jwt::decode_header;
use implicit_grant::verify::{Jwk, JwkMember, Jwks};
use implicit_grant::{Algorithm, Expectations, SignatureVerifier};
use implicit_grant::{Error, JwtError, KeyError, SelectionError, UnixTime, verify_id_token};
use sha2::{Digest, Sha256};

/// RFC 7515 A.2: `{"alg":"RS256"}` over the `iss: joe` payload.
const A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
/// RFC 7515 A.2's public key.
const A2_JWK: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;
/// RFC 7515 A.3: `{"alg":"ES256"}` over the same payload.
const A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
/// RFC 7515 A.3's public key.
const A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;

/// Flips each bit of the signing input and of the signature in turn, checking each copy
/// fails; returns how many copies were checked.
fn every_bit_flip_fails(token: &str, verifier: &impl SignatureVerifier) -> usize {
    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    let mut signature = unb64(signature);
    let mut header = [0u8; 256];
    let header = decode_header(token, &mut header).unwrap();
    let mut input = signing_input.as_bytes().to_vec();
    let mut checked = 0;
    for i in 0..input.len() * 8 {
        input[i / 8] ^= 1 << (i % 8);
        assert_eq!(
            verifier.verify(&header, &input, &signature).map(drop),
            Err(Error::Jwt(JwtError::BadSignature)),
            "input bit {i}"
        );
        input[i / 8] ^= 1 << (i % 8);
        checked += 1;
    }
    for i in 0..signature.len() * 8 {
        signature[i / 8] ^= 1 << (i % 8);
        assert_eq!(
            verifier.verify(&header, &input, &signature).map(drop),
            Err(Error::Jwt(JwtError::BadSignature)),
            "signature bit {i}"
        );
        signature[i / 8] ^= 1 << (i % 8);
        checked += 1;
    }
    assert_eq!(
        verifier.verify(&header, &input, &signature).map(drop),
        Ok(())
    );
    checked
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7515_a2_rs256_verifies_and_every_bit_flip_fails() {
    let key = Jwk::parse(A2_JWK).unwrap();
    assert_eq!(signature_check(A2_TOKEN, &key), Ok(()));
    let input_len = A2_TOKEN.rfind('.').unwrap();
    assert_eq!(every_bit_flip_fails(A2_TOKEN, &key), (input_len + 256) * 8);
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7515_a3_es256_verifies_and_every_bit_flip_fails() {
    let key = Jwk::parse(A3_JWK).unwrap();
    assert_eq!(signature_check(A3_TOKEN, &key), Ok(()));
    let input_len = A3_TOKEN.rfind('.').unwrap();
    assert_eq!(every_bit_flip_fails(A3_TOKEN, &key), (input_len + 64) * 8);
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7515_5_2_oidc_a3_id_token_passes_verify_id_token_with_a1_jwk_at_its_own_time() {
    let jwks = Jwks::parse(JWKS_A1).unwrap();
    let e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW).access_token(Some(AT));
    let mut scratch = [0u8; 1024];
    let claims = verify_id_token(IDT_A3, &e, &jwks, &mut scratch).unwrap();
    assert_eq!(claims.sub(), "248289761001");
    // RFC 7515 §5.2, OIDC Core §3.2.2.11: one payload substring changed (sub …001 → …002).
    let forged = IDT_A3.replacen("MTAwMSIs", "MTAwMiIs", 1);
    assert_ne!(forged, IDT_A3);
    assert_eq!(
        verify_id_token(&forged, &e, &jwks, &mut scratch).map(drop),
        Err(Error::Jwt(JwtError::BadSignature))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8725_3_1_a3_token_with_alg_changed_fails() {
    let jwks = Jwks::parse(JWKS_A1).unwrap();
    let (_, rest) = IDT_A3.split_once('.').unwrap();
    let all = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::ES256,
        Algorithm::HS256,
        Algorithm::PS256,
    ];
    for (alg, expected) in [
        ("RS384", Error::Jwt(JwtError::BadSignature)),
        ("RS512", Error::Jwt(JwtError::BadSignature)),
        (
            "ES256",
            Error::KeySelection(SelectionError::KeyTypeMismatch),
        ),
        (
            "HS256",
            Error::KeySelection(SelectionError::KeyTypeMismatch),
        ),
        // The RSA key fits PS256; the PKCS#1 v1.5 signature does not.
        ("PS256", Error::Jwt(JwtError::BadSignature)),
    ] {
        let header = b64(format!(r#"{{"kid":"1e9gdk7","alg":"{alg}"}}"#).as_bytes());
        let token = format!("{header}.{rest}");
        let mut e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW).algorithms(&all);
        let mut scratch = [0u8; 1024];
        assert_eq!(
            verify_id_token(&token, &e, &jwks, &mut scratch).map(drop),
            Err(expected),
            "{alg}"
        );
        // With the default allow-list (RS256 only) none even reaches the key.
        e = e.algorithms(&[Algorithm::RS256]);
        assert_eq!(
            verify_id_token(&token, &e, &jwks, &mut scratch).map(drop),
            Err(Error::Jwt(JwtError::AlgNotAllowed)),
            "{alg}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn tokens_signed_by_openssl_verify_with_the_committed_jwks() {
    let data: serde_json::Value = serde_json::from_str(include_str!("data/tokens.json")).unwrap();
    let jwks = Jwks::<8>::parse_with_capacity(include_str!("data/jwks.json")).unwrap();
    assert_eq!((jwks.len(), jwks.ignored()), (5, 0));
    let claims = &data["claims"];
    let now = UnixTime::from_secs(claims["iat"].as_u64().unwrap() + 60);
    let e = Expectations::new(
        claims["iss"].as_str().unwrap(),
        claims["aud"].as_str().unwrap(),
        claims["nonce"].as_str().unwrap(),
        now,
    )
    .algorithms(&[Algorithm::RS256, Algorithm::ES256]);
    // The PS256, ES384 and Ed25519 tokens are checked in `tests/algorithms.rs`.
    let tokens: Vec<_> = data["tokens"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(kid, _)| jwks.keys().any(|key| key.kid() == Some(kid.as_str())))
        .collect();
    assert_eq!(tokens.len(), 4);
    for (kid, token) in tokens {
        let token = token.as_str().unwrap();
        let mut scratch = [0u8; 2048];
        let verified = verify_id_token(token, &e, &jwks, &mut scratch);
        assert_eq!(verified.map(|c| c.sub()), Ok("248289761001"), "{kid}");
        // The same token under another key of the set is refused.
        let other = if kid == "rsa-2048-a" {
            "rsa-2048-b"
        } else {
            "rsa-2048-a"
        };
        let relabelled = relabel(token, kid, other);
        assert!(
            verify_id_token(&relabelled, &e, &jwks, &mut scratch).is_err(),
            "{kid} as {other}"
        );
    }
}

/// `token` with its header's `kid` replaced (the signature is left as it was).
fn relabel(token: &str, from: &str, to: &str) -> String {
    let (header, rest) = token.split_once('.').unwrap();
    let header = unb64(header);
    let header = String::from_utf8(header).unwrap().replace(from, to);
    format!("{}.{rest}", b64(header.as_bytes()))
}

#[test]
#[cfg_attr(miri, ignore)]
fn rs256_rs384_rs512_at_2048_3072_4096_bits_and_es256_verify() {
    let jwks = Jwks::<8>::parse_with_capacity(&jwks_json(&[
        "rsa-2048-a",
        "rsa-3072",
        "rsa-4096",
        "p256-a",
    ]))
    .unwrap();
    let payload = r#"{"iss":"joe"}"#;
    for kid in ["rsa-2048-a", "rsa-3072", "rsa-4096"] {
        for alg in ["RS256", "RS384", "RS512"] {
            // The test keys carry "alg":"RS256": bound keys refuse the others.
            let token = sign(kid, &header(alg, kid), payload);
            let expected = if alg == "RS256" {
                Ok(())
            } else {
                Err(Error::KeySelection(SelectionError::KeyAlgMismatch))
            };
            assert_eq!(signature_check(&token, &jwks), expected, "{kid} {alg}");
            let unbound = Jwk::parse(&public_jwk(kid).replace(r#""alg":"RS256","#, "")).unwrap();
            assert_eq!(signature_check(&token, &unbound), Ok(()), "{kid} {alg}");
        }
    }
    let token = sign("p256-a", &header("ES256", "p256-a"), payload);
    assert_eq!(signature_check(&token, &jwks), Ok(()));
    // An RS384 signature presented as RS512 over the same input is refused.
    let rs384 = sign("rsa-3072", r#"{"alg":"RS384"}"#, payload);
    let unbound = Jwk::parse(&public_jwk("rsa-3072").replace(r#""alg":"RS256","#, "")).unwrap();
    let (_, rest) = rs384.split_once('.').unwrap();
    let as_rs512 = format!("{}.{rest}", b64(br#"{"alg":"RS512"}"#));
    assert_eq!(
        signature_check(&as_rs512, &unbound),
        Err(Error::Jwt(JwtError::BadSignature))
    );
}

/// The encoded message `00 01 FF… 00 DigestInfo(SHA-256) H` with the given parts replaced.
fn em(k: usize, digest_info: &[u8], hash: &[u8], ps_fill: u8, block_type: u8) -> Vec<u8> {
    let t_len = digest_info.len() + hash.len();
    let mut out = vec![0x00, block_type];
    out.extend(std::iter::repeat_n(ps_fill, k - t_len - 3));
    out.push(0x00);
    out.extend_from_slice(digest_info);
    out.extend_from_slice(hash);
    out
}

const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8017_8_2_2_pkcs1_v1_5_encoding_is_compared_whole_not_parsed() {
    let kid = "rsa-2048-a";
    let key = Jwk::parse(&public_jwk(kid)).unwrap();
    let signing_input = format!(
        "{}.{}",
        b64(br#"{"alg":"RS256"}"#),
        b64(br#"{"iss":"joe"}"#)
    );
    let hash = Sha256::digest(signing_input.as_bytes()).to_vec();
    let check = |em: Vec<u8>| {
        let token = format!("{signing_input}.{}", b64(&raw_rsa_private(kid, &em)));
        signature_check(&token, &key)
    };
    // The correct encoding, made by hand, verifies: the harness is sound.
    assert_eq!(check(em(256, &SHA256_DIGEST_INFO, &hash, 0xFF, 1)), Ok(()));
    // DigestInfo without the NULL parameters (accepted by lenient parsers).
    let mut no_null = vec![0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09];
    no_null.extend_from_slice(&SHA256_DIGEST_INFO[6..15]);
    no_null.extend_from_slice(&[0x04, 0x20]);
    let forged = [
        em(256, &no_null, &hash, 0xFF, 1),
        // Block type 2 (encryption padding) and non-FF padding.
        em(256, &SHA256_DIGEST_INFO, &hash, 0xFF, 2),
        em(256, &SHA256_DIGEST_INFO, &hash, 0xFE, 1),
        // Garbage after the hash, shortening the padding (Bleichenbacher 2006).
        {
            let mut e = em(256 - 8, &SHA256_DIGEST_INFO, &hash, 0xFF, 1);
            e.extend_from_slice(&[0xAB; 8]);
            e
        },
        // Another message's hash.
        em(256, &SHA256_DIGEST_INFO, &Sha256::digest(b"other"), 0xFF, 1),
    ];
    for (i, em) in forged.into_iter().enumerate() {
        assert_eq!(em.len(), 256);
        assert_eq!(
            check(em),
            Err(Error::Jwt(JwtError::BadSignature)),
            "forgery {i}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_3_malformed_signatures_fail() {
    let kid = "rsa-2048-a";
    let key = Jwk::parse(&public_jwk(kid)).unwrap();
    let token = sign(kid, &header("RS256", kid), r#"{"iss":"joe"}"#);
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    let n = unb64(private_jwk(kid)["n"].as_str().unwrap());
    let xor5a: Vec<u8> = sig.iter().map(|b| b ^ 0x5A).collect();
    let mut sorted = b64(&sig).into_bytes();
    sorted.sort_unstable();
    let sorted = String::from_utf8(sorted).unwrap();
    let cases: [(&str, String); 6] = [
        ("xor 0x5A", b64(&xor5a)),
        ("sorted characters", sorted),
        (
            "255 bytes (RFC 8017 §8.2.2: length is not k)",
            b64(&sig[1..]),
        ),
        (
            "257 bytes (RFC 8017 §8.2.2: length is not k)",
            b64(&[&[0][..], &sig].concat()),
        ),
        ("equal to n (RFC 8017 §5.2.2 step 1)", b64(&n)),
        ("all ones", b64(&[0xFF; 256])),
    ];
    for (what, sig) in cases {
        let forged = format!("{input}.{sig}");
        let result = signature_check(&forged, &key);
        assert!(
            matches!(
                result,
                Err(Error::Jwt(
                    JwtError::BadSignature | JwtError::InvalidBase64Url
                ))
            ),
            "{what}: {result:?}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_der_encoded_es256_signature_fails() {
    let key = Jwk::parse(A3_JWK).unwrap();
    let (input, sig) = A3_TOKEN.rsplit_once('.').unwrap();
    let raw = unb64(sig);
    let der_int = |v: &[u8]| {
        let v: Vec<u8> = if v[0] & 0x80 != 0 {
            [&[0][..], v].concat()
        } else {
            v.to_vec()
        };
        [vec![0x02, v.len() as u8], v].concat()
    };
    let body = [der_int(&raw[..32]), der_int(&raw[32..])].concat();
    let der = [vec![0x30, body.len() as u8], body].concat();
    assert!((70..=72).contains(&der.len()));
    for bad in [der, raw[..63].to_vec(), [&raw[..], &[0]].concat()] {
        let forged = format!("{input}.{}", b64(&bad));
        assert_eq!(
            signature_check(&forged, &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "{} bytes",
            bad.len()
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_3_jwk_parsing_refuses_weak_or_malformed_keys() {
    let rsa = |n: &str, e: &str| format!(r#"{{"kty":"RSA","n":"{n}","e":"{e}"}}"#);
    let a2_n = A2_JWK.split('"').nth(7).unwrap();
    assert_eq!(Jwk::parse(&rsa(a2_n, "AQAB")).map(drop), Ok(()));
    let weak = public_jwk("rsa-1024-weak");
    let cases: Vec<(String, KeyError)> = vec![
        (weak, KeyError::WeakKey),
        (rsa(a2_n, "AQ"), KeyError::InvalidExponent), // e = 1
        (rsa(a2_n, "Ag"), KeyError::InvalidExponent), // e = 2
        (rsa(a2_n, "AQAA"), KeyError::InvalidExponent), // e = 65536
        (rsa(a2_n, "AQAAAAE"), KeyError::InvalidExponent), // 5 bytes
        // Longer than the buffer the exponent is decoded into: still the exponent's error.
        (rsa(a2_n, &b64(&[1; 65])), KeyError::InvalidExponent),
        (
            rsa(a2_n, "AAEAAQ"),
            KeyError::InvalidKeyMember(JwkMember::E),
        ), // leading zero
        (
            rsa(&format!("AA{a2_n}"), "AQAB"),
            KeyError::InvalidKeyMember(JwkMember::N),
        ), // not base64url of the same length; a leading zero octet follows
        (
            rsa(&b64(&[[0u8].as_slice(), &[0xA1; 256]].concat()), "AQAB"),
            KeyError::InvalidKeyMember(JwkMember::N),
        ),
        (rsa(&b64(&[0xA1; 513]), "AQAB"), KeyError::InvalidModulus),
        (rsa(&b64(&[0xA2; 256]), "AQAB"), KeyError::InvalidModulus), // even
        (
            rsa(&format!("{a2_n}="), "AQAB"),
            KeyError::InvalidKeyMember(JwkMember::N),
        ),
        (
            r#"{"kty":"RSA","e":"AQAB"}"#.into(),
            KeyError::MissingKeyMember(JwkMember::N),
        ),
        (
            format!(r#"{{"kty":"RSA","n":"{a2_n}","n":"{a2_n}","e":"AQAB"}}"#),
            KeyError::DuplicateKeyMember(JwkMember::N),
        ),
        (
            format!(r#"{{"kty":"RSA","n":"{a2_n}","e":65537}}"#),
            KeyError::InvalidKeyMember(JwkMember::E),
        ),
        (
            r#"{"n":"AQAB"}"#.into(),
            KeyError::MissingKeyMember(JwkMember::Kty),
        ),
        (
            r#"{"kty":"RSA","k\u0074y":"EC"}"#.into(),
            KeyError::DuplicateKeyMember(JwkMember::Kty),
        ),
        (r#"{"kty":"oct","k":"AAAA"}"#.into(), KeyError::Unsupported),
        // RFC 8812 §3.1's curve: registered for JOSE, not implemented here.
        (A3_JWK.replace("P-256", "secp256k1"), KeyError::Unsupported),
        // Coordinates longer than the buffers they are decoded into: the member's error,
        // not the modulus' or the exponent's.
        (
            format!(
                r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
                b64(&[1; 513]),
                b64(&[1; 32])
            ),
            KeyError::InvalidKeyMember(JwkMember::X),
        ),
        (
            format!(
                r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
                b64(&[1; 32]),
                b64(&[1; 81])
            ),
            KeyError::InvalidKeyMember(JwkMember::Y),
        ),
        // A P-256 key's coordinates under crv P-384 have the wrong length.
        (
            A3_JWK.replace("P-256", "P-384"),
            KeyError::InvalidKeyMember(JwkMember::X),
        ),
        (
            A3_JWK.replace(
                "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1",
            ),
            KeyError::InvalidKeyMember(JwkMember::Y),
        ),
        (
            A3_JWK.replace(
                "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4",
            ),
            KeyError::InvalidPoint,
        ),
        (
            A3_JWK.replace(
                "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                "83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            ),
            KeyError::InvalidKeyMember(JwkMember::X),
        ),
        ("[]".into(), KeyError::InvalidKeyJson),
        (r#"{"kty":"RSA",}"#.into(), KeyError::InvalidKeyJson),
    ];
    for (json, expected) in cases {
        assert_eq!(Jwk::parse(&json).err(), Some(expected), "{json}");
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7517_4_jwk_members_are_read_after_json_unescaping() {
    let escaped = r#"{"k\u0074y":"RSA","kid":"k\u00e9y\/1","e":"AQ\u0041B","n":"N"}"#.replace(
        r#""N""#,
        &format!(r#""{}""#, A2_JWK.split('"').nth(7).unwrap()),
    );
    let key = Jwk::parse(&escaped).unwrap();
    assert_eq!(key.kid(), Some("kéy/1"));
}

#[test]
#[cfg_attr(miri, ignore)]
fn jwks_load_replaces_keys_in_place_and_empties_the_set_on_error() {
    let mut jwks: Jwks = Jwks::new();
    jwks.load(&jwks_json(&["rsa-2048-a"])).unwrap();
    let old = sign("rsa-2048-a", &header("RS256", "rsa-2048-a"), "{}");
    assert_eq!(signature_check(&old, &jwks), Ok(()));
    // The provider rotates: the old key is gone, the new one verifies.
    jwks.load(&jwks_json(&["rsa-2048-b", "p256-a"])).unwrap();
    assert_eq!(jwks.len(), 2);
    assert_eq!(
        signature_check(&old, &jwks),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
    let new = sign("rsa-2048-b", &header("RS256", "rsa-2048-b"), "{}");
    assert_eq!(signature_check(&new, &jwks), Ok(()));
    // A document that fails leaves no key behind, not the previous ones.
    let five = jwks_json(&["rsa-2048-a", "rsa-2048-b", "rsa-3072", "rsa-4096", "p256-a"]);
    assert_eq!(jwks.load(&five), Err(KeyError::TooManyKeys));
    assert!(jwks.is_empty());
    assert_eq!(
        signature_check(&new, &jwks),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7517_5_jwks_parsing_keeps_understood_keys_and_counts_ignored_ones() {
    let set = format!(
        r#" {{ "keys" : [ {}, {{"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}},
            {{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ"}}, {}, {} ] , "extra" : [1, {{"a":null}}] }} "#,
        public_jwk("rsa-2048-a"),
        public_jwk("rsa-1024-weak"),
        A3_JWK.replace("P-256", "secp256k1")
    );
    let jwks = Jwks::parse(&set).unwrap();
    assert_eq!((jwks.len(), jwks.ignored()), (2, 3));
    let kept: Vec<_> = jwks.keys().map(|k| (k.kid(), k.error())).collect();
    assert_eq!(
        kept,
        [
            (Some("rsa-2048-a"), None),
            (Some("rsa-1024-weak"), Some(KeyError::WeakKey))
        ]
    );
    let token = sign("rsa-2048-a", &header("RS256", "rsa-1024-weak"), "{}");
    assert_eq!(
        signature_check(&token, &jwks),
        Err(Error::KeySelection(SelectionError::UnusableKey))
    );

    for (json, expected) in [
        (
            r#"{"keys":{}}"#,
            KeyError::InvalidKeyMember(JwkMember::Keys),
        ),
        (
            r#"{"keys":[1]}"#,
            KeyError::InvalidKeyMember(JwkMember::Keys),
        ),
        (
            r#"{"keys":[],"keys":[]}"#,
            KeyError::DuplicateKeyMember(JwkMember::Keys),
        ),
        (
            r#"{"kids":[]}"#,
            KeyError::MissingKeyMember(JwkMember::Keys),
        ),
        (r#"{"keys":[]"#, KeyError::InvalidKeyJson),
        (r#"{"keys":[],}"#, KeyError::InvalidKeyJson),
    ] {
        assert_eq!(Jwks::parse(json).err(), Some(expected), "{json}");
    }
    let five = jwks_json(&["rsa-2048-a", "rsa-2048-b", "rsa-3072", "rsa-4096", "p256-a"]);
    assert_eq!(Jwks::parse(&five).err(), Some(KeyError::TooManyKeys));
    assert_eq!(
        Jwks::<5>::parse_with_capacity(&five).map(|s| s.len()),
        Ok(5)
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn oidc_core_10_1_key_selection_by_kid_alg_use_and_type() {
    let payload = r#"{"iss":"joe"}"#;
    let set =
        |keys: &[String]| Jwks::parse(&format!(r#"{{"keys":[{}]}}"#, keys.join(","))).unwrap();
    let a = public_jwk("rsa-2048-a");
    let b = public_jwk("rsa-2048-b");
    let ec = public_jwk("p256-a");
    let no_kid = |jwk: &str, kid: &str| jwk.replace(&format!(r#""kid":"{kid}","#), "");

    // RFC 7515 §4.1.4: kid present in the set.
    let token = sign("rsa-2048-a", &header("RS256", "rsa-2048-a"), payload);
    assert_eq!(
        signature_check(&token, &set(&[b.clone(), a.clone(), ec.clone()])),
        Ok(())
    );
    // RFC 7515 §4.1.4, key rotation: unknown kid.
    let unknown = sign("rsa-2048-a", &header("RS256", "rotated"), payload);
    assert_eq!(
        signature_check(&unknown, &set(std::slice::from_ref(&a))),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
    // A kid-less key never answers a token with a kid.
    assert_eq!(
        signature_check(&token, &set(&[no_kid(&a, "rsa-2048-a")])),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
    // OIDC Core §10.1: no kid.
    let kidless = sign("rsa-2048-a", r#"{"alg":"RS256"}"#, payload);
    assert_eq!(
        signature_check(&kidless, &set(std::slice::from_ref(&a))),
        Ok(())
    );
    assert_eq!(
        signature_check(&kidless, &set(&[a.clone(), ec.clone()])),
        Ok(())
    );
    assert_eq!(
        signature_check(&kidless, &set(&[a.clone(), b.clone()])),
        Err(Error::KeySelection(SelectionError::AmbiguousKey))
    );
    // An unusable key (RSA-1024: too weak, kept in the set with its reason) beside the
    // good one: a kid-less token finds the one key that fits, not two.
    let weak = public_jwk("rsa-1024-weak");
    for keys in [[weak.clone(), a.clone()], [a.clone(), weak.clone()]] {
        assert_eq!(signature_check(&kidless, &set(&keys)), Ok(()), "{keys:?}");
    }
    // Naming the unusable key, or with no other RSA key: why none fits, the most specific
    // reason whatever the order (unusable says more than another key type).
    let to_weak = sign("rsa-2048-a", &header("RS256", "rsa-1024-weak"), payload);
    assert_eq!(
        signature_check(&to_weak, &set(&[a.clone(), weak.clone()])),
        Err(Error::KeySelection(SelectionError::UnusableKey))
    );
    for keys in [[weak.clone(), ec.clone()], [ec.clone(), weak.clone()]] {
        assert_eq!(
            signature_check(&kidless, &set(&keys)),
            Err(Error::KeySelection(SelectionError::UnusableKey)),
            "{keys:?}"
        );
    }
    // Two keys with one kid.
    let twin = b.replace("rsa-2048-b", "rsa-2048-a");
    assert_eq!(
        signature_check(&token, &set(&[a.clone(), twin])),
        Err(Error::KeySelection(SelectionError::AmbiguousKey))
    );
    // RFC 7517 §4, RFC 8725 §3.1: alg, type and use. A key that can never verify (an alg
    // this crate does not verify with, `use` other than `sig`) is not kept in a set, so a
    // token naming it finds no key; a lone `Jwk` says why it does not fit.
    // A signature alg the crate knows for the key's type (RS384, PS256) keeps the key.
    for bound in ["RS384", "PS256"] {
        let jwk = a.replace(r#""alg":"RS256""#, &format!(r#""alg":"{bound}""#));
        assert_eq!(
            signature_check(&token, &set(&[jwk])),
            Err(Error::KeySelection(SelectionError::KeyAlgMismatch)),
            "{bound}"
        );
    }
    let oaep = a.replace(r#""alg":"RS256""#, r#""alg":"RSA-OAEP""#);
    let enc = a.replace(r#""use":"sig""#, r#""use":"enc""#);
    for (jwk, lone) in [
        (oaep, SelectionError::KeyAlgMismatch),
        (enc, SelectionError::KeyUseMismatch),
    ] {
        let kept = set(std::slice::from_ref(&jwk));
        assert_eq!((kept.len(), kept.ignored()), (0, 1), "{jwk}");
        assert_eq!(
            signature_check(&token, &kept),
            Err(Error::KeySelection(SelectionError::UnknownKey)),
            "{jwk}"
        );
        assert_eq!(
            signature_check(&token, &Jwk::parse(&jwk).unwrap()),
            Err(Error::KeySelection(lone)),
            "{jwk}"
        );
    }
    let es_on_rsa = sign("p256-a", &header("ES256", "rsa-2048-a"), payload);
    assert_eq!(
        signature_check(&es_on_rsa, &set(std::slice::from_ref(&a))),
        Err(Error::KeySelection(SelectionError::KeyTypeMismatch))
    );
    // An enc key beside the sig key with the same kid is not ambiguous.
    let enc_twin = a.replace(r#""use":"sig""#, r#""use":"enc""#);
    assert_eq!(
        signature_check(&token, &set(&[enc_twin, a.clone()])),
        Ok(())
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8725_3_1_hs256_token_keyed_with_the_rsa_public_key_is_never_verified() {
    // The classic confusion: HMAC keyed with the public key bytes a verifier may hold.
    let a = public_jwk("rsa-2048-a");
    let jwks = Jwks::parse(&format!(r#"{{"keys":[{a}]}}"#)).unwrap();
    let n = unb64(private_jwk("rsa-2048-a")["n"].as_str().unwrap());
    let claims = claims(NONCE, "");
    for (header, secret) in [
        (
            r#"{"alg":"HS256","kid":"rsa-2048-a"}"#,
            a.as_bytes().to_vec(),
        ),
        (r#"{"alg":"HS256"}"#, n.clone()),
    ] {
        use hmac::{Hmac, KeyInit, Mac};
        let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret).unwrap();
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
        let e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW)
            .algorithms(&[Algorithm::RS256, Algorithm::HS256]);
        let mut scratch = [0u8; 1024];
        assert_eq!(
            verify_id_token(&token, &e, &jwks, &mut scratch).map(drop),
            Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
            "{header}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn key_debug_names_the_key_and_stays_short() {
    let set = Jwks::parse(&jwks_json(&["rsa-2048-a", "rsa-1024-weak"])).unwrap();
    let debug = format!("{set:?}");
    assert!(debug.contains(r#"kid: Some("rsa-2048-a")"#), "{debug}");
    assert!(debug.contains("error: Some(WeakKey)"), "{debug}");
    // The 1.5 KB of Montgomery parameters are not dumped.
    assert!(debug.len() < 400, "{}", debug.len());
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_3_odd_modulus_sizes_and_small_exponent_verify() {
    // 2049 and 3073 bits: moduli much narrower than their integer type (3072, 4096 bits).
    for kid in ["rsa-2049", "rsa-3073", "rsa-2048-e3"] {
        let key = Jwk::parse(&public_jwk(kid)).unwrap();
        let token = sign(kid, &header("RS256", kid), r#"{"iss":"joe"}"#);
        assert_eq!(signature_check(&token, &key), Ok(()), "{kid}");
        assert_eq!(
            signature_check(&xor_last(&token), &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "{kid}"
        );
    }
    assert_eq!(private_jwk("rsa-2048-e3")["e"], "Aw");
}

/// `token` with the last byte of its signature flipped.
fn xor_last(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut sig = unb64(sig);
    *sig.last_mut().unwrap() ^= 1;
    format!("{input}.{}", b64(&sig))
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_es256_signatures_out_of_range_fail() {
    let key = Jwk::parse(A3_JWK).unwrap();
    let (input, sig) = A3_TOKEN.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    // The P-256 group order n.
    let n = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63,
        0x25, 0x51,
    ];
    let cases: [(&str, Vec<u8>); 4] = [
        ("r = 0", [&[0; 32][..], &sig[32..]].concat()),
        ("s = 0", [&sig[..32], &[0; 32][..]].concat()),
        ("s = n", [&sig[..32], &n[..]].concat()),
        ("r = n", [&n[..], &sig[32..]].concat()),
    ];
    for (what, bad) in cases {
        let forged = format!("{input}.{}", b64(&bad));
        assert_eq!(
            signature_check(&forged, &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "{what}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn jwk_tolerates_whitespace_and_unknown_long_values() {
    let padded = format!(" \n{}\t\r\n", public_jwk("rsa-2048-a"));
    assert_eq!(Jwk::parse(&padded).unwrap().kid(), Some("rsa-2048-a"));
    // An escaped alg longer than any this crate knows: a lone key is bound to it, a set
    // ignores the key.
    let long_alg = public_jwk("rsa-2048-a").replace(
        r#""alg":"RS256""#,
        r#""alg":"https:\/\/example.com\/alg\/x""#,
    );
    let token = sign("rsa-2048-a", &header("RS256", "rsa-2048-a"), "{}");
    assert_eq!(
        signature_check(&token, &Jwk::parse(&long_alg).unwrap()),
        Err(Error::KeySelection(SelectionError::KeyAlgMismatch))
    );
    let set = Jwks::parse(&format!(r#"{{"keys":[{long_alg}]}}"#)).unwrap();
    assert_eq!((set.len(), set.ignored()), (0, 1));
    assert_eq!(
        signature_check(&token, &set),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
    // An escaped kty longer than any known: ignored, not fatal to the set.
    let long_kty = r#"{"kty":"\u0052SA-with-a-long-name","kid":"x"}"#;
    let set = Jwks::parse(&format!(
        r#"{{"keys":[{long_kty},{}]}}"#,
        public_jwk("rsa-2048-a")
    ))
    .unwrap();
    assert_eq!((set.len(), set.ignored()), (1, 1));
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7517_4_3_key_ops_must_list_verify() {
    let a = public_jwk("rsa-2048-a").replace(r#""use":"sig","#, "");
    let with_ops = |ops: &str| {
        let jwk = a.replacen('{', &format!(r#"{{"key_ops":{ops},"#), 1);
        Jwks::parse(&format!(r#"{{"keys":[{jwk}]}}"#)).unwrap()
    };
    let token = sign("rsa-2048-a", &header("RS256", "rsa-2048-a"), "{}");
    assert_eq!(signature_check(&token, &with_ops(r#"["verify"]"#)), Ok(()));
    assert_eq!(
        signature_check(&token, &with_ops(r#"["sign","verify"]"#)),
        Ok(())
    );
    for ops in [r#"["encrypt"]"#, "[]"] {
        let set = with_ops(ops);
        assert_eq!((set.len(), set.ignored()), (0, 1), "{ops}");
        assert_eq!(
            signature_check(&token, &set),
            Err(Error::KeySelection(SelectionError::UnknownKey)),
            "{ops}"
        );
        let lone = a.replacen('{', &format!(r#"{{"key_ops":{ops},"#), 1);
        assert_eq!(
            signature_check(&token, &Jwk::parse(&lone).unwrap()),
            Err(Error::KeySelection(SelectionError::KeyUseMismatch)),
            "{ops}"
        );
    }
    let not_array = with_ops(r#""verify""#);
    assert_eq!(
        not_array.keys().next().unwrap().error(),
        Some(KeyError::InvalidKeyMember(JwkMember::KeyOps))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8725_3_1_hmac_tokens_never_reach_a_public_key_set() {
    let set = Jwks::parse(&jwks_json(&["rsa-2048-a"])).unwrap();
    for header in [r#"{"alg":"HS256","kid":"rotated"}"#, r#"{"alg":"HS512"}"#] {
        let token = format!("{}.e30.{}", b64(header.as_bytes()), b64(&[0; 32]));
        // Not UnknownKey: no refetch could help.
        assert_eq!(
            signature_check(&token, &set),
            Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
            "{header}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn kidless_tokens_get_the_most_specific_reason() {
    let set = Jwks::parse(&jwks_json(&["p256-a", "rsa-1024-weak"])).unwrap();
    let token = sign("rsa-2048-a", r#"{"alg":"RS256"}"#, "{}");
    assert_eq!(
        signature_check(&token, &set),
        Err(Error::KeySelection(SelectionError::UnusableKey))
    );
    let set = Jwks::parse(&jwks_json(&["rsa-1024-weak", "p256-a"])).unwrap();
    assert_eq!(
        signature_check(&token, &set),
        Err(Error::KeySelection(SelectionError::UnusableKey))
    );
    // A key of the right type bound to another algorithm says more than a key of another
    // type, whichever comes first.
    for kids in [["p256-a", "rsa-2048-a"], ["rsa-2048-a", "p256-a"]] {
        let json = jwks_json(&kids).replace(r#""alg":"RS256""#, r#""alg":"RS384""#);
        assert!(json.contains("RS384"));
        let set = Jwks::parse(&json).unwrap();
        assert_eq!(
            signature_check(&token, &set),
            Err(Error::KeySelection(SelectionError::KeyAlgMismatch)),
            "{kids:?}"
        );
    }
}

#[test]
#[cfg(feature = "hmac")]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_2_hs256_hs384_hs512_verify_and_refuse_each_other() {
    use hmac::{Hmac, KeyInit, Mac};
    use implicit_grant::verify::HmacKey;
    let secret = [0x5Au8; 64];
    let tag = |alg: &str, input: &str| -> Vec<u8> {
        match alg {
            "HS256" => {
                let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret).unwrap();
                m.update(input.as_bytes());
                m.finalize().into_bytes().to_vec()
            }
            "HS384" => {
                let mut m = <Hmac<sha2::Sha384> as KeyInit>::new_from_slice(&secret).unwrap();
                m.update(input.as_bytes());
                m.finalize().into_bytes().to_vec()
            }
            _ => {
                let mut m = <Hmac<sha2::Sha512> as KeyInit>::new_from_slice(&secret).unwrap();
                m.update(input.as_bytes());
                m.finalize().into_bytes().to_vec()
            }
        }
    };
    let keys = [
        ("HS256", HmacKey::hs256(&secret).unwrap()),
        ("HS384", HmacKey::hs384(&secret).unwrap()),
        ("HS512", HmacKey::hs512(&secret).unwrap()),
    ];
    for (alg, key) in keys {
        let input = format!(
            "{}.{}",
            b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
            b64(b"{}")
        );
        let good = tag(alg, &input);
        let token = |sig: &[u8]| format!("{input}.{}", b64(sig));
        assert_eq!(signature_check(&token(&good), &key), Ok(()), "{alg}");
        assert_eq!(
            signature_check(&token(&good[..good.len() - 1]), &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "{alg} truncated"
        );
        assert!(signature_check(&token(&[]), &key).is_err(), "{alg} empty");
        for (other, _) in keys {
            if other != alg {
                let input = format!(
                    "{}.{}",
                    b64(format!(r#"{{"alg":"{other}"}}"#).as_bytes()),
                    b64(b"{}")
                );
                let forged = format!("{input}.{}", b64(&tag(other, &input)));
                assert_eq!(
                    signature_check(&forged, &key),
                    Err(Error::KeySelection(SelectionError::KeyAlgMismatch)),
                    "{alg} as {other}"
                );
            }
        }
        let rs = format!("{}.e30.{}", b64(br#"{"alg":"RS256"}"#), b64(&good));
        assert_eq!(
            signature_check(&rs, &key),
            Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
            "{alg}"
        );
    }
}

/// Encryption keys beside a signing key take no room: six `use:enc` RSA keys and one
/// signing key fit a set of capacity 1 (the default capacity, 4, would be exceeded if
/// they were kept).
#[test]
#[cfg_attr(miri, ignore)]
fn keys_not_for_signatures_do_not_count_against_the_capacity() {
    let mut keys: Vec<String> = ["rsa-2048-b", "rsa-3072", "rsa-4096"]
        .iter()
        .flat_map(|kid| {
            let enc = public_jwk(kid).replace(r#""use":"sig""#, r#""use":"enc""#);
            let oaep = enc.replace(kid, &format!("{kid}-oaep"));
            [enc, oaep]
        })
        .collect();
    assert!(keys.iter().all(|k| k.contains(r#""use":"enc""#)));
    keys.insert(3, public_jwk("rsa-2048-a"));
    let json = format!(r#"{{"keys":[{}]}}"#, keys.join(","));

    let set = Jwks::<1>::parse_with_capacity(&json).unwrap();
    assert_eq!((set.len(), set.ignored()), (1, 6));
    let token = sign(
        "rsa-2048-a",
        &header("RS256", "rsa-2048-a"),
        r#"{"iss":"joe"}"#,
    );
    assert_eq!(signature_check(&token, &set), Ok(()));
    // A token naming an enc key's kid finds no key (the host may refetch: key rotation).
    let named_enc = sign(
        "rsa-2048-a",
        &header("RS256", "rsa-3072"),
        r#"{"iss":"joe"}"#,
    );
    assert_eq!(
        signature_check(&named_enc, &set),
        Err(Error::KeySelection(SelectionError::UnknownKey))
    );
    // Signing keys still count: two of them overflow a capacity of 1.
    let two = jwks_json(&["rsa-2048-a", "rsa-2048-b"]);
    assert_eq!(
        Jwks::<1>::parse_with_capacity(&two).err(),
        Some(KeyError::TooManyKeys)
    );
}

/// OIDC Core A.1's modulus and exponent, as big-endian bytes.
fn a1_n_e() -> (Vec<u8>, Vec<u8>) {
    let jwk: serde_json::Value = serde_json::from_str(JWKS_A1).unwrap();
    let key = &jwk["keys"][0];
    let bytes = |m: &str| unb64(key[m].as_str().unwrap());
    (bytes("n"), bytes("e"))
}

#[test]
#[cfg_attr(miri, ignore)]
fn oidc_core_appendix_a3_jwk_rsa_from_the_oidc_a1_modulus_verifies_the_a3_id_token() {
    let (n, e) = a1_n_e();
    let key = Jwk::rsa(&n, &e).unwrap().with_kid("1e9gdk7").unwrap();
    assert_eq!(key.kid(), Some("1e9gdk7"));
    let expect = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW).access_token(Some(AT));
    let mut scratch = [0u8; 1024];
    let claims = verify_id_token(IDT_A3, &expect, &key, &mut scratch).unwrap();
    assert_eq!(claims.sub(), "248289761001");
    // The A.3 token names kid 1e9gdk7: a key without it, or with another, is not asked.
    for other in [
        Jwk::rsa(&n, &e).unwrap(),
        Jwk::rsa(&n, &e).unwrap().with_kid("x").unwrap(),
    ] {
        assert_eq!(
            verify_id_token(IDT_A3, &expect, &other, &mut scratch).map(drop),
            Err(Error::KeySelection(SelectionError::UnknownKey))
        );
    }
}

/// `Jwk::rsa` makes the checks JSON parsing makes.
#[test]
fn jwk_rsa_refuses_what_jwk_parsing_refuses() {
    let (n, e) = a1_n_e();
    let leading_zero = [&[0u8][..], &n].concat();
    for (n, e, expected) in [
        (
            &leading_zero[..],
            &e[..],
            KeyError::InvalidKeyMember(JwkMember::N),
        ),
        (&[][..], &e[..], KeyError::InvalidKeyMember(JwkMember::N)),
        (&n[..128], &e[..], KeyError::WeakKey),
        (
            &n[..],
            &[0, 1, 0, 1][..],
            KeyError::InvalidKeyMember(JwkMember::E),
        ),
        (&n[..], &[2][..], KeyError::InvalidExponent),
        (&n[..], &[1][..], KeyError::InvalidExponent),
    ] {
        assert_eq!(Jwk::rsa(n, e).err(), Some(expected));
        let json = format!(r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#, b64(n), b64(e));
        assert_eq!(Jwk::parse(&json).err(), Some(expected), "{json}");
    }
    let even = [&n[..n.len() - 1], &[n[n.len() - 1] & !1]].concat();
    assert_eq!(Jwk::rsa(&even, &e).err(), Some(KeyError::InvalidModulus));
    let long = vec![0xFFu8; 513];
    assert_eq!(Jwk::rsa(&long, &e).err(), Some(KeyError::InvalidModulus));
}

#[test]
fn jwk_with_kid_refuses_a_kid_longer_than_the_limit() {
    use implicit_grant::limits::MAX_KID_LEN;
    let (n, e) = a1_n_e();
    let fits = "k".repeat(MAX_KID_LEN);
    assert_eq!(
        Jwk::rsa(&n, &e).unwrap().with_kid(&fits).unwrap().kid(),
        Some(fits.as_str())
    );
    assert_eq!(
        Jwk::rsa(&n, &e)
            .unwrap()
            .with_kid(&format!("{fits}k"))
            .err(),
        Some(KeyError::InvalidKeyMember(JwkMember::Kid))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7515_a3_jwk_p256_from_the_rfc7515_a3_coordinates_verifies_the_a3_jws() {
    let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    let x = unb64("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
    let y = unb64("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
    let key = Jwk::p256(&x, &y).unwrap();
    assert_eq!(signature_check(token, &key), Ok(()));
    assert_eq!(Jwk::p256(&x, &x).err(), Some(KeyError::InvalidPoint));
    assert_eq!(
        Jwk::p256(&x[1..], &y).err(),
        Some(KeyError::InvalidKeyMember(JwkMember::X))
    );
}

#[cfg(feature = "hmac")]
mod oct {
    use super::*;
    use implicit_grant::Algorithm;
    use implicit_grant::verify::HmacKey;

    /// RFC 7515 Appendix A.1's JWK, with the `alg` an `HmacKey` needs.
    const A1_JWK: &str = r#"{"kty":"oct","alg":"HS256","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
    /// RFC 7515 Appendix A.1's JWS.
    const A1_JWS: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn rfc7515_a1_hmac_key_from_the_rfc7515_a1_jwk_verifies_the_a1_jws() {
        let mut buf = [0u8; 64];
        let key = HmacKey::from_jwk(A1_JWK, &mut buf).unwrap();
        assert_eq!(key.algorithm(), Algorithm::HS256);
        assert_eq!(signature_check(A1_JWS, &key), Ok(()));
        let tampered = A1_JWS.replacen("eyJpc3Mi", "eyJpc3Ni", 1);
        assert_eq!(
            signature_check(&tampered, &key),
            Err(Error::Jwt(JwtError::BadSignature))
        );
        // And a token of our own, signed with the same key bytes.
        let token = sign_hs256(HS256_HEADER, &claims(NONCE, ""));
        assert_eq!(signature_check(&token, &key), Ok(()));
        assert_eq!(buf[..32], hmac_key()[..32]);
    }

    #[test]
    fn rfc7517_4_4_hmac_key_from_jwk_takes_its_algorithm_from_alg_which_is_required() {
        let mut buf = [0u8; 64];
        assert_eq!(
            HmacKey::from_jwk(&A1_JWK.replace(r#""alg":"HS256","#, ""), &mut buf).err(),
            Some(Error::Key(KeyError::MissingKeyMember(JwkMember::Alg)))
        );
        // 64 bytes are enough for HS384 and HS512 too.
        for (name, alg) in [("HS384", Algorithm::HS384), ("HS512", Algorithm::HS512)] {
            let jwk = A1_JWK.replace("HS256", name);
            let key = HmacKey::from_jwk(&jwk, &mut buf).unwrap();
            assert_eq!(key.algorithm(), alg);
            assert_eq!(
                signature_check(A1_JWS, &key),
                Err(Error::KeySelection(SelectionError::KeyAlgMismatch))
            );
        }
        for other in ["RS256", "A128KW", "none"] {
            let jwk = A1_JWK.replace("HS256", other);
            assert_eq!(
                HmacKey::from_jwk(&jwk, &mut buf).err(),
                Some(Error::Key(KeyError::Unsupported)),
                "{other}"
            );
        }
    }

    #[test]
    fn hmac_key_from_jwk_refuses_keys_not_for_signatures() {
        let mut buf = [0u8; 64];
        let with = |member: &str| A1_JWK.replacen('{', &format!("{{{member},"), 1);
        for ok in [
            r#""use":"sig""#,
            r#""key_ops":["verify"]"#,
            r#""key_ops":["sign","verify"]"#,
        ] {
            assert!(HmacKey::from_jwk(&with(ok), &mut buf).is_ok(), "{ok}");
        }
        for bad in [r#""use":"enc""#, r#""key_ops":["sign"]"#, r#""key_ops":[]"#] {
            assert_eq!(
                HmacKey::from_jwk(&with(bad), &mut buf).err(),
                Some(Error::Key(KeyError::NotForSignatures)),
                "{bad}"
            );
        }
        assert_eq!(
            HmacKey::from_jwk(&with(r#""key_ops":"verify""#), &mut buf).err(),
            Some(Error::Key(KeyError::InvalidKeyMember(JwkMember::KeyOps)))
        );
    }

    #[test]
    fn hmac_key_from_jwk_refuses_malformed_short_or_foreign_keys() {
        let mut buf = [0u8; 64];
        let cases = [
            (
                A1_JWK.replace(r#""kty":"oct""#, r#""kty":"RSA""#),
                KeyError::Unsupported,
            ),
            (
                A1_JWK.replace(r#""kty":"oct","#, ""),
                KeyError::MissingKeyMember(JwkMember::Kty),
            ),
            (
                A1_JWK.replace(r#""k":"#, r#""x":"#),
                KeyError::MissingKeyMember(JwkMember::K),
            ),
            (
                A1_JWK.replace("AyM1", "AyM+"),
                KeyError::InvalidKeyMember(JwkMember::K),
            ),
            (
                A1_JWK.replace("AyM1", "AyM="),
                KeyError::InvalidKeyMember(JwkMember::K),
            ),
            (
                A1_JWK.replacen('{', r#"{"k":"AAAA","#, 1),
                KeyError::DuplicateKeyMember(JwkMember::K),
            ),
            (
                r#"{"kty":"oct","alg":"HS256","k":7}"#.to_owned(),
                KeyError::InvalidKeyMember(JwkMember::K),
            ),
            ("[]".to_owned(), KeyError::InvalidKeyJson),
            ("{".to_owned(), KeyError::InvalidKeyJson),
        ];
        for (jwk, expected) in cases {
            assert_eq!(
                HmacKey::from_jwk(&jwk, &mut buf).err(),
                Some(Error::Key(expected)),
                "{jwk}"
            );
        }
        // 31 bytes for HS256, 63 for HS512: too short for the hash (RFC 7518 §3.2).
        let k31 = b64(&[7u8; 31]);
        let short = format!(r#"{{"kty":"oct","alg":"HS256","k":"{k31}"}}"#);
        let mut wiped = [0xAAu8; 64];
        assert_eq!(
            HmacKey::from_jwk(&short, &mut wiped).err(),
            Some(Error::Key(KeyError::WeakKey))
        );
        assert!(wiped.iter().all(|&b| b == 0), "the short key is wiped");
        let hs512 = A1_JWK.replace("HS256", "HS512").replace("AyM1", "");
        assert_eq!(
            HmacKey::from_jwk(&hs512, &mut buf).err(),
            Some(Error::Key(KeyError::WeakKey))
        );
        // A buffer too small says how much is needed, and is left alone.
        let mut small = [0xAAu8; 63];
        assert_eq!(
            HmacKey::from_jwk(A1_JWK, &mut small).err(),
            Some(Error::BufferTooSmall { required: 64 })
        );
        assert!(small.iter().all(|&b| b == 0xAA));
    }

    #[test]
    fn hmac_key_from_jwk_debug_never_shows_the_key() {
        let mut buf = [0u8; 64];
        let key = HmacKey::from_jwk(A1_JWK, &mut buf).unwrap();
        assert_eq!(format!("{key:?}"), "HmacKey(HS256, [redacted])");
    }
}
