//! The signature families beyond RS256 and ES256: RSASSA-PSS (`PS256`, `PS384`, `PS512`;
//! RFC 7518 §3.5, RFC 8017 §8.1), ECDSA P-384 (`ES384`; RFC 7518 §3.4), ECDSA P-521
//! (`ES512`, feature `es512`) and Ed25519 (`EdDSA`, RFC 8037 §3.1; `Ed25519`, RFC 9864
//! §2.2). Inputs: RFC 8037's example, tokens signed by OpenSSL (`tests/data/gen_keys.py`),
//! and by the `p384`, `p521` and `ed25519-dalek` crates; PSS
//! signatures from this file's encoder over the `rsa` crate's private operation. The
//! Wycheproof suites for the same families are in `tests/wycheproof.rs`.
//!
//! Under Miri these tests are ignored: RSA and elliptic-curve arithmetic take hours in the
//! interpreter, and they run no unsafe code of ours (the crate forbids it).
#![cfg(all(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]

mod common;

use common::*;
use implicit_grant::verify::{Jwk, JwkMember, Jwks};
use implicit_grant::{Algorithm, Error, Expectations, SignatureVerifier, verify_id_token};
use implicit_grant::{ClaimsError, JwtError, KeyError, SelectionError, UnixTime};
use sha2::{Sha256, Sha384, Sha512};

/// RFC 8037 Appendix A.4: `{"alg":"EdDSA"}` over "Example of Ed25519 signing".
const RFC8037_A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
/// RFC 8037 Appendix A.2: the public key of A.1.
const RFC8037_A2: &str =
    r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

/// `token` with its signature replaced by `signature`.
fn with_signature(token: &str, signature: &[u8]) -> String {
    let (signing_input, _) = token.rsplit_once('.').unwrap();
    format!("{signing_input}.{}", b64(signature))
}

/// `token` with its header replaced by `header` (the signature is left as it was).
fn with_header(token: &str, header: &str) -> String {
    let (_, rest) = token.split_once('.').unwrap();
    format!("{}.{rest}", b64(header.as_bytes()))
}

/// The public JWK of test key `kid` without its `alg`, so that any algorithm of its type
/// may use it.
fn unbound(kid: &str) -> Jwk {
    let mut jwk: serde_json::Value = serde_json::from_str(&public_jwk(kid)).unwrap();
    jwk.as_object_mut().unwrap().remove("alg");
    Jwk::parse(&jwk.to_string()).unwrap()
}

