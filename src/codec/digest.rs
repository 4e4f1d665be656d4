//! SHA-2 (FIPS 180-4). The only file naming `sha2`.

pub(crate) use sha2::{Digest, Sha256, Sha384, Sha512};

/// SHA-256 over `parts`, each followed by a 0 byte so that no two lists of parts without NUL
/// bytes collide by concatenation.
pub(crate) fn sha256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}
