#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs, unused_must_use)]
#![warn(unreachable_pub)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreachable,
    clippy::missing_errors_doc,
    clippy::missing_panics_doc,
    clippy::std_instead_of_core,
    clippy::alloc_instead_of_core
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("lib.md")]

#[cfg(test)]
extern crate std;

mod algorithm;
mod bearer;
mod codec;
mod ct;
mod error;
mod flow;
mod host;
pub mod jwt;
pub mod limits;
mod oauth;
mod secret;
mod time;
pub mod verify;

// Each public item has exactly one path: the flow, its messages and errors here; JWS tools
// in `jwt`; built-in verifiers in `verify`; every bound in `limits`.
pub use algorithm::Algorithm;
pub use bearer::bearer_header;
pub use error::{
    ClaimsError, ConfigError, Error, ErrorKind, FlowError, JwtError, KeyError, MetadataError,
    ResponseError, SelectionError,
};
pub use flow::transaction::Transaction;
pub use flow::{
    AuthorizationEndpoint, ClientId, Config, ConfigBuilder, IdTokenHint, IssParameter, Issuer,
    Outcome, OwnedConfig, RedirectUri, Session, begin, complete,
};
#[cfg(feature = "code")]
#[cfg_attr(docsrs, doc(cfg(feature = "code")))]
pub use flow::{Callback, CodeGrant, Redeemed, Refresh, TokenEndpoint, callback};
#[cfg(feature = "getrandom")]
#[cfg_attr(docsrs, doc(cfg(feature = "getrandom")))]
pub use host::OsRandom;
#[cfg(feature = "rand_core")]
#[cfg_attr(docsrs, doc(cfg(feature = "rand_core")))]
pub use host::RandCore;
pub use host::{
    MemoryStore, Random, RandomError, Record, StorageError, TransactionKey, TransactionStore,
};
pub use jwt::claims::Claim;
pub use jwt::validate::{Expectations, verify_id_token};
pub use jwt::verifier::{SignatureVerified, SignatureVerifier};
pub use oauth::authorize::{AuthorizeRequest, Display, Prompt, ResponseMode, ResponseType};
pub use oauth::error_code::ErrorCode;
pub use oauth::logout::LogoutRequest;
pub use oauth::metadata::{MetadataMember, ProviderMetadata};
pub use oauth::param::Param;
#[cfg(feature = "code")]
#[cfg_attr(docsrs, doc(cfg(feature = "code")))]
pub use oauth::pkce::{CodeChallenge, CodeVerifier};
pub use oauth::response::{
    AuthorizationResponse, ErrorResponse, TokenResponse, TokenType, parse_form_post,
    parse_fragment, parse_query,
};
pub use oauth::scope::{Scope, ScopeTokens};
#[cfg(feature = "code")]
#[cfg_attr(docsrs, doc(cfg(feature = "code")))]
pub use oauth::token::{
    ClientAuthMethod, IssuedTokens, TokenEndpointResponse, TokenErrorCode, TokenErrorResponse,
    TokenRequest, parse_token_response,
};
pub use oauth::value::{RawValue, SecretValue};
pub use secret::{AccessToken, IdToken};
#[cfg(feature = "code")]
#[cfg_attr(docsrs, doc(cfg(feature = "code")))]
pub use secret::{ClientSecret, RefreshToken};
pub use time::UnixTime;

/// The README's examples, run as doctests (the crate's own docs are `src/lib.md`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// A regression here fails `cargo build`, not only `cargo test`.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Transaction>();
    send_sync::<Record>();
    send_sync::<TransactionKey>();
    send_sync::<MemoryStore<4>>();
    send_sync::<Config<'static>>();
    send_sync::<OwnedConfig>();
    send_sync::<AuthorizationResponse<'static>>();
    send_sync::<Outcome<'static>>();
    send_sync::<Error>();
};