/// Flips every bit of the signature in turn: each copy must fail.
fn every_signature_bit_flip_fails(token: &str, verifier: &impl SignatureVerifier) {
    let (_, signature) = token.rsplit_once('.').unwrap();
    let mut signature = unb64(signature);
    for i in 0..signature.len() * 8 {
        signature[i / 8] ^= 1 << (i % 8);
        assert_eq!(
            signature_check(&with_signature(token, &signature), verifier),
            Err(Error::Jwt(JwtError::BadSignature)),
            "signature bit {i}"
        );
        signature[i / 8] ^= 1 << (i % 8);
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8037_a4_ed25519_verifies_and_every_signature_bit_flip_fails() {
    let key = Jwk::parse(RFC8037_A2).unwrap();
    assert_eq!(key.algorithm(), None);
    assert_eq!(signature_check(RFC8037_A4, &key), Ok(()));
    every_signature_bit_flip_fails(RFC8037_A4, &key);
    // The same signature under the fully-specified name (RFC 9864 §2.2).
    let renamed = with_header(RFC8037_A4, r#"{"alg":"Ed25519"}"#);
    assert_eq!(
        signature_check(&renamed, &key),
        Err(Error::Jwt(JwtError::BadSignature))
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn tokens_signed_by_openssl_in_every_new_family_verify() {
    let data: serde_json::Value = serde_json::from_str(include_str!("data/tokens.json")).unwrap();
    let claims = &data["claims"];
    let now = UnixTime::from_secs(claims["iat"].as_u64().unwrap() + 60);
    let all = [
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
        Algorithm::Ed25519,
    ];
    let e = Expectations::new(
        claims["iss"].as_str().unwrap(),
        claims["aud"].as_str().unwrap(),
        claims["nonce"].as_str().unwrap(),
        now,
    )
    .algorithms(&all);
    let mut kids = vec!["rsa-2048-pss", "p384-a", "ed25519-a"];
    if cfg!(feature = "es512") {
        kids.push("p521-a");
    }
    let bound = Jwks::parse(&jwks_json(&kids)).unwrap();
    let mut verified = 0;
    for (name, token) in data["tokens"].as_object().unwrap() {
        let token = token.as_str().unwrap();
        let mut scratch = [0u8; 2048];
        let outcome = match name.split_once('@') {
            // `ALG@kid`: signed with a key whose JWK is bound to another alg.
            Some((_, kid)) => verify_id_token(token, &e, &unbound(kid), &mut scratch),
            None if kids.contains(&name.as_str()) => {
                verify_id_token(token, &e, &bound, &mut scratch)
            }
            None => continue,
        };
        // The claims name the algorithm that verified them: the token's own.
        let mut header_scratch = [0u8; 256];
        let alg = implicit_grant::jwt::decode_header(token, &mut header_scratch)
            .unwrap()
            .alg;
        assert_eq!(
            outcome.map(|c| (c.sub(), c.alg())),
            Ok(("248289761001", alg)),
            "{name}"
        );
        verified += 1;
    }
    assert_eq!(verified, 3 + kids.len());
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_5_ps256_ps384_ps512_verify_at_every_modulus_size() {
    let payload = r#"{"iss":"joe"}"#;
    // 2049 and 3073 bits: the encoded message is one octet shorter than the modulus
    // (RFC 8017 §8.1.2 step 2c), and its top bits are masked differently.
    for (kid, bits) in [
        ("rsa-2048-a", 2048),
        ("rsa-2049", 2049),
        ("rsa-3072", 3072),
        ("rsa-3073", 3073),
        ("rsa-4096", 4096),
    ] {
        let n = unb64(private_jwk(kid)["n"].as_str().unwrap());
        assert_eq!(n.len() * 8 - n[0].leading_zeros() as usize, bits, "{kid}");
        let key = unbound(kid);
        for alg in ["PS256", "PS384", "PS512"] {
            let token = sign(kid, &header(alg, kid), payload);
            assert_eq!(signature_check(&token, &key), Ok(()), "{kid} {alg}");
            // Another hash over the same signature is refused.
            let other = if alg == "PS256" { "PS384" } else { "PS256" };
            let relabelled = with_header(&token, &header(other, kid));
            assert_eq!(
                signature_check(&relabelled, &key),
                Err(Error::Jwt(JwtError::BadSignature)),
                "{kid} {alg} as {other}"
            );
        }
    }
    let token = sign("rsa-2049", &header("PS256", "rsa-2049"), payload);
    every_signature_bit_flip_fails(&token, &unbound("rsa-2049"));
}

/// The PS256 signature of `token`'s signing input by `kid` over an encoded message that
/// `tamper` may alter first.
fn pss_with(kid: &str, token: &str, salt: &[u8], tamper: impl Fn(&mut Vec<u8>)) -> String {
    let n = unb64(private_jwk(kid)["n"].as_str().unwrap());
    let mod_bits = n.len() * 8 - n[0].leading_zeros() as usize;
    let (signing_input, _) = token.rsplit_once('.').unwrap();
    let mut em = pss_encode::<Sha256>(signing_input.as_bytes(), salt, mod_bits - 1);
    tamper(&mut em);
    let mut padded = vec![0u8; n.len() - em.len()];
    padded.extend_from_slice(&em);
    with_signature(token, &raw_rsa_private(kid, &padded))
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_5_pss_salt_of_another_length_or_a_broken_encoding_is_refused() {
    let kid = "rsa-2048-a";
    let key = unbound(kid);
    let token = sign(kid, &header("PS256", kid), r#"{"iss":"joe"}"#);
    let salt = [0x5a; 32];
    // The encoder and key as used: a 32-byte salt verifies.
    assert_eq!(
        signature_check(&pss_with(kid, &token, &salt, |_| {}), &key),
        Ok(())
    );
    // RFC 7518 §3.5: the salt is as long as the hash; 0, 20 and 64 bytes are refused.
    for len in [0, 20, 31, 33, 64] {
        let forged = pss_with(kid, &token, &vec![0x5a; len], |_| {});
        assert_eq!(
            signature_check(&forged, &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "salt {len}"
        );
    }
    type Tamper = fn(&mut Vec<u8>);
    let broken: [(&str, Tamper); 3] = [
        ("trailer not 0xbc", |em| *em.last_mut().unwrap() = 0xbd),
        // A 2048-bit modulus leaves emBits = 2047: the top bit must be zero.
        ("bit above emBits", |em| em[0] |= 0x80),
        ("hash altered", |em| {
            let at = em.len() - 2;
            em[at] ^= 1
        }),
    ];
    for (what, tamper) in broken {
        let forged = pss_with(kid, &token, &salt, tamper);
        assert_eq!(
            signature_check(&forged, &key),
            Err(Error::Jwt(JwtError::BadSignature)),
            "{what}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_5_pss_and_pkcs1_signatures_do_not_verify_as_each_other() {
    let kid = "rsa-3072";
    let key = unbound(kid);
    let rs = sign(kid, &header("RS384", kid), r#"{"iss":"joe"}"#);
    let ps = sign(kid, &header("PS384", kid), r#"{"iss":"joe"}"#);
    assert_eq!(signature_check(&rs, &key), Ok(()));
    assert_eq!(signature_check(&ps, &key), Ok(()));
    let rs_as_ps = with_header(&rs, &header("PS384", kid));
    let ps_as_rs = with_header(&ps, &header("RS384", kid));
    assert_eq!(
        signature_check(&rs_as_ps, &key),
        Err(Error::Jwt(JwtError::BadSignature))
    );
    assert_eq!(
        signature_check(&ps_as_rs, &key),
        Err(Error::Jwt(JwtError::BadSignature))
    );
    // A key bound to PS256 by its own `alg` refuses RS256 and PS384.
    let bound = Jwks::parse(&jwks_json(&["rsa-2048-pss"])).unwrap();
    for alg in ["RS256", "PS384"] {
        let token = sign("rsa-2048-pss", &header(alg, "rsa-2048-pss"), "{}");
        assert_eq!(
            signature_check(&token, &bound),
            Err(Error::KeySelection(SelectionError::KeyAlgMismatch)),
            "{alg}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_es384_verifies_and_curves_do_not_stand_in_for_each_other() {
    let keys = Jwks::parse(&jwks_json(&["p256-a", "p384-a"])).unwrap();
    let es384 = sign("p384-a", &header("ES384", "p384-a"), r#"{"iss":"joe"}"#);
    assert_eq!(signature_check(&es384, &keys), Ok(()));
    every_signature_bit_flip_fails(&es384, &keys);
    // RFC 7518 §3.4: ES384 is 96 bytes R || S; a DER encoding of the same signature fails.
    let raw = unb64(es384.rsplit_once('.').unwrap().1);
    assert_eq!(raw.len(), 96);
    let der = der_signature(&raw[..48], &raw[48..]);
    assert_eq!(
        signature_check(&with_signature(&es384, &der), &keys),
        Err(Error::Jwt(JwtError::BadSignature))
    );
    // The P-256 key never verifies ES384, nor the P-384 key ES256, whatever the kid says:
    // the key type is checked before the key's own `alg`.
    let es256 = sign("p256-a", &header("ES256", "p256-a"), r#"{"iss":"joe"}"#);
    curves_do_not_stand_in(
        &keys,
        [(&es384, "ES384", "p256-a"), (&es256, "ES256", "p384-a")],
    );
}

#[test]
#[cfg(feature = "es512")]
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_es512_verifies_with_p521_keys_only() {
    let keys = Jwks::parse(&jwks_json(&["p384-a", "p521-a"])).unwrap();
    let es512 = sign("p521-a", &header("ES512", "p521-a"), r#"{"iss":"joe"}"#);
    assert_eq!(signature_check(&es512, &keys), Ok(()));
    every_signature_bit_flip_fails(&es512, &keys);
    // RFC 7518 §3.4: ES512 is 132 bytes R || S (66 each, the top byte holding one bit);
    // DER, or R and S cut to 65 bytes, fail.
    let raw = unb64(es512.rsplit_once('.').unwrap().1);
    assert_eq!(raw.len(), 132);
    let der = der_signature(&raw[..66], &raw[66..]);
    let short = [&raw[1..66], &raw[67..]].concat();
    for signature in [der, short] {
        assert_eq!(
            signature_check(&with_signature(&es512, &signature), &keys),
            Err(Error::Jwt(JwtError::BadSignature))
        );
    }
    let es384 = sign("p384-a", &header("ES384", "p384-a"), r#"{"iss":"joe"}"#);
    curves_do_not_stand_in(
        &keys,
        [(&es512, "ES512", "p384-a"), (&es384, "ES384", "p521-a")],
    );
    // RFC 7518 §6.2.1.2: a coordinate is always 66 bytes, its leading zeros kept.
    let public: serde_json::Value = serde_json::from_str(&public_jwk("p521-a")).unwrap();
    let x = unb64(public["x"].as_str().unwrap());
    let y = unb64(public["y"].as_str().unwrap());
    assert!(Jwk::p521(&x, &y).is_ok());
    let padded = [&[0u8][..], &x].concat();
    for bad_x in [&x[1..], &padded[..]] {
        assert_eq!(
            Jwk::p521(bad_x, &y).err(),
            Some(KeyError::InvalidKeyMember(JwkMember::X))
        );
    }
}

/// Without feature `es512`, ES512 is an algorithm the build does not verify, and P-521 keys
/// are not kept.
#[test]
#[cfg(not(feature = "es512"))]
fn es512_is_unsupported_without_its_feature() {
    let p521 = public_jwk("p521-a");
    assert_eq!(Jwk::parse(&p521).err(), Some(KeyError::Unsupported));
    let set = Jwks::parse(&format!(r#"{{"keys":[{p521},{}]}}"#, public_jwk("p384-a"))).unwrap();
    assert_eq!((set.len(), set.ignored()), (1, 1));
    let data: serde_json::Value = serde_json::from_str(include_str!("data/tokens.json")).unwrap();
    let es512 = data["tokens"]["p521-a"].as_str().unwrap();
    assert_eq!(
        signature_check(es512, &set),
        Err(Error::Jwt(JwtError::UnsupportedAlgorithm))
    );
}

/// Each `(token, alg, kid)`, its header rewritten to name `alg` and the key `kid` of another
/// curve, is refused for the key's type by `keys` and by that key alone.
fn curves_do_not_stand_in(keys: &Jwks, cases: [(&String, &str, &str); 2]) {
    for (token, alg, kid) in cases {
        let relabelled = with_header(token, &header(alg, kid));
        for verifier in [keys as &dyn SignatureVerifier, &unbound(kid)] {
            assert_eq!(
                signature_check(&relabelled, &verifier),
                Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
                "{alg} under {kid}"
            );
        }
    }
}

/// The DER `ECDSA-Sig-Value` of `r`, `s` (each under 128 bytes).
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let int = |v: &[u8]| {
        let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        let mut out = vec![0x02];
        if v[0] & 0x80 != 0 {
            out.push(v.len() as u8 + 1);
            out.push(0);
        } else {
            out.push(v.len() as u8);
        }
        out.extend(v);
        out
    };
    let body = [int(r), int(s)].concat();
    // X.690 §8.1.3: a length of 128 or more takes the long form.
    let length = match body.len() {
        n @ 0..128 => vec![n as u8],
        n => vec![0x81, n as u8],
    };
    [vec![0x30], length, body].concat()
}

#[test]
#[cfg_attr(miri, ignore)]
fn rfc9864_2_2_eddsa_and_ed25519_names_verify_with_an_okp_key_and_bind_strictly() {
    let payload = r#"{"iss":"joe"}"#;
    let key = unbound("ed25519-a");
    let bound = Jwks::parse(&jwks_json(&["ed25519-a"])).unwrap();
    assert_eq!(
        bound.keys().next().unwrap().algorithm(),
        Some(Algorithm::EdDSA)
    );
    for alg in ["EdDSA", "Ed25519"] {
        let token = sign("ed25519-a", &header(alg, "ed25519-a"), payload);
        assert_eq!(signature_check(&token, &key), Ok(()), "{alg}");
    }
    // A key bound to `EdDSA` by its own `alg` refuses the other name (RFC 7517 §4.4).
    let token = sign("ed25519-a", &header("Ed25519", "ed25519-a"), payload);
    assert_eq!(
        signature_check(&token, &bound),
        Err(Error::KeySelection(SelectionError::KeyAlgMismatch))
    );
    // An Ed25519 key verifies neither ECDSA nor RSA, and an EdDSA token needs an OKP key.
    let es256 = sign("p256-a", &header("ES256", "ed25519-a"), payload);
    assert_eq!(
        signature_check(&es256, &key),
        Err(Error::KeySelection(SelectionError::KeyTypeMismatch))
    );
    let eddsa = sign("ed25519-a", &header("EdDSA", "p256-a"), payload);
    assert_eq!(
        signature_check(&eddsa, &unbound("p256-a")),
        Err(Error::KeySelection(SelectionError::KeyTypeMismatch))
    );
}

/// The group order ℓ of Ed25519 (RFC 8032 §5.1), little-endian.
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

#[test]
#[cfg_attr(miri, ignore)]
fn rfc8032_5_1_7_ed25519_malleated_signatures_and_non_canonical_or_small_order_keys_refused() {
    let key = Jwk::parse(RFC8037_A2).unwrap();
    let signature = unb64(RFC8037_A4.rsplit_once('.').unwrap().1);
    // S + ℓ is the same scalar modulo ℓ; RFC 8032 §5.1.7 requires S < ℓ.
    let mut malleated = signature.clone();
    let mut carry = 0u16;
    for (s, l) in malleated[32..].iter_mut().zip(ED25519_L) {
        let sum = u16::from(*s) + u16::from(l) + carry;
        *s = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    assert_eq!(
        signature_check(&with_signature(RFC8037_A4, &malleated), &key),
        Err(Error::Jwt(JwtError::BadSignature))
    );
    // A signature of the wrong length.
    assert_eq!(
        signature_check(&with_signature(RFC8037_A4, &signature[..63]), &key),
        Err(Error::Jwt(JwtError::BadSignature))
    );
    // Keys: the identity (small order), y = p + 1 (the non-canonical encoding of y = 1),
    // 31 bytes, and a y with no point on the curve.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee; // p + 1 = 2^255 - 18
    non_canonical[31] = 0x7f;
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2; // y = 2: x² = (y² − 1)/(d·y² + 1) has no root
    assert_eq!(Jwk::ed25519(&identity).err(), Some(KeyError::InvalidPoint));
    assert_eq!(
        Jwk::ed25519(&non_canonical).err(),
        Some(KeyError::InvalidPoint)
    );
    assert_eq!(Jwk::ed25519(&off_curve).err(), Some(KeyError::InvalidPoint));
    assert_eq!(
        Jwk::ed25519(&identity[..31]).err(),
        Some(KeyError::InvalidKeyMember(JwkMember::X))
    );
}

#[test]
fn okp_and_p384_jwks_parse_strictly() {
    let x384 = "qofKIr6LBTeOscce8yCtdG4dO2KLp5uYWfdB4IJUKjhVAvJdv1UpbDpUXjhydgq3";
    let y384 = "NhfeSpYmLG9dnpi_kpLcKfj0Hb0omhR86doxE7XwuMAKYLHOHX6BnXpDHXyQ6g5f";
    let p384 = format!(r#"{{"kty":"EC","crv":"P-384","x":"{x384}","y":"{y384}"}}"#);
    let cases = [
        (p384.clone(), Ok(())),
        (
            p384.replace(r#""crv":"P-384","#, ""),
            Err(KeyError::MissingKeyMember(JwkMember::Crv)),
        ),
        // 48-byte coordinates under P-521; without feature `es512`, P-521 is unknown.
        (
            p384.replace("P-384", "P-521"),
            Err(if cfg!(feature = "es512") {
                KeyError::InvalidKeyMember(JwkMember::X)
            } else {
                KeyError::Unsupported
            }),
        ),
        // A P-256-sized x under crv P-384.
        (
            p384.replace(x384, "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
            Err(KeyError::InvalidKeyMember(JwkMember::X)),
        ),
        (RFC8037_A2.to_owned(), Ok(())),
        (
            RFC8037_A2.replace(r#""crv":"Ed25519","#, ""),
            Err(KeyError::MissingKeyMember(JwkMember::Crv)),
        ),
        // RFC 8037 §3.2: X25519 keys are for key agreement; Ed448 is not implemented.
        (
            RFC8037_A2.replace("Ed25519", "X25519"),
            Err(KeyError::Unsupported),
        ),
        (
            RFC8037_A2.replace("Ed25519", "Ed448"),
            Err(KeyError::Unsupported),
        ),
        (
            RFC8037_A2.replace("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "11qY"),
            Err(KeyError::InvalidKeyMember(JwkMember::X)),
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(Jwk::parse(&json).map(drop), expected, "{json}");
    }
    // A JWK Set skips the keys it cannot use and keeps the others.
    let set = format!(
        r#"{{"keys":[{p384},{},{}]}}"#,
        RFC8037_A2,
        RFC8037_A2.replace("Ed25519", "X25519")
    );
    let set = Jwks::parse(&set).unwrap();
    assert_eq!((set.len(), set.ignored()), (2, 1));
}

#[test]
#[cfg_attr(miri, ignore)]
fn oidc_core_3_2_2_9_at_hash_follows_the_algorithm_of_each_new_family() {
    let access_token = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    let half = |digest: Vec<u8>| b64(&digest[..digest.len() / 2]);
    use sha2::Digest;
    let cases = [
        (
            "rsa-2048-a",
            "PS256",
            half(Sha256::digest(access_token).to_vec()),
        ),
        (
            "rsa-3072",
            "PS384",
            half(Sha384::digest(access_token).to_vec()),
        ),
        (
            "p384-a",
            "ES384",
            half(Sha384::digest(access_token).to_vec()),
        ),
        #[cfg(feature = "es512")]
        (
            "p521-a",
            "ES512",
            half(Sha512::digest(access_token).to_vec()),
        ),
        // Ed25519 hashes with SHA-512 (OpenID Connect Token Hash Algorithms 1.0).
        (
            "ed25519-a",
            "EdDSA",
            half(Sha512::digest(access_token).to_vec()),
        ),
        (
            "ed25519-a",
            "Ed25519",
            half(Sha512::digest(access_token).to_vec()),
        ),
    ];
    for (kid, alg, at_hash) in cases {
        let key = unbound(kid);
        let algorithms = [Algorithm::from_name(alg).unwrap()];
        let e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW)
            .algorithms(&algorithms)
            .access_token(Some(access_token));
        let mut scratch = [0u8; 2048];
        let good = sign(
            kid,
            &header(alg, kid),
            &claims(NONCE, &format!(r#","at_hash":"{at_hash}""#)),
        );
        assert!(
            verify_id_token(&good, &e, &key, &mut scratch).is_ok(),
            "{alg}"
        );
        // The SHA-256 half, right for RS256, is wrong for every algorithm here but PS256.
        let sha256 = half(Sha256::digest(access_token).to_vec());
        if alg != "PS256" {
            let wrong = sign(
                kid,
                &header(alg, kid),
                &claims(NONCE, &format!(r#","at_hash":"{sha256}""#)),
            );
            assert_eq!(
                verify_id_token(&wrong, &e, &key, &mut scratch).map(drop),
                Err(Error::Claims(ClaimsError::AtHashMismatch)),
                "{alg}"
            );
        }
    }
}
