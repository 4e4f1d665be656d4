//! `at_hash` (OIDC Core §3.2.2.9): the left half of the hash of the access token's ASCII
//! octets, base64url-encoded, with the SHA-2 function of the ID token's `alg`.

use crate::codec::digest::{Digest, Sha256, Sha384, Sha512};

use crate::algorithm::Algorithm;
use crate::codec::base64url;
use crate::error::Error;
use crate::limits::MAX_AT_HASH_LEN;

/// Computes the `at_hash` of `access_token` for `alg` into `out`.
///
/// Every [`Algorithm`] names its SHA-2 function; an unknown `alg` never gets this far
/// ([`Algorithm::from_name`] refuses it), so there is no fallback to SHA-256. `EdDSA` and
/// `Ed25519` hash with SHA-512, Ed25519's own hash (OpenID Connect Token Hash Algorithms 1.0;
/// this crate verifies `EdDSA` with Ed25519 keys only).
///
/// # Errors
/// None in practice: `out` always fits; the `Result` keeps the encoder's contract.
///
/// ```
/// use implicit_grant::{Algorithm, jwt::at_hash};
/// let mut out = [0u8; 43];
/// // OIDC Core App. A.3
/// let h = at_hash(Algorithm::RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", &mut out)?;
/// assert_eq!(h, "77QmUPtjPfzWtF2AnpK9RQ");
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn at_hash<'o>(
    alg: Algorithm,
    access_token: &str,
    out: &'o mut [u8; MAX_AT_HASH_LEN],
) -> Result<&'o str, Error> {
    use Algorithm as A;
    let token = access_token.as_bytes();
    let (sha256, sha384, sha512);
    let half: &[u8] = match alg {
        A::HS256 | A::RS256 | A::PS256 | A::ES256 => {
            sha256 = Sha256::digest(token);
            sha256.get(..16).unwrap_or_default()
        }
        A::HS384 | A::RS384 | A::PS384 | A::ES384 => {
            sha384 = Sha384::digest(token);
            sha384.get(..24).unwrap_or_default()
        }
        A::HS512 | A::RS512 | A::PS512 | A::ES512 | A::EdDSA | A::Ed25519 => {
            sha512 = Sha512::digest(token);
            sha512.get(..32).unwrap_or_default()
        }
    };
    Ok(base64url::encode_into(half, out)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_3_2_2_9_hash_by_algorithm_family() {
        let at = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
        let mut out = [0u8; MAX_AT_HASH_LEN];
        for (alg, want) in [
            (Algorithm::RS256, "77QmUPtjPfzWtF2AnpK9RQ"),
            (Algorithm::ES256, "77QmUPtjPfzWtF2AnpK9RQ"),
            (Algorithm::HS256, "77QmUPtjPfzWtF2AnpK9RQ"),
            (Algorithm::RS384, "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs"),
            (Algorithm::ES384, "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs"),
            (
                Algorithm::RS512,
                "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM",
            ),
            (
                Algorithm::PS512,
                "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM",
            ),
        ] {
            assert_eq!(at_hash(alg, at, &mut out).unwrap(), want, "{alg:?}");
        }
        // EdDSA with Ed25519 hashes with SHA-512: the example of the OpenID Connect Token
        // Hash Algorithms guide, as published with the `oidc-token-hash` package.
        let at = "YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL\
                  -ar_qw5jl3lthwpMjm283aVMQXDmoqqqydDSqJfbhptzw8rUVwkuQbolw";
        for alg in [Algorithm::EdDSA, Algorithm::Ed25519] {
            let want = "EGEAhGYyfuwDaVTifvrWSoD5MSy_5hZPy6I7Vm-7pTQ";
            assert_eq!(at_hash(alg, at, &mut out).unwrap(), want, "{alg:?}");
        }
        assert_eq!(
            at_hash(Algorithm::RS256, "SlAV32hkKG", &mut out).unwrap(),
            "rXH7QWVTZnXYCou_6Vdpfg"
        );
        assert_eq!(
            at_hash(Algorithm::RS256, "abc+def", &mut out).unwrap(),
            "A_sPNxmExPlnZ6P_x4MgRQ"
        );
        assert_eq!(
            at_hash(Algorithm::RS256, "abc def", &mut out).unwrap(),
            "AQlx6gAToJ2R30N94s1vZg"
        );
    }
}
