//! Authorization request rules (RFC 6749 §3.1, §3.1.2, §4.2.1; OIDC Core §3.1.2.1, §3.2.2.1;
//! RFC 9700 §2.6), mapped clause by clause in CONFORMANCE.md.

mod common;

use common::*;
use core::time::Duration;
use implicit_grant::{
    AuthorizeRequest, ConfigError, Display, Error, Param, Prompt, ResponseMode, ResponseType,
};

/// The OIDC request with `f` applied, written out.
fn build<'a>(
    f: impl FnOnce(AuthorizeRequest<'a>) -> AuthorizeRequest<'a>,
) -> Result<String, Error> {
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::IdTokenToken)
        .scope(&["openid", "profile"])
        .state(STATE)
        .nonce(NONCE);
    let req = f(req);
    let mut buf = [0u8; 2048];
    req.write_into(&mut buf).map(str::to_owned)
}

fn config_err(e: ConfigError) -> Result<String, Error> {
    Err(Error::Config(e))
}

fn query(url: &str) -> Vec<(&str, &str)> {
    let (_, q) = url.split_once('?').unwrap();
    q.split('&').map(|p| p.split_once('=').unwrap()).collect()
}

fn param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    query(url)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

#[test]
fn rfc6749_4_2_1_response_types_on_the_wire() {
    for (rt, wire) in [
        (ResponseType::IdToken, "id_token"),
        (ResponseType::IdTokenToken, "id_token%20token"),
        (ResponseType::Token, "token"),
    ] {
        let url = build(|r| r.response_type(rt)).unwrap();
        assert_eq!(param(&url, "response_type"), Some(wire));
    }
}

#[test]
fn rfc6749_4_2_1_client_id_required_escaped_and_vschar() {
    let url = |client_id: &'static str| {
        let req = AuthorizeRequest::new(AUTHZ_EP, client_id, REDIRECT)
            .response_type(ResponseType::Token)
            .state(STATE);
        req.to_string::<512>().map(|s| s.to_string())
    };
    assert_eq!(
        param(&url("s6BhdRkqt3").unwrap(), "client_id"),
        Some("s6BhdRkqt3")
    );
    assert_eq!(
        param(&url("a b&c=d").unwrap(), "client_id"),
        Some("a%20b%26c%3Dd")
    );
    assert_eq!(url(""), config_err(ConfigError::Missing(Param::ClientId)));
    for bad in ["caf\u{e9}", "a\nb"] {
        assert_eq!(url(bad), config_err(ConfigError::Invalid(Param::ClientId)));
    }
}

#[test]
fn rfc6749_3_1_2_redirect_uri_rules() {
    let with = |uri: &'static str, loopback: bool| {
        let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, uri)
            .response_type(ResponseType::Token)
            .state(STATE)
            .allow_loopback_http(loopback);
        req.to_string::<512>().map(|s| s.to_string())
    };
    let p = Param::RedirectUri;
    assert_eq!(
        param(&with(REDIRECT, false).unwrap(), "redirect_uri"),
        Some("https%3A%2F%2Fclient.example.org%2Fcb")
    );
    assert_eq!(
        param(
            &with("https://client.example.org/cb?x=1&y=2", false).unwrap(),
            "redirect_uri"
        ),
        Some("https%3A%2F%2Fclient.example.org%2Fcb%3Fx%3D1%26y%3D2")
    );
    assert_eq!(
        with("https://client.example.org/cb#x", false),
        config_err(ConfigError::HasFragment(p))
    );
    for relative in [
        "/cb",
        "client.example.org/cb",
        "https:///cb",
        "https://:443/cb",
        "https://@/cb",
        "https://user@:8443/cb",
    ] {
        assert_eq!(
            with(relative, false),
            config_err(ConfigError::NotAbsolute(p)),
            "{relative}"
        );
    }
    assert_eq!(with("", false), config_err(ConfigError::Missing(p)));
    assert_eq!(
        with("https://client.example.org/a b", false),
        config_err(ConfigError::Invalid(p))
    );
    for loopback in [
        "http://127.0.0.1:8080/cb",
        "http://[::1]/cb",
        "http://localhost/cb",
    ] {
        assert_eq!(
            with(loopback, false),
            config_err(ConfigError::Insecure(p)),
            "{loopback}"
        );
        assert!(with(loopback, true).is_ok(), "{loopback}");
    }
    for insecure in [
        "http://client.example.org/cb",
        "http://127.0.0.2/cb",
        "http://localhost.evil.example/cb",
        "http://user@localhost/cb",
        "http://[::1]x/cb",
        "com.example.app:/cb",
        "ftp://client.example.org/cb",
    ] {
        assert!(with(insecure, true).is_err(), "{insecure}");
    }
}

