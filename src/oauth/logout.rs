//! The logout URL: OIDC RP-Initiated Logout 1.0 §2, and Auth0's `/v2/logout`.

use core::fmt;

use crate::codec::sink::{self, Sink};
use crate::error::{ConfigError, Error};
use crate::oauth::authorize::{
    check_endpoint_query, is_text_char, optional, optional_text, tokens,
};
use crate::oauth::param::Param;
use crate::oauth::syntax;
use crate::oauth::url::{check_url, separator};
use crate::secret::redacted;

/// The names a logout request writes: the endpoint's own query may not repeat them.
const OIDC_NAMES: &[(&str, Param)] = &[
    ("id_token_hint", Param::IdTokenHint),
    ("logout_hint", Param::LogoutHint),
    ("client_id", Param::ClientId),
    ("post_logout_redirect_uri", Param::PostLogoutRedirectUri),
    ("state", Param::State),
    ("ui_locales", Param::UiLocales),
    ("federated", Param::Extra),
];
const AUTH0_NAMES: &[(&str, Param)] = &[
    ("returnTo", Param::ReturnTo),
    ("client_id", Param::ClientId),
    ("federated", Param::Extra),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// OIDC RP-Initiated Logout 1.0 (`end_session_endpoint`).
    Oidc,
    /// Auth0's `/v2/logout`.
    Auth0,
}

/// Builds the URL that logs the user out at the provider: OIDC RP-Initiated Logout 1.0 §2
/// ([`LogoutRequest::new`], for the metadata's `end_session_endpoint`) or Auth0's
/// `/v2/logout` ([`LogoutRequest::auth0`]).
///
/// Setters take the request by value and return it; nothing is checked until the URL is
/// written, and then: the endpoint and the redirect target are absolute `https` URLs
/// without fragment (`http` on a loopback host after
/// [`allow_loopback_http`](Self::allow_loopback_http)); the endpoint's own query is kept but
/// repeats no name the request writes; values are in their grammar (the `id_token_hint` a
/// compact JWS, `ui_locales` BCP 47 tags, `logout_hint` text without control characters);
/// with OIDC, a `post_logout_redirect_uri` needs `id_token_hint` or `client_id` (§2: the
/// provider must tell which client registered it) and `state` needs a
/// `post_logout_redirect_uri` (§2: it only comes back there); with Auth0, only `returnTo`,
/// `client_id` and `federated` exist. Values are percent-encoded as in the authorization
/// request.
///
/// # Security
/// The `id_token_hint` and `logout_hint` identify the user: the request's `Debug` redacts
/// them, and `state`. Clear the host's own session (tokens, pending transactions) before
/// navigating to the URL: the provider's redirect back may never come.
///
/// # Examples
/// ```
/// use implicit_grant::LogoutRequest;
/// let id_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
/// let mut buf = [0u8; 512];
/// let url = LogoutRequest::new("https://server.example.com/logout")
///     .id_token_hint(id_token)
///     .post_logout_redirect_uri("https://client.example.org/logged-out")
///     .state("lo-af0ifjsldkj")
///     .write_into(&mut buf)?;
/// assert_eq!(
///     url,
///     "https://server.example.com/logout?id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln\
///      &post_logout_redirect_uri=https%3A%2F%2Fclient.example.org%2Flogged-out&state=lo-af0ifjsldkj"
/// );
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct LogoutRequest<'a> {
    dialect: Dialect,
    endpoint: &'a str,
    id_token_hint: Option<&'a str>,
    logout_hint: Option<&'a str>,
    client_id: Option<&'a str>,
    redirect: Option<&'a str>,
    state: Option<&'a str>,
    ui_locales: &'a [&'a str],
    federated: bool,
    allow_loopback_http: bool,
}

impl fmt::Debug for LogoutRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogoutRequest")
            .field("dialect", &self.dialect)
            .field("endpoint", &self.endpoint)
            .field("id_token_hint", &redacted(self.id_token_hint))
            .field("logout_hint", &redacted(self.logout_hint))
            .field("client_id", &self.client_id)
            .field("redirect", &self.redirect)
            .field("state", &redacted(self.state))
            .field("ui_locales", &self.ui_locales)
            .field("federated", &self.federated)
            .field("allow_loopback_http", &self.allow_loopback_http)
            .finish()
    }
}

