//! Layer 2: the capabilities a host provides: randomness and storage of one pending record.

use core::fmt;

/// Length of a stored transaction record, in bytes.
pub const RECORD_LEN: usize = 215;

/// The random source failed; the flow aborts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RandomError;

/// The transaction store failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StorageError;

/// A cryptographically secure random source (the browser's `crypto.getRandomValues`, a
/// hardware RNG, `getrandom`…).
///
/// ```
/// use implicit_grant::{Random, RandomError};
/// struct Fixed(u8);
/// impl Random for Fixed {
///     fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
///         dest.fill(self.0); // for tests only: never a fixed value in production
///         Ok(())
///     }
/// }
/// ```
pub trait Random {
    /// Fills all of `dest` with CSPRNG output.
    ///
    /// # Errors
    /// [`RandomError`] if no secure randomness is available; the flow aborts.
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError>;
}

impl<R: Random + ?Sized> Random for &mut R {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        (**self).fill_bytes(dest)
    }
}

/// The serialized pending transaction: opaque bytes for the host to keep (e.g. in
/// `sessionStorage`, base64-encoded). It holds `state` and `nonce`: `Debug` is redacted and
/// the bytes are wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Record(pub(crate) [u8; RECORD_LEN]);

impl Record {
    /// The record's bytes, to store.
    ///
    /// # Security
    /// They hold the transaction's `state` and `nonce`.
    #[must_use]
    pub const fn expose_secret(&self) -> &[u8; RECORD_LEN] {
        &self.0
    }

    /// A record read back from storage. It is checked when the flow uses it.
    ///
    /// ```
    /// let r = implicit_grant::Record::from_bytes([0u8; implicit_grant::RECORD_LEN]);
    /// assert_eq!(format!("{r:?}"), "Record([redacted])");
    /// ```
    #[must_use]
    pub const fn from_bytes(bytes: [u8; RECORD_LEN]) -> Self {
        Self(bytes)
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Record([redacted])")
    }
}

/// Storage for the one pending transaction of a browser session.
///
/// `take` reads **and removes** the record, so a `state` is checked at most once: a second
/// `take` finds nothing. The crate compares the record itself; the store is never asked to
/// look a record up by `state` (a hash map keyed by a secret leaks timing).
///
/// ```
/// use implicit_grant::{Record, StorageError, TransactionStore};
/// #[derive(Default)]
/// struct Memory(Option<Record>);
/// impl TransactionStore for Memory {
///     fn save(&mut self, record: &Record) -> Result<(), StorageError> {
///         self.0 = Some(record.clone());
///         Ok(())
///     }
///     fn take(&mut self) -> Result<Option<Record>, StorageError> {
///         Ok(self.0.take())
///     }
/// }
/// ```
pub trait TransactionStore {
    /// Stores `record`, replacing any pending one.
    ///
    /// # Errors
    /// [`StorageError`] if it cannot be stored; `begin` then fails.
    fn save(&mut self, record: &Record) -> Result<(), StorageError>;

    /// Removes and returns the pending record, if any.
    ///
    /// # Errors
    /// [`StorageError`] if storage cannot be read; `complete` then fails.
    fn take(&mut self) -> Result<Option<Record>, StorageError>;
}

impl<S: TransactionStore + ?Sized> TransactionStore for &mut S {
    fn save(&mut self, record: &Record) -> Result<(), StorageError> {
        (**self).save(record)
    }

    fn take(&mut self) -> Result<Option<Record>, StorageError> {
        (**self).take()
    }
}
