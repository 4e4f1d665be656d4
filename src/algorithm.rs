//! The JWS algorithm names (RFC 7518 §3.1, RFC 8725 §3.1): below both the OAuth layer
//! (discovery lists them) and the JOSE layer (a header names one), so neither reaches
//! into the other.

use crate::error::JwtError;

/// A JWS signature algorithm (RFC 7518 §3.1). `none` is not representable.
///
/// ```
/// use implicit_grant::{Algorithm, JwtError};
/// for name in ["HS256", "RS256", "PS384", "ES512", "EdDSA", "Ed25519"] {
///     assert_eq!(Algorithm::from_name(name)?.as_str(), name);
/// }
/// assert_eq!(Algorithm::from_name("none"), Err(JwtError::AlgNone));
/// # Ok::<(), JwtError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// ECDSA P-384 with SHA-384.
    ES384,
    /// ECDSA P-521 with SHA-512.
    ES512,
    /// EdDSA (RFC 8037 §3.1): with this crate, Ed25519 keys only (`OKP`, `crv: Ed25519`).
    EdDSA,
    /// Ed25519, the fully-specified name (RFC 9864 §2.2).
    Ed25519,
}

const NAMES: &[(&str, Algorithm)] = &[
    ("HS256", Algorithm::HS256),
    ("HS384", Algorithm::HS384),
    ("HS512", Algorithm::HS512),
    ("RS256", Algorithm::RS256),
    ("RS384", Algorithm::RS384),
    ("RS512", Algorithm::RS512),
    ("PS256", Algorithm::PS256),
    ("PS384", Algorithm::PS384),
    ("PS512", Algorithm::PS512),
    ("ES256", Algorithm::ES256),
    ("ES384", Algorithm::ES384),
    ("ES512", Algorithm::ES512),
    ("EdDSA", Algorithm::EdDSA),
    ("Ed25519", Algorithm::Ed25519),
];

impl Algorithm {
    /// The algorithm named `name` (case-sensitive, RFC 7515 §4.1.1).
    ///
    /// # Errors
    /// [`JwtError::AlgNone`] for `none`; [`JwtError::UnsupportedAlgorithm`] for any other
    /// unknown name (including `None` and `NONE`).
    ///
    /// ```
    /// use implicit_grant::{JwtError, Algorithm};
    /// assert_eq!(Algorithm::from_name("RS256"), Ok(Algorithm::RS256));
    /// assert_eq!(Algorithm::from_name("none"), Err(JwtError::AlgNone));
    /// assert_eq!(Algorithm::from_name("rs256"), Err(JwtError::UnsupportedAlgorithm));
    /// ```
    pub fn from_name(name: &str) -> Result<Self, JwtError> {
        if name == "none" {
            return Err(JwtError::AlgNone);
        }
        NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, alg)| alg)
            .ok_or(JwtError::UnsupportedAlgorithm)
    }

    /// The JWA name.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Algorithm::ES256.as_str(), "ES256");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, alg)| *alg == self)
            .map_or("", |&(name, _)| name)
    }
}

impl Algorithm {
    /// Whether this build verifies the algorithm with a provider's public keys
    /// ([`Jwks`](crate::verify::Jwks), [`Jwk`](crate::verify::Jwk)): the asymmetric
    /// algorithms of the enabled features. Never the HMAC ones.
    pub(crate) const fn verifiable_with_public_keys(self) -> bool {
        match self {
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => {
                cfg!(feature = "rsa")
            }
            Self::ES256 | Self::ES384 => cfg!(feature = "ecdsa"),
            Self::ES512 => cfg!(feature = "es512"),
            Self::EdDSA | Self::Ed25519 => cfg!(feature = "eddsa"),
            Self::HS256 | Self::HS384 | Self::HS512 => false,
        }
    }
}
