//! Secret newtypes: private field, redacted `Debug`, no `Display`, `Deref` or `PartialEq`;
//! the value is reached only through `expose_secret()`.

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

        impl core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
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
