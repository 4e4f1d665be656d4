//! [`IdTokenHint`]: the ID token a silent renewal sends, and the user it names, so that the
//! renewal is refused when the provider answers for someone else.

use crate::codec::digest::sha256_parts;
use crate::ct::ct_eq;
use crate::error::Error;
use crate::jwt;

/// Length of the hash that names a user: SHA-256 of the issuer and the subject.
pub(crate) const USER_LEN: usize = 32;

/// The hash of a user: the issuer's length (8 bytes, little-endian), the issuer, then the
/// subject, so that no two (`iss`, `sub`) pairs share an input.
pub(crate) fn user_of(iss: &str, sub: &str) -> [u8; USER_LEN] {
    let iss_len = (iss.len() as u64).to_le_bytes();
    sha256_parts(&[&iss_len, iss.as_bytes(), sub.as_bytes()])
}

/// The user a hint names, and the issuer that named it (each hashed).
#[derive(Clone, Copy)]
pub(crate) struct User {
    /// [`user_of`] its `iss` and `sub`.
    pub(crate) id: [u8; USER_LEN],
    /// SHA-256 of its `iss` alone, to refuse a hint from another issuer.
    issuer: [u8; USER_LEN],
}

impl User {
    fn of(iss: &str, sub: &str) -> Self {
        Self {
            id: user_of(iss, sub),
            issuer: sha256_parts(&[iss.as_bytes()]),
        }
    }

    /// Whether `issuer` issued the hint.
    pub(crate) fn is_from(&self, issuer: &str) -> bool {
        ct_eq(&sha256_parts(&[issuer.as_bytes()]), &self.issuer)
    }
}

/// An ID token to send as `id_token_hint` ([`Config::silent`](crate::Config::silent)), and
/// the user it names (its `iss` and `sub`, hashed).
///
/// A transaction begun with a hint records that user, and [`complete`](crate::complete)
/// refuses a verified ID token for anyone else
/// ([`FlowError::UserMismatch`](crate::FlowError::UserMismatch)): OIDC Core §3.1.2.1 says
/// only that the provider SHOULD refuse another user, and a provider that answers for
/// whoever is logged in there now would otherwise move the app's session to another
/// identity.
///
/// Made from a verified [`Session`](crate::Session) ([`Session::id_token_hint`](crate::Session::id_token_hint)),
/// or read from the ID token the app kept ([`IdTokenHint::read`]).
///
/// # Security
/// `Debug` redacts the token and the user.
///
/// ```
/// use implicit_grant::IdTokenHint;
/// // {"iss":"https://server.example.com","sub":"248289761001","aud":"s6BhdRkqt3","exp":1311281970,"iat":1311280970}
/// let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJleHAiOjEzMTEyODE5NzAsImlhdCI6MTMxMTI4MDk3MH0.c2ln";
/// let mut scratch = [0u8; 512];
/// let hint = IdTokenHint::read(token, &mut scratch)?;
/// assert_eq!(hint.expose_secret(), token);
/// assert_eq!(format!("{hint:?}"), "IdTokenHint([redacted])");
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct IdTokenHint<'a> {
    token: &'a str,
    user: User,
}

impl<'a> IdTokenHint<'a> {
    /// Reads the `iss` and `sub` of `id_token`, the ID token of the session to renew, as the
    /// app kept it after [`complete`](crate::complete) verified it. The signature and the
    /// times are not checked again (an expired ID token is a valid hint, OIDC Core
    /// §3.1.2.1). `scratch` needs [`jwt::scratch_len`](crate::jwt::scratch_len) of the
    /// token's length.
    ///
    /// # Errors
    /// [`JwtError`](crate::JwtError)s for a token that is not a compact JWS with a JSON
    /// payload; [`ClaimsError`](crate::ClaimsError)s for claims an ID token must have and
    /// this one lacks or mistypes; [`Error::BufferTooSmall`].
    ///
    /// # Security
    /// The user is read, not verified: pass only a token this app verified. A renewal then
    /// accepts that user and no other. A configuration refuses a hint whose `iss` is not
    /// its issuer ([`ConfigError::ForeignHint`](crate::ConfigError::ForeignHint)):
    /// it would send one provider's ID token, personal data, to another.
    ///
    /// ```
    /// use implicit_grant::{ClaimsError, Claim, Error, IdTokenHint};
    /// // {"iss":"https://server.example.com","aud":"s6BhdRkqt3","exp":1311281970,"iat":1311280970}: no `sub`
    /// let token = "e30.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsImF1ZCI6InM2QmhkUmtxdDMiLCJleHAiOjEzMTEyODE5NzAsImlhdCI6MTMxMTI4MDk3MH0.c2ln";
    /// let mut scratch = [0u8; 512];
    /// let refused = IdTokenHint::read(token, &mut scratch).err();
    /// assert_eq!(refused, Some(Error::Claims(ClaimsError::MissingClaim(Claim::Sub))));
    /// ```
    pub fn read(id_token: &'a str, scratch: &mut [u8]) -> Result<Self, Error> {
        let (iss, sub) = jwt::issuer_and_subject(id_token, scratch)?;
        Ok(Self {
            token: id_token,
            user: User::of(iss, sub),
        })
    }

    /// The hint of a verified session: its ID token and its `iss` and `sub`.
    pub(crate) fn verified(id_token: &'a str, iss: &str, sub: &str) -> Self {
        Self {
            token: id_token,
            user: User::of(iss, sub),
        }
    }

    /// The ID token.
    ///
    /// # Security
    /// Personal data, and replayable as a hint: keep it out of logs.
    ///
    /// ```
    /// # use implicit_grant::IdTokenHint;
    /// # let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJleHAiOjEzMTEyODE5NzAsImlhdCI6MTMxMTI4MDk3MH0.c2ln";
    /// let hint = IdTokenHint::read(token, &mut [0u8; 512])?;
    /// assert!(hint.expose_secret().starts_with("eyJhbGciOiJSUzI1NiJ9."));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn expose_secret(&self) -> &'a str {
        self.token
    }

    /// The user it names.
    pub(crate) const fn user(&self) -> User {
        self.user
    }
}

crate::secret::redacted_debug!(IdTokenHint<'_>);