#[test]
fn rfc6749_3_3_scope_tokens() {
    assert_eq!(
        param(&build(|r| r).unwrap(), "scope"),
        Some("openid%20profile")
    );
    assert_eq!(
        build(|r| { r.scope(&["profile"]) }),
        config_err(ConfigError::MissingOpenidScope)
    );
    for bad in [
        &["openid", "a\"b"][..],
        &["openid", "a\\b"],
        &["openid", "a b"],
        &["openid", ""],
        &["openid", "\t"],
    ] {
        assert_eq!(
            build(|r| { r.scope(bad) }),
            config_err(ConfigError::Invalid(Param::Scope)),
            "{bad:?}"
        );
    }
    let url = build(|r| r.scope(&["openid", "profile", "email"])).unwrap();
    assert_eq!(param(&url, "scope"), Some("openid%20profile%20email"));
}

#[test]
fn rfc6749_4_2_1_state_required_escaped_and_vschar() {
    assert_eq!(param(&build(|r| r).unwrap(), "state"), Some(STATE));
    for (state, wire) in [("a b", "a%20b"), ("a&b=c#d", "a%26b%3Dc%23d")] {
        assert_eq!(
            param(&build(|r| { r.state(state) }).unwrap(), "state"),
            Some(wire)
        );
    }
    assert_eq!(
        build(|r| { r.state("") }),
        config_err(ConfigError::Missing(Param::State))
    );
    let req =
        AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT).response_type(ResponseType::Token);
    assert_eq!(
        req.write_into(&mut [0u8; 512]),
        Err(Error::Config(ConfigError::Missing(Param::State)))
    );
    for bad in ["a\tb", "a\nb", "caf\u{e9}", "a\0b"] {
        assert_eq!(
            build(|r| { r.state(bad) }),
            config_err(ConfigError::Invalid(Param::State)),
            "{bad:?}"
        );
    }
}

#[test]
fn oidc_core_3_2_2_1_nonce_required_with_an_id_token_only() {
    for rt in [ResponseType::IdToken, ResponseType::IdTokenToken] {
        let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
            .response_type(rt)
            .scope(&["openid"])
            .state(STATE);
        assert_eq!(
            req.write_into(&mut [0u8; 512]),
            Err(Error::Config(ConfigError::Missing(Param::Nonce)))
        );
    }
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::Token)
        .state(STATE);
    assert!(!req.to_string::<512>().unwrap().contains("nonce"));
    assert_eq!(param(&build(|r| r).unwrap(), "nonce"), Some(NONCE));
}

#[test]
fn rfc6749_3_1_endpoint_query_kept_fragment_and_http_refused() {
    let with = |ep: &'static str| {
        let req = AuthorizeRequest::new(ep, CLIENT_ID, REDIRECT)
            .response_type(ResponseType::Token)
            .state(STATE);
        req.to_string::<512>().map(|s| s.to_string())
    };
    assert!(
        with(AUTHZ_EP)
            .unwrap()
            .starts_with("https://server.example.com/authorize?response_type=")
    );
    assert!(
        with("https://server.example.com/authorize?tenant=a%20b")
            .unwrap()
            .starts_with("https://server.example.com/authorize?tenant=a%20b&response_type=token&")
    );
    assert!(
        with("https://server.example.com/authorize?")
            .unwrap()
            .contains("authorize?response_type=")
    );
    assert_eq!(
        with("https://server.example.com/authorize#f"),
        config_err(ConfigError::HasFragment(Param::Endpoint))
    );
    assert_eq!(
        with("http://server.example.com/authorize"),
        config_err(ConfigError::Insecure(Param::Endpoint))
    );
    for hostless in ["https://:443/authorize", "https://@/authorize"] {
        assert_eq!(
            with(hostless),
            config_err(ConfigError::NotAbsolute(Param::Endpoint)),
            "{hostless}"
        );
    }
    assert!(with("https://[::1]:8443/authorize").is_ok());
    for dup in [
        "https://server.example.com/authorize?client_id=x",
        "https://server.example.com/authorize?client%5Fid=x",
    ] {
        assert_eq!(
            with(dup),
            config_err(ConfigError::Repeated(Param::ClientId)),
            "{dup}"
        );
    }
}

