//! The logout URL: OIDC RP-Initiated Logout 1.0 §2 (`end_session_endpoint`) and Auth0's
//! `/v2/logout`, against the endpoints real providers publish (`tests/data/discovery/`).

mod common;

use common::*;
use implicit_grant::{ConfigError, Error, LogoutRequest, Param};

const POST_LOGOUT: &str = "https://client.example.org/logged-out";

/// The query of `url` as `(name, value)` pairs, percent-decoded by an independent decoder.
fn query(url: &str) -> Vec<(String, String)> {
    let (_, query) = url.split_once('?').unwrap();
    form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

fn written(request: LogoutRequest<'_>) -> String {
    let mut buf = [0u8; 2048];
    request.write_into(&mut buf).unwrap().to_owned()
}

fn refused(request: LogoutRequest<'_>) -> ConfigError {
    match request.write_into(&mut [0u8; 2048]) {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

/// `end_session_endpoint` of a provider's published metadata.
fn end_session_endpoint(provider: &str) -> String {
    let text = std::fs::read_to_string(format!("tests/data/discovery/{provider}.json")).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    document["end_session_endpoint"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn oidc_rp_logout_2_every_parameter_is_written_once_and_decodes_to_its_value() {
    let locales = ["fr-CA", "fr", "en"];
    // (Keycloak's published endpoint is plain `http`: see `oidc_rp_logout_2_1_keycloak_over_http_is_refused`.)
    for provider in ["okta", "entra", "auth0", "oidc-provider"] {
        let endpoint = end_session_endpoint(provider);
        let url = written(
            LogoutRequest::new(&endpoint)
                .allow_loopback_http(provider == "oidc-provider")
                .id_token_hint(IDT_A3)
                .logout_hint("jöhn@example.com")
                .client_id(CLIENT_ID)
                .post_logout_redirect_uri(POST_LOGOUT)
                .state(STATE)
                .ui_locales(&locales),
        );
        assert!(url.starts_with(&endpoint), "{url}");
        assert_eq!(
            query(&url),
            [
                ("id_token_hint", IDT_A3),
                ("logout_hint", "jöhn@example.com"),
                ("client_id", CLIENT_ID),
                ("post_logout_redirect_uri", POST_LOGOUT),
                ("state", STATE),
                ("ui_locales", "fr-CA fr en"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned())),
            "{provider}"
        );
        // RFC 3986 §2.1: UTF-8 octets, uppercase hex; a space in a list is %20.
        assert!(url.contains("logout_hint=j%C3%B6hn%40example.com"), "{url}");
        assert!(url.contains("ui_locales=fr-CA%20fr%20en"), "{url}");
    }
}

#[test]
fn oidc_rp_logout_2_1_an_endpoint_query_is_kept_and_may_not_repeat_a_written_name() {
    let url = written(
        LogoutRequest::new("https://op.example/logout?tenant=a")
            .client_id(CLIENT_ID)
            .post_logout_redirect_uri(POST_LOGOUT),
    );
    assert_eq!(
        url,
        "https://op.example/logout?tenant=a&client_id=s6BhdRkqt3\
         &post_logout_redirect_uri=https%3A%2F%2Fclient.example.org%2Flogged-out"
    );
    assert_eq!(
        written(LogoutRequest::new("https://op.example/logout?").client_id("c")),
        "https://op.example/logout?client_id=c"
    );
    // Empty values count as absent: no redirection asked for.
    assert_eq!(
        written(
            LogoutRequest::new("https://op.example/logout")
                .id_token_hint(IDT_A3)
                .post_logout_redirect_uri("")
                .state("")
        ),
        format!("https://op.example/logout?id_token_hint={IDT_A3}")
    );
    // Nothing to send: the endpoint alone (the provider asks the user what to do).
    assert_eq!(
        written(LogoutRequest::new("https://op.example/logout")),
        "https://op.example/logout"
    );
    for (endpoint, expected) in [
        (
            "https://op.example/logout?client_id=x",
            ConfigError::Repeated(Param::ClientId),
        ),
        (
            "https://op.example/logout?st%61te=x",
            ConfigError::Repeated(Param::State),
        ),
        (
            "https://op.example/logout?a=1;state=x",
            ConfigError::Invalid(Param::LogoutEndpoint),
        ),
        (
            "https://op.example/logout#top",
            ConfigError::HasFragment(Param::LogoutEndpoint),
        ),
        (
            "http://op.example/logout",
            ConfigError::Insecure(Param::LogoutEndpoint),
        ),
        ("/logout", ConfigError::NotAbsolute(Param::LogoutEndpoint)),
        ("", ConfigError::Missing(Param::LogoutEndpoint)),
    ] {
        assert_eq!(
            refused(LogoutRequest::new(endpoint).client_id(CLIENT_ID)),
            expected,
            "{endpoint}"
        );
    }
}

#[test]
fn oidc_rp_logout_2_redirection_needs_the_client_identified_and_state_needs_redirection() {
    let endpoint = end_session_endpoint("entra");
    let base = LogoutRequest::new(&endpoint);
    // §2: the provider must tell which client registered the post-logout URI.
    assert_eq!(
        refused(base.post_logout_redirect_uri(POST_LOGOUT)),
        ConfigError::Missing(Param::IdTokenHint)
    );
    written(
        base.post_logout_redirect_uri(POST_LOGOUT)
            .id_token_hint(IDT_A3),
    );
    written(
        base.post_logout_redirect_uri(POST_LOGOUT)
            .client_id(CLIENT_ID),
    );
    // §2: `state` only ever comes back to the post-logout URI.
    assert_eq!(
        refused(base.id_token_hint(IDT_A3).state(STATE)),
        ConfigError::Missing(Param::PostLogoutRedirectUri)
    );
    let with_redirect = base.id_token_hint(IDT_A3);
    for (redirect, expected) in [
        (
            "http://client.example.org/bye",
            ConfigError::Insecure(Param::PostLogoutRedirectUri),
        ),
        (
            "https://client.example.org/bye#x",
            ConfigError::HasFragment(Param::PostLogoutRedirectUri),
        ),
        (
            "client.example.org/bye",
            ConfigError::NotAbsolute(Param::PostLogoutRedirectUri),
        ),
    ] {
        assert_eq!(
            refused(with_redirect.post_logout_redirect_uri(redirect)),
            expected,
            "{redirect}"
        );
    }
    // RFC 9700 §2.6: loopback http only when asked for.
    let local = LogoutRequest::new("http://127.0.0.1:8080/session/end")
        .id_token_hint(IDT_A3)
        .post_logout_redirect_uri("http://localhost:3000/");
    assert_eq!(refused(local), ConfigError::Insecure(Param::LogoutEndpoint));
    written(local.allow_loopback_http(true));
}

#[test]
fn oidc_rp_logout_2_values_outside_their_grammar_are_refused() {
    let endpoint = end_session_endpoint("okta");
    let base = LogoutRequest::new(&endpoint).client_id(CLIENT_ID);
    for (request, param) in [
        // A compact JWS is base64url and dots only.
        (base.id_token_hint("a b.c.d"), Param::IdTokenHint),
        (base.id_token_hint("a.b.c%"), Param::IdTokenHint),
        (base.logout_hint("line\nbreak"), Param::LogoutHint),
        (base.ui_locales(&["fr_CA"]), Param::UiLocales),
        (base.ui_locales(&[""]), Param::UiLocales),
        (base.client_id("tab\tid"), Param::ClientId),
        (
            base.post_logout_redirect_uri(POST_LOGOUT).state("st\tate"),
            Param::State,
        ),
    ] {
        assert_eq!(refused(request), ConfigError::Invalid(param), "{request:?}");
    }
}

#[test]
fn auth0_v2_logout_sends_return_to_and_refuses_oidc_only_parameters() {
    let endpoint = "https://dev-tenant.us.auth0.com/v2/logout";
    let url = written(
        LogoutRequest::auth0(endpoint)
            .client_id("my-client-id")
            .post_logout_redirect_uri("https://app.example/?after=logout")
            .federated(true),
    );
    assert_eq!(
        url,
        "https://dev-tenant.us.auth0.com/v2/logout?client_id=my-client-id\
         &returnTo=https%3A%2F%2Fapp.example%2F%3Fafter%3Dlogout&federated"
    );
    // Auth0 documents returnTo without client_id (the tenant's allowed logout URLs).
    written(LogoutRequest::auth0(endpoint).post_logout_redirect_uri("https://app.example/"));
    let base = LogoutRequest::auth0(endpoint).client_id("my-client-id");
    for (request, param) in [
        (base.id_token_hint(IDT_A3), Param::IdTokenHint),
        (base.logout_hint("a@example.com"), Param::LogoutHint),
        (
            base.post_logout_redirect_uri("https://app.example/")
                .state(STATE),
            Param::State,
        ),
        (base.ui_locales(&["en"]), Param::UiLocales),
    ] {
        assert_eq!(refused(request), ConfigError::Forbidden(param));
    }
    assert_eq!(
        refused(LogoutRequest::auth0(endpoint).post_logout_redirect_uri("http://app.example/")),
        ConfigError::Insecure(Param::ReturnTo)
    );
    assert_eq!(
        refused(LogoutRequest::auth0(
            "https://t.auth0.com/v2/logout?returnTo=x"
        )),
        ConfigError::Repeated(Param::ReturnTo)
    );
}

#[test]
fn the_sizing_call_is_exact_and_debug_hides_who_logs_out() {
    let request = LogoutRequest::new("https://op.example/logout")
        .id_token_hint(IDT_A3)
        .logout_hint("alice@example.com")
        .post_logout_redirect_uri(POST_LOGOUT)
        .state(STATE);
    let Err(Error::BufferTooSmall { required }) = request.write_into(&mut []) else {
        panic!("a sizing call reports the length");
    };
    let url = written(request);
    assert_eq!(url.len(), required);
    let mut short = vec![0u8; required - 1];
    assert_eq!(
        request.write_into(&mut short),
        Err(Error::BufferTooSmall { required })
    );
    assert_eq!(request.to_string::<2048>().unwrap().as_str(), url);
    assert_eq!(
        request.to_string::<64>(),
        Err(Error::BufferTooSmall { required })
    );
    let debug = format!("{request:?}");
    for secret in [IDT_A3, "alice@example.com", STATE] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains(POST_LOGOUT), "{debug}");
}

#[test]
fn oidc_rp_logout_2_1_keycloak_over_http_is_refused() {
    // The realm's published `end_session_endpoint` is `http` on a public address: the
    // id_token_hint would cross the network in clear (RFC 9700 §2.6 allows loopback only).
    let endpoint = end_session_endpoint("keycloak");
    assert!(endpoint.starts_with("http://158.39.75.110/"));
    let request = LogoutRequest::new(&endpoint).id_token_hint(IDT_A3);
    assert_eq!(
        refused(request),
        ConfigError::Insecure(Param::LogoutEndpoint)
    );
    assert_eq!(
        refused(request.allow_loopback_http(true)),
        ConfigError::Insecure(Param::LogoutEndpoint)
    );
}
