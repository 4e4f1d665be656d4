//! Any status and body as a token endpoint's answer (the first two bytes the status, the
//! rest the body): parsing is total and deterministic; the canonical text always fits a
//! scratch as long as the body, and the size a short scratch asks for is enough; what it
//! accepts has its status and keeps every value in its grammar. Then a refresh request for
//! any refresh token it returns reads back, form-decoded, as that token.
//! Run: `cargo +nightly fuzz run token_response`.
#![no_main]

use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, Error, Issuer, RedirectUri, RefreshToken,
    TokenEndpointResponse, TokenRequest, parse_token_response,
};

fn vschars(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// The outcome, as text that owns nothing of the scratch.
fn summary(r: &Result<TokenEndpointResponse<'_>, Error>) -> String {
    match r {
        Ok(TokenEndpointResponse::Issued(t)) => format!(
            "{} {:?} {:?} {:?} {:?}",
            t.access_token.expose_secret(),
            t.expires_in,
            t.refresh_token.map(|r| r.expose_secret()),
            t.scope,
            t.id_token.map(|i| i.expose_secret())
        ),
        Ok(TokenEndpointResponse::Denied(d)) => format!("{d} {:?}", d.error_uri),
        Err(e) => format!("{e:?}"),
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    // Mostly the three statuses the endpoint answers with.
    let status = match a % 4 {
        0 => 200,
        1 => 400,
        2 => 401,
        _ => u16::from_be_bytes([*a, *b]),
    };
    let Ok(body) = core::str::from_utf8(rest) else {
        return;
    };
    let mut scratch = vec![0u8; body.len()];
    let first = parse_token_response(status, body, &mut scratch);
    let first_summary = summary(&first);
    let mut again = vec![0u8; body.len()];
    assert_eq!(
        summary(&parse_token_response(status, body, &mut again)),
        first_summary
    );
    assert!(!matches!(first, Err(Error::BufferTooSmall { .. })));
    let mut short = vec![0u8; body.len() / 2];
    if let Err(Error::BufferTooSmall { required }) = parse_token_response(status, body, &mut short)
    {
        assert!(required <= body.len());
        let mut exact = vec![0u8; required];
        assert_eq!(
            summary(&parse_token_response(status, body, &mut exact)),
            first_summary
        );
    }
    match first {
        Ok(TokenEndpointResponse::Issued(t)) => {
            assert_eq!(status, 200);
            assert!(vschars(t.access_token.expose_secret()));
            // RFC 6749 §3.3's list, or empty: no scope granted (oidc-provider's `""`).
            if let Some(scope) = t.scope.filter(|s| !s.is_empty()) {
                assert!(scope.split(' ').all(|s| !s.is_empty() && vschars(s)));
            }
            if let Some(id_token) = t.id_token {
                let s = id_token.expose_secret();
                assert!(!s.is_empty());
                assert!(
                    s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                );
            }
            if let Some(refresh) = t.refresh_token {
                assert!(vschars(refresh.expose_secret()));
                let config = Config::builder(
                    Issuer::new("https://op.example"),
                    AuthorizationEndpoint::new("https://op.example/authorize"),
                    ClientId::new("client"),
                    RedirectUri::new("https://app.example/cb"),
                )
                .build()
                .unwrap();
                let request =
                    TokenRequest::refresh(&config, RefreshToken::new(refresh.expose_secret()))
                        .unwrap();
                let mut out = vec![0u8; 64 + 3 * refresh.expose_secret().len()];
                let body = request.body(&mut out).unwrap();
                let sent = form_urlencoded::parse(body.as_bytes())
                    .find(|(n, _)| n == "refresh_token")
                    .map(|(_, v)| v.into_owned());
                assert_eq!(sent.as_deref(), Some(refresh.expose_secret()));
            }
        }
        Ok(TokenEndpointResponse::Denied(d)) => {
            assert!(status == 400 || status == 401);
            assert!(!d.error.as_str().is_empty());
        }
        Err(_) => {}
    }
});