macro_rules! logout_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $field:ident = $value:expr;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub const fn $name(mut self, $name: $ty) -> Self {
            self.$field = $value;
            self
        }
    )*};
}

impl<'a> LogoutRequest<'a> {
    /// An OIDC RP-Initiated Logout request to `end_session_endpoint` (from
    /// [`ProviderMetadata::end_session_endpoint`](crate::ProviderMetadata::end_session_endpoint)).
    ///
    /// ```
    /// use implicit_grant::LogoutRequest;
    /// let url = LogoutRequest::new("https://server.example.com/connect/logout")
    ///     .client_id("s6BhdRkqt3")
    ///     .post_logout_redirect_uri("https://client.example.org/logged-out")
    ///     .to_string::<256>()?;
    /// assert_eq!(
    ///     url,
    ///     "https://server.example.com/connect/logout?client_id=s6BhdRkqt3\
    ///      &post_logout_redirect_uri=https%3A%2F%2Fclient.example.org%2Flogged-out"
    /// );
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn new(end_session_endpoint: &'a str) -> Self {
        Self::with(Dialect::Oidc, end_session_endpoint)
    }

    /// A request to Auth0's `/v2/logout` (`https://{tenant}/v2/logout`): the redirect
    /// target is sent as `returnTo`, and `id_token_hint`, `logout_hint`, `state` and
    /// `ui_locales` are refused ([`ConfigError::Forbidden`]): that endpoint
    /// has none of them. (Auth0 also serves OIDC logout at `/oidc/logout`, its
    /// `end_session_endpoint`: use [`LogoutRequest::new`] there.)
    ///
    /// ```
    /// use implicit_grant::LogoutRequest;
    /// let url = LogoutRequest::auth0("https://tenant.auth0.com/v2/logout")
    ///     .client_id("my-client-id")
    ///     .post_logout_redirect_uri("https://app.example/")
    ///     .to_string::<256>()?;
    /// assert_eq!(url, "https://tenant.auth0.com/v2/logout?client_id=my-client-id&returnTo=https%3A%2F%2Fapp.example%2F");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn auth0(logout_endpoint: &'a str) -> Self {
        Self::with(Dialect::Auth0, logout_endpoint)
    }

    const fn with(dialect: Dialect, endpoint: &'a str) -> Self {
        Self {
            dialect,
            endpoint,
            id_token_hint: None,
            logout_hint: None,
            client_id: None,
            redirect: None,
            state: None,
            ui_locales: &[],
            federated: false,
            allow_loopback_http: false,
        }
    }

    logout_setters! {
        /// `id_token_hint`: the ID token of the session to end (RECOMMENDED, §2).
        ///
        /// ```
        /// # use implicit_grant::LogoutRequest;
        /// let request = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .id_token_hint("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln");
        /// assert_eq!(
        ///     request.to_string::<128>()?,
        ///     "https://server.example.com/connect/logout\
        ///      ?id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"
        /// );
        /// assert!(!format!("{request:?}").contains("eyJ")); // redacted
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        id_token_hint: &'a str => id_token_hint = Some(id_token_hint);
        /// `logout_hint`: which user to log out, e.g. an e-mail address (§2).
        ///
        /// ```
        /// # use implicit_grant::LogoutRequest;
        /// let request = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .logout_hint("janedoe@example.com");
        /// assert_eq!(
        ///     request.to_string::<128>()?,
        ///     "https://server.example.com/connect/logout?logout_hint=janedoe%40example.com"
        /// );
        /// assert!(!format!("{request:?}").contains("janedoe")); // redacted
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        logout_hint: &'a str => logout_hint = Some(logout_hint);
        /// `client_id` (§2; Auth0: the application whose allowed logout URLs hold
        /// `returnTo`).
        ///
        /// ```
        /// # use implicit_grant::LogoutRequest;
        /// let url = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .client_id("s6BhdRkqt3")
        ///     .to_string::<128>()?;
        /// assert_eq!(url, "https://server.example.com/connect/logout?client_id=s6BhdRkqt3");
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        client_id: &'a str => client_id = Some(client_id);
        /// Where the provider sends the user afterwards, registered in advance:
        /// `post_logout_redirect_uri` (§2), or Auth0's `returnTo`.
        ///
        /// ```
        /// # use implicit_grant::{ConfigError, Error, LogoutRequest, Param};
        /// let request = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .client_id("s6BhdRkqt3")
        ///     .post_logout_redirect_uri("https://client.example.org/logged-out");
        /// assert!(request.to_string::<256>()?.ends_with(
        ///     "&post_logout_redirect_uri=https%3A%2F%2Fclient.example.org%2Flogged-out"
        /// ));
        /// // Absolute `https` only.
        /// let insecure = request.post_logout_redirect_uri("http://client.example.org/logged-out");
        /// assert_eq!(
        ///     insecure.to_string::<256>().err(),
        ///     Some(Error::Config(ConfigError::Insecure(Param::PostLogoutRedirectUri)))
        /// );
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        post_logout_redirect_uri: &'a str => redirect = Some(post_logout_redirect_uri);
        /// `state`, returned to the `post_logout_redirect_uri` (§2, §3).
        ///
        /// ```
        /// # use implicit_grant::{ConfigError, Error, LogoutRequest, Param};
        /// let request = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .client_id("s6BhdRkqt3")
        ///     .state("af0ifjsldkj");
        /// // Without a redirect target, `state` would never come back.
        /// assert_eq!(
        ///     request.to_string::<256>().err(),
        ///     Some(Error::Config(ConfigError::Missing(Param::PostLogoutRedirectUri)))
        /// );
        /// let request = request.post_logout_redirect_uri("https://client.example.org/logged-out");
        /// assert!(request.to_string::<256>()?.ends_with("&state=af0ifjsldkj"));
        /// assert!(!format!("{request:?}").contains("af0ifjsldkj")); // redacted
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        state: &'a str => state = Some(state);
        /// `ui_locales`: BCP 47 language tags, in order of preference (§2).
        ///
        /// ```
        /// # use implicit_grant::LogoutRequest;
        /// let url = LogoutRequest::new("https://server.example.com/connect/logout")
        ///     .ui_locales(&["fr-CA", "fr", "en"])
        ///     .to_string::<128>()?;
        /// assert_eq!(url, "https://server.example.com/connect/logout?ui_locales=fr-CA%20fr%20en");
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        ui_locales: &'a [&'a str] => ui_locales = ui_locales;
        /// `federated` (an Auth0 extension): also log out of the upstream identity provider.
        ///
        /// ```
        /// # use implicit_grant::LogoutRequest;
        /// let url = LogoutRequest::auth0("https://tenant.auth0.com/v2/logout")
        ///     .federated(true)
        ///     .to_string::<128>()?;
        /// assert_eq!(url, "https://tenant.auth0.com/v2/logout?federated");
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        federated: bool => federated = federated;
        /// Allows `http` on loopback hosts (development; default `false`).
        ///
        /// ```
        /// # use implicit_grant::{ConfigError, Error, LogoutRequest, Param};
        /// let request = LogoutRequest::new("http://127.0.0.1:8080/logout").client_id("s6BhdRkqt3");
        /// assert_eq!(
        ///     request.to_string::<128>().err(),
        ///     Some(Error::Config(ConfigError::Insecure(Param::LogoutEndpoint)))
        /// );
        /// let url = request.allow_loopback_http(true).to_string::<128>()?;
        /// assert_eq!(url, "http://127.0.0.1:8080/logout?client_id=s6BhdRkqt3");
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        allow_loopback_http: bool => allow_loopback_http = allow_loopback_http;
    }

    /// Writes the URL into `out` and returns it.
    ///
    /// # Errors
    /// [`Error::Config`] for a rule broken (see the type's docs); [`Error::BufferTooSmall`]
    /// with the exact length if `out` is too small (`out` is then left untouched).
    ///
    /// ```
    /// use implicit_grant::{ConfigError, Error, LogoutRequest, Param};
    /// let request = LogoutRequest::new("https://op.example/logout")
    ///     .post_logout_redirect_uri("https://app.example/bye");
    /// assert_eq!(
    ///     request.write_into(&mut [0u8; 256]).err(),
    ///     Some(Error::Config(ConfigError::Missing(Param::IdTokenHint)))
    /// );
    /// ```
    pub fn write_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.validate()?;
        Ok(sink::write_exact(out, |w| self.render(w))?)
    }

    /// Writes the URL into a `heapless::String<N>`.
    ///
    /// # Errors
    /// As [`write_into`](Self::write_into): [`Error::BufferTooSmall`] when `N` is too small.
    ///
    /// ```
    /// let url = implicit_grant::LogoutRequest::new("https://op.example/logout")
    ///     .client_id("c")
    ///     .to_string::<64>()?;
    /// assert_eq!(url, "https://op.example/logout?client_id=c");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn to_string<const N: usize>(&self) -> Result<heapless::String<N>, Error> {
        self.validate()?;
        Ok(sink::to_heapless(|w| self.render(w))?)
    }

    fn render(&self, w: &mut dyn Sink) -> fmt::Result {
        w.put(self.endpoint)?;
        let separator = separator(self.endpoint);
        let mut query = Query { w, separator };
        let redirect_name = match self.dialect {
            Dialect::Oidc => "post_logout_redirect_uri",
            Dialect::Auth0 => "returnTo",
        };
        query.pair("id_token_hint", self.id_token_hint)?;
        query.pair("logout_hint", self.logout_hint)?;
        query.pair("client_id", self.client_id)?;
        query.pair(redirect_name, self.redirect)?;
        query.pair("state", self.state)?;
        for (i, locale) in self.ui_locales.iter().enumerate() {
            if i == 0 {
                query.name("ui_locales=")?;
            } else {
                query.w.put("%20")?;
            }
            query.w.put_encoded(locale)?;
        }
        if self.federated {
            query.name("federated")?;
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let allow_http = self.allow_loopback_http;
        check_url(self.endpoint, Param::LogoutEndpoint, allow_http)?;
        let (names, redirect_param) = match self.dialect {
            Dialect::Oidc => (OIDC_NAMES, Param::PostLogoutRedirectUri),
            Dialect::Auth0 => (AUTH0_NAMES, Param::ReturnTo),
        };
        check_endpoint_query(self.endpoint, Param::LogoutEndpoint, &[names], &[])?;
        // An empty value counts as absent, as for every optional parameter.
        if let Some(redirect) = self.redirect.filter(|r| !r.is_empty()) {
            check_url(redirect, redirect_param, allow_http)?;
        }
        optional(self.id_token_hint, Param::IdTokenHint, syntax::is_jws_char)?;
        optional(self.client_id, Param::ClientId, syntax::is_vschar)?;
        optional(self.state, Param::State, syntax::is_vschar)?;
        optional_text(self.logout_hint, Param::LogoutHint, is_text_char)?;
        tokens(self.ui_locales, Param::UiLocales, |b| {
            b.is_ascii_alphanumeric() || b == b'-'
        })?;
        let given = |value: Option<&str>| value.is_some_and(|v| !v.is_empty());
        match self.dialect {
            Dialect::Oidc => {
                if given(self.redirect) && !given(self.id_token_hint) && !given(self.client_id) {
                    return Err(ConfigError::Missing(Param::IdTokenHint));
                }
                if given(self.state) && !given(self.redirect) {
                    return Err(ConfigError::Missing(Param::PostLogoutRedirectUri));
                }
            }
            Dialect::Auth0 => {
                let unsupported = [
                    (given(self.id_token_hint), Param::IdTokenHint),
                    (given(self.logout_hint), Param::LogoutHint),
                    (given(self.state), Param::State),
                    (!self.ui_locales.is_empty(), Param::UiLocales),
                ];
                if let Some(&(_, param)) = unsupported.iter().find(|(set, _)| *set) {
                    return Err(ConfigError::Forbidden(param));
                }
            }
        }
        Ok(())
    }
}

/// A query being written: each parameter after the first is preceded by `&`.
struct Query<'w> {
    w: &'w mut dyn Sink,
    /// What precedes the next parameter: `?`, `&`, or nothing after the endpoint's own `?`.
    separator: &'static str,
}

impl Query<'_> {
    /// The separator, then `name` (with its `=` when it has a value).
    fn name(&mut self, name: &str) -> fmt::Result {
        self.w.put(self.separator)?;
        self.separator = "&";
        self.w.put(name)
    }

    /// `name=value`, or nothing for an absent or empty value.
    fn pair(&mut self, name: &str, value: Option<&str>) -> fmt::Result {
        match value {
            Some(value) if !value.is_empty() => {
                self.name(name)?;
                self.w.put("=")?;
                self.w.put_encoded(value)
            }
            _ => Ok(()),
        }
    }
}
