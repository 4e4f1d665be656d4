//! Error codes of the authorization response (RFC 6749 §4.2.2.1, OIDC Core §3.1.2.6).

use core::fmt;

use crate::oauth::value::RawValue;

/// The `error` of an error response.
///
/// Unknown (extension) codes are kept as [`ErrorCode::Other`], never dropped.
///
/// ```
/// use implicit_grant::{AuthorizationResponse, ErrorCode, parse_fragment};
/// let AuthorizationResponse::Error(e) = parse_fragment("#error=login_required&state=xyz")? else {
///     return Err("expected a denial".into());
/// };
/// assert_eq!(e.error, ErrorCode::LoginRequired);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode<'f> {
    /// `invalid_request`
    InvalidRequest,
    /// `unauthorized_client`
    UnauthorizedClient,
    /// `access_denied`
    AccessDenied,
    /// `unsupported_response_type`
    UnsupportedResponseType,
    /// `invalid_scope`
    InvalidScope,
    /// `server_error`
    ServerError,
    /// `temporarily_unavailable`
    TemporarilyUnavailable,
    /// `interaction_required` (OIDC)
    InteractionRequired,
    /// `login_required` (OIDC)
    LoginRequired,
    /// `account_selection_required` (OIDC)
    AccountSelectionRequired,
    /// `consent_required` (OIDC)
    ConsentRequired,
    /// `invalid_request_uri` (OIDC)
    InvalidRequestUri,
    /// `invalid_request_object` (OIDC)
    InvalidRequestObject,
    /// `request_not_supported` (OIDC)
    RequestNotSupported,
    /// `request_uri_not_supported` (OIDC)
    RequestUriNotSupported,
    /// `registration_not_supported` (OIDC)
    RegistrationNotSupported,
    /// Any other code, as received (e.g. `invalid_target` of RFC 8707).
    Other(RawValue<'f>),
}

const CODES: &[(&str, ErrorCode<'static>)] = &[
    ("invalid_request", ErrorCode::InvalidRequest),
    ("unauthorized_client", ErrorCode::UnauthorizedClient),
    ("access_denied", ErrorCode::AccessDenied),
    (
        "unsupported_response_type",
        ErrorCode::UnsupportedResponseType,
    ),
    ("invalid_scope", ErrorCode::InvalidScope),
    ("server_error", ErrorCode::ServerError),
    ("temporarily_unavailable", ErrorCode::TemporarilyUnavailable),
    ("interaction_required", ErrorCode::InteractionRequired),
    ("login_required", ErrorCode::LoginRequired),
    (
        "account_selection_required",
        ErrorCode::AccountSelectionRequired,
    ),
    ("consent_required", ErrorCode::ConsentRequired),
    ("invalid_request_uri", ErrorCode::InvalidRequestUri),
    ("invalid_request_object", ErrorCode::InvalidRequestObject),
    ("request_not_supported", ErrorCode::RequestNotSupported),
    (
        "request_uri_not_supported",
        ErrorCode::RequestUriNotSupported,
    ),
    (
        "registration_not_supported",
        ErrorCode::RegistrationNotSupported,
    ),
];

impl<'f> ErrorCode<'f> {
    /// Classifies a validated `error` value.
    pub(crate) fn from_value(value: RawValue<'f>) -> Self {
        CODES
            .iter()
            .find(|(name, _)| value.decoded_eq(name))
            .map_or(Self::Other(value), |&(_, code)| code)
    }

    /// Whether the code says the user must interact with the provider: a `prompt=none`
    /// request (a silent renewal) cannot go on without showing a page (OIDC Core
    /// §3.1.2.6): `interaction_required`, `login_required`, `account_selection_required`
    /// or `consent_required`. Start an interactive login then.
    ///
    /// ```
    /// use implicit_grant::ErrorCode;
    /// assert!(ErrorCode::LoginRequired.needs_interaction());
    /// assert!(ErrorCode::ConsentRequired.needs_interaction());
    /// assert!(!ErrorCode::AccessDenied.needs_interaction());
    /// ```
    #[must_use]
    pub const fn needs_interaction(&self) -> bool {
        matches!(
            self,
            Self::InteractionRequired
                | Self::LoginRequired
                | Self::AccountSelectionRequired
                | Self::ConsentRequired
        )
    }

    /// The code's wire name; `None` for [`ErrorCode::Other`] (read its value instead).
    ///
    /// ```
    /// assert_eq!(implicit_grant::ErrorCode::AccessDenied.as_str(), Some("access_denied"));
    /// ```
    #[must_use]
    pub fn as_str(&self) -> Option<&'static str> {
        CODES.iter().find(|(_, c)| c == self).map(|&(name, _)| name)
    }
}

/// The code's wire name, decoded for [`ErrorCode::Other`].
///
/// ```
/// use implicit_grant::{AuthorizationResponse, ErrorCode, parse_fragment};
/// assert_eq!(ErrorCode::LoginRequired.to_string(), "login_required");
/// let AuthorizationResponse::Error(e) = parse_fragment("error=invalid%5Ftarget&state=s")? else {
///     return Err("expected a denial".into());
/// };
/// assert_eq!(e.error.to_string(), "invalid_target");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl fmt::Display for ErrorCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.as_str()) {
            (_, Some(name)) => f.write_str(name),
            (Self::Other(value), None) => value.write_ascii(f),
            (_, None) => Ok(()),
        }
    }
}
