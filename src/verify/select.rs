//! Key selection: which of the caller's keys may verify a token (RFC 7515 §4.1.4, RFC 7517
//! §4.2–4.4, OIDC Core §10.1, RFC 8725 §3.1), and why the others may not.

use crate::algorithm::Algorithm;
use crate::error::{Error, JwtError, SelectionError};
use crate::jwt::verifier::SignatureVerified;
use crate::jwt::{Header, SignatureVerifier};

use super::jwk::{Bound, Jwk, Kty, Material};

impl Jwk {
    /// Whether this key may verify `alg`, or the reason it may not.
    pub(super) fn fits(&self, alg: Algorithm) -> Result<(), SelectionError> {
        if !self.signs {
            return Err(SelectionError::KeyUseMismatch);
        }
        use Algorithm as A;
        let kty = match alg {
            A::RS256 | A::RS384 | A::RS512 | A::PS256 | A::PS384 | A::PS512 => Some(Kty::Rsa),
            A::ES256 => Some(Kty::P256),
            A::ES384 => Some(Kty::P384),
            A::ES512 => Some(Kty::P521),
            // RFC 8037 §3.1: EdDSA with the key's curve; RFC 9864 §2.2: Ed25519 names it.
            A::EdDSA | A::Ed25519 => Some(Kty::Ed25519),
            _ => None,
        };
        if kty != Some(self.kty) {
            return Err(SelectionError::KeyTypeMismatch);
        }
        match self.alg {
            Bound::Any => {}
            Bound::To(bound) if bound == alg => {}
            Bound::To(_) | Bound::Foreign => return Err(SelectionError::KeyAlgMismatch),
        }
        match self.material {
            Material::Unusable(_) => Err(SelectionError::UnusableKey),
            _ => Ok(()),
        }
    }
}

/// Of two reasons a key does not fit, the one that says more: a key of the right type that
/// is bound elsewhere or unusable explains more than a key of another type.
fn most_specific(a: SelectionError, b: SelectionError) -> SelectionError {
    let rank = |e: SelectionError| match e {
        SelectionError::UnusableKey => 3,
        SelectionError::KeyAlgMismatch => 2,
        SelectionError::KeyUseMismatch => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Picks the key for `header` among `keys` and verifies with it (RFC 7515 §4.1.4, OIDC
/// Core §10.1, RFC 8725 §3.1):
/// 1. an `alg` this build cannot verify is [`JwtError::UnsupportedAlgorithm`];
/// 2. a token with a `kid` considers only keys with that `kid`, and none is
///    [`SelectionError::UnknownKey`](crate::SelectionError::UnknownKey); a token without one considers every key;
/// 3. of those, the keys that fit `alg` (use, type, own `alg`, loaded): exactly one must;
///    none is the most specific reason among them ([`most_specific`]), two are
///    [`SelectionError::AmbiguousKey`](crate::SelectionError::AmbiguousKey).
pub(crate) fn verify_with<'k, 't>(
    keys: impl IntoIterator<Item = &'k Jwk>,
    header: &Header<'_>,
    signing_input: &'t [u8],
    signature: &[u8],
) -> Result<SignatureVerified<'t>, Error> {
    use Algorithm as A;
    match header.alg {
        // A public key never keys an HMAC (RFC 8725 §3.1), whatever the kid: no key set can
        // fit, so no refetch is worth suggesting.
        A::HS256 | A::HS384 | A::HS512 => return Err(SelectionError::KeyTypeMismatch.into()),
        alg if !alg.verifiable_with_public_keys() => {
            return Err(JwtError::UnsupportedAlgorithm.into());
        }
        _ => {}
    }
    let mut chosen = None;
    let mut reason = None;
    let named = keys
        .into_iter()
        .filter(|key| header.kid.is_none_or(|kid| key.kid() == Some(kid)));
    for key in named {
        match key.fits(header.alg) {
            Ok(()) if chosen.is_some() => return Err(SelectionError::AmbiguousKey.into()),
            Ok(()) => chosen = Some(key),
            Err(e) => reason = Some(reason.map_or(e, |r| most_specific(r, e))),
        }
    }
    match chosen {
        Some(key) => key.check(header.alg, signing_input, signature),
        None => Err(reason.unwrap_or(SelectionError::UnknownKey).into()),
    }
}

impl SignatureVerifier for Jwk {
    fn verify<'t>(
        &self,
        header: &Header<'_>,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        verify_with([self], header, signing_input, signature)
    }
}