#[test]
fn rfc6749_3_1_no_parameter_twice_and_no_empty_values() {
    let url = build(|r| r.audience("").login_hint("").prompt(&[])).unwrap();
    let names: Vec<_> = query(&url).into_iter().map(|(n, _)| n).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    assert!(query(&url).iter().all(|(_, v)| !v.is_empty()));
    assert!(!url.contains("audience") && !url.contains("login_hint") && !url.contains("prompt"));
}

#[test]
fn buffer_sizing_is_exact_and_leaves_a_short_buffer_untouched() {
    let url = build(|r| r).unwrap();
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::IdTokenToken)
        .scope(&["openid", "profile"])
        .state(STATE)
        .nonce(NONCE);
    let mut short = vec![0xAAu8; url.len() - 1];
    assert_eq!(
        req.write_into(&mut short),
        Err(Error::BufferTooSmall {
            required: url.len()
        })
    );
    assert!(short.iter().all(|&b| b == 0xAA));
    assert_eq!(
        req.write_into(&mut []),
        Err(Error::BufferTooSmall {
            required: url.len()
        })
    );
    let mut exact = vec![0u8; url.len()];
    assert_eq!(req.write_into(&mut exact).unwrap(), url);
    assert_eq!(
        req.to_string::<198>(),
        Err(Error::BufferTooSmall {
            required: url.len()
        })
    );
}

#[test]
fn oauth_mrt_2_1_response_mode_sent_only_when_asked() {
    assert!(!build(|r| r).unwrap().contains("response_mode"));
    for (mode, wire) in [
        (ResponseMode::Fragment, "fragment"),
        (ResponseMode::FormPost, "form_post"),
    ] {
        let url = build(|r| r.response_mode(mode)).unwrap();
        assert_eq!(param(&url, "response_mode"), Some(wire));
    }
}

