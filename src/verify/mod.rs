//! Built-in [`SignatureVerifier`](crate::jwt::SignatureVerifier)s, each behind a feature.

#[cfg(feature = "hs256")]
mod hs256;

#[cfg(feature = "hs256")]
pub use hs256::Hs256;
