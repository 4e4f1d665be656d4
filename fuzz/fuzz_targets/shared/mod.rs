//! Invariants shared by the response-parsing targets.
#![allow(dead_code, reason = "each target uses its own subset")]

use implicit_grant::{AuthorizationResponse, RawValue};

/// Every value of a parsed response decodes, is never longer decoded than encoded, and
/// compares equal to its own decoding.
pub fn check_values(response: &AuthorizationResponse<'_>) {
    let values: [Option<RawValue<'_>>; 4] = match response {
        AuthorizationResponse::Success(ok) => [
            ok.state.map(|v| v.expose_secret()),
            ok.access_token.map(|v| v.expose_secret()),
            ok.id_token.map(|v| v.expose_secret()),
            ok.scope.map(|s| s.as_raw()),
        ],
        AuthorizationResponse::Error(e) => [
            e.state.map(|v| v.expose_secret()),
            e.error_description,
            e.error_uri,
            e.iss,
        ],
    };
    let mut out = [0u8; 16 * 1024];
    for value in values.into_iter().flatten() {
        let decoded = value.decode_into(&mut out).expect("a parsed value decodes");
        assert!(decoded.len() <= value.as_encoded().len());
        assert!(value.ct_eq_decoded(decoded));
        if let Some(verbatim) = value.as_verbatim() {
            assert_eq!(verbatim, decoded);
        }
    }
}