#[test]
fn oidc_core_3_1_2_1_optional_parameters() {
    let extra = [("connection", "google-oauth2")];
    let url = build(|r| {
        r.prompt(&[Prompt::Login, Prompt::Consent])
            .max_age(Duration::ZERO)
            .display(Display::Popup)
            .ui_locales(&["fr-CA", "fr", "en"])
            .login_hint("janedoe@example.com")
            .id_token_hint(IDT_A3)
            .acr_values(&["urn:mace:incommon:iap:silver"])
            .audience("https://api.example.com/appointments")
            .extra(&extra)
    })
    .unwrap();
    for (name, wire) in [
        ("prompt", "login%20consent"),
        ("max_age", "0"),
        ("display", "popup"),
        ("ui_locales", "fr-CA%20fr%20en"),
        ("login_hint", "janedoe%40example.com"),
        ("id_token_hint", IDT_A3),
        ("acr_values", "urn%3Amace%3Aincommon%3Aiap%3Asilver"),
        ("audience", "https%3A%2F%2Fapi.example.com%2Fappointments"),
        ("connection", "google-oauth2"),
    ] {
        assert_eq!(param(&url, name), Some(wire), "{name}");
    }
    assert_eq!(
        build(|r| { r.prompt(&[Prompt::None, Prompt::Login]) }),
        config_err(ConfigError::PromptNoneCombined)
    );
    assert_eq!(
        build(|r| { r.prompt(&[Prompt::Login, Prompt::Login]) }),
        config_err(ConfigError::Invalid(Param::Prompt))
    );
    assert_eq!(
        build(|r| { r.prompt(&[Prompt::None]).max_age(Duration::ZERO) }),
        config_err(ConfigError::MaxAgeZeroWithPromptNone)
    );
    assert!(build(|r| { r.prompt(&[Prompt::None]).max_age(Duration::from_secs(1)) }).is_ok());
    for (f, p) in [
        (
            &(|r: AuthorizeRequest<'static>| r.ui_locales(&["fr CA"]))
                as &dyn Fn(AuthorizeRequest<'static>) -> AuthorizeRequest<'static>,
            Param::UiLocales,
        ),
        (
            &|r: AuthorizeRequest<'static>| r.id_token_hint("a b"),
            Param::IdTokenHint,
        ),
        (
            &|r: AuthorizeRequest<'static>| r.acr_values(&["a\"b"]),
            Param::AcrValues,
        ),
        (
            &|r: AuthorizeRequest<'static>| r.login_hint("a\nb"),
            Param::LoginHint,
        ),
    ] {
        assert_eq!(build(f), config_err(ConfigError::Invalid(p)), "{p:?}");
    }
}

#[test]
fn rfc6749_3_1_extra_parameters_never_duplicate_managed_ones() {
    // A name the crate writes is its own error, pointing at the setter to use instead.
    for (name, p) in [
        ("state", Param::State),
        ("nonce", Param::Nonce),
        ("response_type", Param::ResponseType),
        ("redirect_uri", Param::RedirectUri),
        ("login_hint", Param::LoginHint),
        ("ui_locales", Param::UiLocales),
        ("display", Param::Display),
        ("acr_values", Param::AcrValues),
    ] {
        let extra = [(name, "x")];
        assert_eq!(
            build(|r| { r.extra(&extra) }),
            config_err(ConfigError::Reserved(p)),
            "{name}"
        );
    }
    let twice = [("a", "1"), ("a", "2")];
    assert_eq!(
        build(|r| { r.extra(&twice) }),
        config_err(ConfigError::Repeated(Param::Extra))
    );
    let bad = [("a b", "1")];
    assert_eq!(
        build(|r| { r.extra(&bad) }),
        config_err(ConfigError::Invalid(Param::Extra))
    );
    let empty_name = [("", "1")];
    assert_eq!(
        build(|r| { r.extra(&empty_name) }),
        config_err(ConfigError::Missing(Param::Extra))
    );
    let extra = [("connection", "y")];
    let req = AuthorizeRequest::new(
        "https://server.example.com/authorize?connection=x",
        CLIENT_ID,
        REDIRECT,
    )
    .response_type(ResponseType::Token)
    .state(STATE)
    .extra(&extra);
    assert_eq!(
        req.write_into(&mut [0u8; 512]),
        Err(Error::Config(ConfigError::Repeated(Param::Extra)))
    );
}

#[test]
fn request_debug_redacts_state_nonce_and_hints() {
    let req = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .state("secret-state-value")
        .nonce("secret-nonce-value")
        .id_token_hint(IDT_A3)
        .login_hint("janedoe@example.com");
    let debug = format!("{req:?}");
    for secret in [
        "secret-state-value",
        "secret-nonce-value",
        IDT_A3,
        "janedoe@example.com",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains(CLIENT_ID));
}

#[test]
fn setters_chain_by_value_and_leave_a_base_request_unchanged() {
    let base = AuthorizeRequest::new(AUTHZ_EP, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::Token)
        .state(STATE);
    let with_hint = base.login_hint("janedoe@example.com");
    assert!(!base.to_string::<512>().unwrap().contains("login_hint"));
    assert_eq!(
        param(&with_hint.to_string::<512>().unwrap(), "login_hint"),
        Some("janedoe%40example.com")
    );
}

/// OIDC Core §3.1.2.1: `login_hint` is text, sent as UTF-8 octets (RFC 3986 §2.5).
#[test]
fn rfc3986_2_5_login_hint_accepts_unicode_and_sends_its_utf8_octets() {
    let url = build(|r| r.login_hint("jöhn@例え.jp")).unwrap();
    assert_eq!(
        param(&url, "login_hint"),
        Some("j%C3%B6hn%40%E4%BE%8B%E3%81%88.jp")
    );
    let decoded = form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
        .find(|(name, _)| name == "login_hint")
        .map(|(_, value)| value.into_owned());
    assert_eq!(decoded.as_deref(), Some("jöhn@例え.jp"));
    assert!(build(|r| r.login_hint("Jane Doe <jane@example.com>")).is_ok());
}

#[test]
fn oidc_core_3_1_2_1_login_hint_refuses_control_characters() {
    for bad in [
        "a\u{7}b", "a\u{85}b", "a\u{7f}b", "a\u{9f}b", "a\0b", "a\tb", "ö\n",
    ] {
        assert_eq!(
            build(|r| r.login_hint(bad)),
            config_err(ConfigError::Invalid(Param::LoginHint)),
            "{bad:?}"
        );
    }
}

#[test]
fn oidc_core_3_1_2_1_acr_values_accept_unicode_tokens_without_space_or_control_characters() {
    let url = build(|r| r.acr_values(&["niveau-élevé", "urn:x:2"])).unwrap();
    assert_eq!(
        param(&url, "acr_values"),
        Some("niveau-%C3%A9lev%C3%A9%20urn%3Ax%3A2")
    );
    for bad in [
        &["a b"][..],
        &["é\u{85}"],
        &["\u{7}"],
        &[""],
        &["a\"b"],
        &["a\\b"],
    ] {
        assert_eq!(
            build(|r| r.acr_values(bad)),
            config_err(ConfigError::Invalid(Param::AcrValues)),
            "{bad:?}"
        );
    }
}

/// BCP 47 (RFC 5646 §2.1) tags are ASCII: a non-ASCII one is refused, not encoded.
#[test]
fn oidc_core_3_1_2_1_ui_locales_refuse_non_ascii_tags() {
    assert!(build(|r| r.ui_locales(&["zh-Hant-TW", "de"])).is_ok());
    for bad in [&["fr-ÇA"][..], &["日本"], &["en_US"], &["de", ""]] {
        assert_eq!(
            build(|r| r.ui_locales(bad)),
            config_err(ConfigError::Invalid(Param::UiLocales)),
            "{bad:?}"
        );
    }
}

fn with_endpoint(endpoint: &str) -> Result<String, Error> {
    AuthorizeRequest::new(endpoint, CLIENT_ID, REDIRECT)
        .response_type(ResponseType::IdTokenToken)
        .scope(&["openid"])
        .state(STATE)
        .nonce(NONCE)
        .to_string::<1024>()
        .map(|s| s.to_string())
}

/// A server that also splits queries on `;` would read `state=x` here as a parameter.
#[test]
fn rfc6749_3_1_endpoint_query_with_a_semicolon_is_refused() {
    for ep in [
        "https://server.example.com/authorize?a=1;state=x",
        "https://server.example.com/authorize?a=1;b=2",
        "https://server.example.com/authorize?;",
    ] {
        assert_eq!(
            with_endpoint(ep),
            config_err(ConfigError::Invalid(Param::Endpoint)),
            "{ep}"
        );
    }
    // A `;` in the path is not a query separator.
    assert!(with_endpoint("https://server.example.com/authorize;v=2?a=1").is_ok());
}

#[test]
fn rfc6749_3_1_endpoint_query_refuses_every_name_the_crate_writes_even_percent_encoded() {
    for (name, p) in [
        ("response_type", Param::ResponseType),
        ("client_id", Param::ClientId),
        ("redirect_uri", Param::RedirectUri),
        ("scope", Param::Scope),
        ("audience", Param::Audience),
        ("state", Param::State),
        ("nonce", Param::Nonce),
        ("response_mode", Param::ResponseMode),
        ("prompt", Param::Prompt),
        ("max_age", Param::MaxAge),
        ("login_hint", Param::LoginHint),
        ("ui_locales", Param::UiLocales),
        ("display", Param::Display),
        ("id_token_hint", Param::IdTokenHint),
        ("acr_values", Param::AcrValues),
    ] {
        let first = name.as_bytes()[0];
        let encoded = format!("%{first:02X}{}", &name[1..]);
        for query in [name.to_string(), encoded, format!("{name}=x")] {
            let ep = format!("https://server.example.com/authorize?tenant=t&{query}");
            let ep = ep.as_str();
            assert_eq!(
                with_endpoint(ep),
                config_err(ConfigError::Repeated(p)),
                "{ep}"
            );
        }
    }
    assert_eq!(
        with_endpoint("https://server.example.com/authorize?st%61te=x"),
        config_err(ConfigError::Repeated(Param::State))
    );
}

/// OIDC Core §6: a request object's values supersede the parameters the crate checks.
#[test]
fn oidc_core_6_request_objects_are_refused_in_the_endpoint_query_and_the_extras() {
    for (name, p) in [
        ("request", Param::Request),
        ("request_uri", Param::RequestUri),
    ] {
        for query in [format!("{name}=x"), format!("%72{}=x", &name[1..])] {
            let ep = format!("https://server.example.com/authorize?{query}");
            let ep = ep.as_str();
            assert_eq!(
                with_endpoint(ep),
                config_err(ConfigError::Forbidden(p)),
                "{ep}"
            );
        }
        let extra = [(name, "urn:example:request")];
        assert_eq!(
            build(|r| r.extra(&extra)),
            config_err(ConfigError::Forbidden(p)),
            "{name}"
        );
    }
    assert_eq!(
        Error::from(ConfigError::Forbidden(Param::RequestUri)).to_string(),
        "config: parameter request_uri is not allowed"
    );
}
