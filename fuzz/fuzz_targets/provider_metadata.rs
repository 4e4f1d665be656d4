//! Any text as provider metadata (its first line the expected issuer, the rest the
//! document): parsing is total and deterministic; what it accepts names exactly the
//! expected issuer and only absolute `https` URLs without fragment (loopback `http` only for
//! a loopback `http` issuer); the size it asks for is enough; a `Config` from it and the
//! logout URL at its end-session endpoint are written or refused with a typed error.
//! Run: `cargo +nightly fuzz run provider_metadata`.
#![no_main]

use implicit_grant::{
    ClientId, ConfigBuilder, ConfigError, Error, LogoutRequest, Param, ProviderMetadata,
    RedirectUri, ResponseMode, ResponseType,
};

/// An absolute `https` URL without fragment (the scheme compared without case, RFC 3986
/// §3.1), or `http` when the issuer is a loopback `http` one.
fn secure(url: &str, loopback_issuer: bool) -> bool {
    let scheme = |name: &str| {
        url.get(..name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
    };
    !url.contains('#') && (scheme("https://") || (loopback_issuer && scheme("http://")))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let (issuer, document) = text.split_once('\n').unwrap_or((text, ""));
    let mut scratch = vec![0u8; document.len()];
    let first = ProviderMetadata::parse(document, issuer, &mut scratch).map(|m| m.jwks_uri().len());
    let mut again = vec![0u8; document.len()];
    let second = ProviderMetadata::parse(document, issuer, &mut again).map(|m| m.jwks_uri().len());
    assert_eq!(first, second);
    // A short scratch learns the exact size, and that size is enough.
    let mut short = vec![0u8; document.len() / 2];
    if let Err(Error::BufferTooSmall { required }) =
        ProviderMetadata::parse(document, issuer, &mut short)
    {
        assert!(required <= document.len());
        let mut exact = vec![0u8; required];
        let exact =
            ProviderMetadata::parse(document, issuer, &mut exact).map(|m| m.jwks_uri().len());
        assert_eq!(exact, first);
    }
    let Ok(metadata) = ProviderMetadata::parse(document, issuer, &mut scratch) else {
        return;
    };
    assert_eq!(metadata.issuer(), issuer);
    let loopback = issuer
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"));
    assert!(secure(metadata.issuer(), loopback));
    assert!(secure(metadata.authorization_endpoint(), loopback));
    assert!(secure(metadata.jwks_uri(), loopback));
    if let Some(token) = metadata.token_endpoint() {
        assert!(secure(token, loopback));
    }
    let algs = metadata.id_token_signing_algs();
    for (i, alg) in algs.iter().enumerate() {
        assert!(!algs[..i].contains(alg));
    }
    let builder = ConfigBuilder::from_metadata(
        &metadata,
        ClientId::new("client"),
        RedirectUri::new("https://app.example/cb"),
    );
    match builder.map(ConfigBuilder::build) {
        Ok(Ok(config)) => {
            assert!(!config.algorithms().is_empty());
            assert!(config.algorithms().iter().all(|a| algs.contains(a)));
        }
        // The metadata checked every URL; only the endpoint's own query can still clash
        // with the request (a name the crate writes, `;`, a malformed escape).
        Ok(Err(e)) => assert!(
            matches!(
                e,
                ConfigError::Repeated(_)
                    | ConfigError::Forbidden(_)
                    | ConfigError::Invalid(Param::Endpoint)
            ),
            "{e:?}"
        ),
        Err(_) => {}
    }
    // The code flow from the same document: its token endpoint is the metadata's, checked.
    let code = ConfigBuilder::from_metadata_for(
        &metadata,
        ResponseType::Code,
        ClientId::new("client"),
        RedirectUri::new("https://app.example/cb"),
    );
    if let Ok(Ok(config)) = code.map(ConfigBuilder::build) {
        assert!(metadata.supports_response_type(ResponseType::Code));
        assert!(config.token_endpoint().is_some());
        assert_eq!(config.token_endpoint(), metadata.token_endpoint());
        assert_eq!(config.response_mode(), ResponseMode::Query);
    }
    if let Some(logout) = metadata.end_session_endpoint() {
        assert!(secure(logout, loopback));
        let mut url = [0u8; 4096];
        let _ = LogoutRequest::new(logout)
            .client_id("client")
            .post_logout_redirect_uri("https://app.example/bye")
            .allow_loopback_http(loopback)
            .write_into(&mut url);
    }
});
