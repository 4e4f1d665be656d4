//! Secrets: private fields, redacted `Debug`, no `Display`, `Deref` or `PartialEq`; values
//! are reached only through `expose_*`. Every secret-holding type redacts through this
//! file: [`redacted_debug!`] for a whole value, [`Redacted`] for one field of a struct.

use core::fmt;

/// `Debug` as `Name([redacted])`, for a type whose whole value is secret.
macro_rules! redacted_debug {
    ($name:ident $(<$lt:lifetime>)?) => {
        impl core::fmt::Debug for $name$(<$lt>)? {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}
pub(crate) use redacted_debug;

/// Stands for a secret field in a struct's `Debug`: prints `[redacted]`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// `Some([redacted])` or `None`: whether an optional secret is there, not what it is.
pub(crate) fn redacted<T: ?Sized>(value: Option<&T>) -> Option<Redacted> {
    value.map(|_| Redacted)
}

macro_rules! secret_str {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a>(&'a str);

        impl<'a> $name<'a> {
            /// Wraps a value.
            #[must_use]
            pub const fn new(value: &'a str) -> Self {
                Self(value)
            }

            /// The secret value.
            ///
            /// # Security
            /// Anything that logs or persists the returned value leaks the credential.
            #[must_use]
            pub const fn expose_secret(&self) -> &'a str {
                self.0
            }
        }

        redacted_debug!($name<'_>);
    };
}

secret_str!(
    /// An OAuth 2.0 access token (RFC 6749 §1.4), decoded from the response.
    ///
    /// ```
    /// let at = implicit_grant::AccessToken::new("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y");
    /// assert_eq!(format!("{at:?}"), "AccessToken([redacted])");
    /// assert_eq!(at.expose_secret().len(), 43);
    /// ```
    AccessToken
);

secret_str!(
    /// An ID token in its compact JWS form (OIDC Core §2), e.g. for a later `id_token_hint`.
    ///
    /// ```
    /// let t = implicit_grant::IdToken::new("eyJhbGciOiJIUzI1NiJ9.e30.sig");
    /// assert_eq!(format!("{t:?}"), "IdToken([redacted])");
    /// ```
    IdToken
);

#[cfg(feature = "code")]
secret_str!(
    /// An OAuth 2.0 refresh token (RFC 6749 §1.5), for a later
    /// [`TokenRequest::refresh`](crate::TokenRequest::refresh).
    ///
    /// ```
    /// let rt = implicit_grant::RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA");
    /// assert_eq!(format!("{rt:?}"), "RefreshToken([redacted])");
    /// ```
    RefreshToken
);

#[cfg(feature = "code")]
secret_str!(
    /// A confidential client's secret (RFC 6749 §2.3.1), for
    /// [`TokenRequest::client_secret`](crate::TokenRequest::client_secret).
    ///
    /// ```
    /// let s = implicit_grant::ClientSecret::new("gX1fBat3bV");
    /// assert_eq!(format!("{s:?}"), "ClientSecret([redacted])");
    /// ```
    ClientSecret
);
