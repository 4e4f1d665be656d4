//! Each signature family is a feature. A build without one does not understand that
//! family's keys: `KeyError::Unsupported`, and a JWK Set skips them (RFC 7517 §5), rather
//! than reading them as malformed keys. A build with it reads them. CI runs this file with
//! the default features (`rsa` alone) and with `ecdsa,eddsa` (no `rsa`), as well as with
//! every feature.
#![cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]

use implicit_grant::KeyError;
use implicit_grant::verify::{Jwk, JwkMember, Jwks};

/// The public JWK of the repository's test key `kid` (`tests/data/keys.json`).
fn public_jwk(kid: &str) -> String {
    let all: serde_json::Value = serde_json::from_str(include_str!("data/keys.json")).unwrap();
    let mut key = all["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap()
        .clone();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        key.as_object_mut().unwrap().remove(private);
    }
    key.to_string()
}

#[test]
fn rfc7517_5_keys_of_a_family_left_out_of_the_build_are_unsupported() {
    let families = [
        ("rsa-2048-a", cfg!(feature = "rsa")),
        ("p256-a", cfg!(feature = "ecdsa")),
        ("p384-a", cfg!(feature = "ecdsa")),
        ("p521-a", cfg!(feature = "es512")),
        ("ed25519-a", cfg!(feature = "eddsa")),
    ];
    for (kid, built) in families {
        let key = public_jwk(kid);
        let set: Jwks = Jwks::parse(&format!(r#"{{"keys":[{key}]}}"#)).unwrap();
        if built {
            assert_eq!(Jwk::parse(&key).unwrap().kid(), Some(kid));
            assert_eq!((set.len(), set.ignored()), (1, 0), "{kid}");
        } else {
            assert_eq!(Jwk::parse(&key).err(), Some(KeyError::Unsupported), "{kid}");
            assert_eq!((set.len(), set.ignored()), (0, 1), "{kid}");
        }
    }
}

/// An EC or OKP key without `crv` is a key of the family with a member missing when the
/// family is built (RFC 7518 §6.2.1.1, RFC 8037 §2), and not understood when it is not.
#[test]
fn rfc7518_6_2_1_1_a_key_without_crv_is_malformed_only_where_its_family_is_built() {
    for (kid, built) in [
        ("p256-a", cfg!(feature = "ecdsa")),
        ("ed25519-a", cfg!(feature = "eddsa")),
    ] {
        let mut key: serde_json::Value = serde_json::from_str(&public_jwk(kid)).unwrap();
        key.as_object_mut().unwrap().remove("crv");
        let expected = if built {
            KeyError::MissingKeyMember(JwkMember::Crv)
        } else {
            KeyError::Unsupported
        };
        assert_eq!(Jwk::parse(&key.to_string()).err(), Some(expected), "{kid}");
    }
}
