//! Layer 2: the capabilities a host provides: randomness, and storage of pending
//! transactions under keys derived from their `state`.

use core::fmt;
use core::time::Duration;

use crate::limits::RECORD_LEN;
use crate::time::UnixTime;

/// The random source failed; the flow aborts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RandomError;

/// The transaction store failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StorageError;

impl fmt::Display for RandomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("random source failed")
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("transaction storage failed")
    }
}

impl core::error::Error for RandomError {}
impl core::error::Error for StorageError {}

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

/// A [`Random`] from any cryptographically secure `rand_core` 0.10 generator (feature
/// `rand_core`): a seeded `ChaCha20Rng`, a hardware RNG driver, `rand::rngs::SysRng`…
///
/// Only generators marked [`rand_core::TryCryptoRng`] qualify: a fast statistical
/// generator would make `state` and `nonce` guessable (RFC 6749 §10.10).
///
/// ```
/// use chacha20::ChaCha20Rng;
/// use implicit_grant::{Random, RandCore};
/// use rand_core::SeedableRng;
/// // A seed from a real entropy source in production; fixed here to show the wiring.
/// let mut rng = RandCore(ChaCha20Rng::from_seed([7; 32]));
/// let mut bytes = [0u8; 32];
/// rng.fill_bytes(&mut bytes)?;
/// assert_ne!(bytes, [0; 32]);
/// # Ok::<(), implicit_grant::RandomError>(())
/// ```
///
/// Not `Clone`: two copies of a generator would draw the same `state` and `nonce`.
#[cfg(feature = "rand_core")]
#[cfg_attr(docsrs, doc(cfg(feature = "rand_core")))]
pub struct RandCore<R>(pub R);

#[cfg(feature = "rand_core")]
impl<R> fmt::Debug for RandCore<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A generator's state would predict its output.
        f.write_str("RandCore([redacted])")
    }
}

#[cfg(feature = "rand_core")]
impl<R: rand_core::TryCryptoRng> Random for RandCore<R> {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        self.0.try_fill_bytes(dest).map_err(|_| RandomError)
    }
}

/// The operating system's random source, through `getrandom` (feature `getrandom`): the
/// kernel's generator on Linux, Windows and macOS, `crypto.getRandomValues` on the web
/// (with getrandom's `wasm_js` backend), a custom source on bare-metal targets.
///
/// On a target without an OS (`thumbv7em-none-eabihf`…), build with
/// `RUSTFLAGS='--cfg getrandom_backend="custom"'` and define getrandom's
/// `__getrandom_v03_custom` function over the hardware RNG; on `wasm32-unknown-unknown` in
/// a browser, enable getrandom's `wasm_js` feature (it pulls in `wasm-bindgen` and
/// `js-sys`).
///
/// ```
/// use implicit_grant::{OsRandom, Random};
/// let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
/// OsRandom.fill_bytes(&mut a)?;
/// OsRandom.fill_bytes(&mut b)?;
/// assert_ne!(a, b);
/// # Ok::<(), implicit_grant::RandomError>(())
/// ```
#[cfg(feature = "getrandom")]
#[cfg_attr(docsrs, doc(cfg(feature = "getrandom")))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct OsRandom;

#[cfg(feature = "getrandom")]
impl Random for OsRandom {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(dest).map_err(|_| RandomError)
    }
}

/// The serialized pending transaction: opaque bytes for the host to keep (e.g. in
/// `sessionStorage`, base64-encoded). It holds `state` and `nonce`: `Debug` is redacted,
/// there is no `PartialEq` (a comparison would not be constant-time), and the bytes are
/// wiped on drop.
#[derive(Clone)]
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
    /// let r = implicit_grant::Record::from_bytes([0u8; implicit_grant::limits::RECORD_LEN]);
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

crate::secret::redacted_debug!(Record);

/// Length of a [`TransactionKey`]'s text: 16 bytes in base64url.
const KEY_CHARS: usize = 22;

/// The handle a pending transaction is stored under: 128 bits of SHA-256 over a
/// domain-separation label and the transaction's `state`, in base64url (22 characters).
///
/// `begin` saves under the key of the `state` it sends; `complete` takes the key of the
/// `state` that comes back. So each callback finds its own transaction and nothing else,
/// and many logins can be pending at once (several tabs, a silent renewal beside an
/// interactive login).
///
/// # Security
/// The key is not a secret: a store may look it up in a hash map, log it, or use it as a
/// `sessionStorage` name. It leaks nothing about the `state`:
/// - it is a one-way function of the `state` (256 random bits from `begin`): recovering a
///   `state` from its key is a SHA-256 preimage search;
/// - the label makes it a value no other protocol computes from the same `state`;
/// - an attacker who controls the returned `state` controls which key is looked up, and
///   timing can tell at most whether a key exists: that is knowledge of a key, which the
///   line above makes worthless for forging a `state`;
/// - the full `state` is still compared in constant time with the stored one after the
///   lookup, so even a key collision (2⁻¹²⁸ per pair) cannot pass a wrong `state`.
///
/// ```
/// use implicit_grant::TransactionKey;
/// let key = TransactionKey::for_state("af0ifjsldkj");
/// assert_eq!(key.as_str().len(), 22);
/// assert_eq!(key, TransactionKey::for_state("af0ifjsldkj"));
/// assert_ne!(key, TransactionKey::for_state("af0ifjsldkk"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionKey([u8; KEY_CHARS]);

impl TransactionKey {
    /// The label hashed before the `state`.
    const LABEL: &'static [u8] = b"implicit-grant transaction key v1";

    /// The key of the transaction whose `state` is `state` (as sent, not encoded).
    #[must_use]
    pub fn for_state(state: &str) -> Self {
        Self::for_state_bytes(state.as_bytes())
    }

    pub(crate) fn for_state_bytes(state: &[u8]) -> Self {
        let digest = crate::codec::digest::sha256_parts(&[Self::LABEL, state]);
        let mut text = [0u8; KEY_CHARS];
        let half = digest.get(..16).unwrap_or_default();
        // 16 bytes always encode to 22 characters.
        let _ = crate::codec::base64url::encode_into(half, &mut text);
        Self(text)
    }

    /// The key as text (base64url, 22 characters), e.g. for a storage item's name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for TransactionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TransactionKey")
            .field(&self.as_str())
            .finish()
    }
}

/// Storage for pending transactions, keyed by [`TransactionKey`].
///
/// `take` reads **and removes** the record stored under a key, so a `state` is checked at
/// most once: a second `take` finds nothing. A store holds as many transactions as it
/// likes; the issue time `save` is handed lets it prune old ones (the flow refuses a
/// transaction older than
/// [`Config::transaction_lifetime`](crate::Config::transaction_lifetime) anyway). The record
/// itself is opaque: a store never reads it. [`MemoryStore`] is a ready, bounded one.
///
/// # Security
/// A record holds the login's `state` and `nonce` (and, for a renewal, a hash of the
/// user). A store must delete a record when it is taken, evicted or overwritten, not only
/// mark it used, and should zero memory it owns (a [`Record`] zeroes its own bytes when
/// dropped; a copy the store made elsewhere, e.g. an encoded string, is the store's to
/// clear). A record is worth nothing without the matching `state` coming back, but a
/// leftover one lets whoever reads the storage replay a login begun there.
///
/// # Examples
/// A browser host keeps each record in `sessionStorage` under its key's text, and prunes
/// on `save` (the sketch below stands for that in Rust):
/// ```
/// use implicit_grant::{Record, StorageError, TransactionKey, TransactionStore, UnixTime};
/// use implicit_grant::limits::DEFAULT_TRANSACTION_LIFETIME;
/// use std::collections::HashMap;
/// #[derive(Default)]
/// struct Session(HashMap<String, (Record, UnixTime)>);
/// impl TransactionStore for Session {
///     fn save(&mut self, key: &TransactionKey, record: &Record, issued_at: UnixTime)
///         -> Result<(), StorageError>
///     {
///         let oldest_kept = issued_at.saturating_sub(DEFAULT_TRANSACTION_LIFETIME);
///         self.0.retain(|_, (_, at)| *at >= oldest_kept);
///         self.0.insert(format!("ig.tx.{}", key.as_str()), (record.clone(), issued_at));
///         Ok(())
///     }
///     fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
///         Ok(self.0.remove(&format!("ig.tx.{}", key.as_str())).map(|(record, _)| record))
///     }
/// }
/// ```
pub trait TransactionStore {
    /// Stores `record` under `key`, replacing a record stored under the same key;
    /// `issued_at` is when its login began (the `now` of `begin`), for pruning.
    ///
    /// # Errors
    /// [`StorageError`] if it cannot be stored; `begin` then fails.
    fn save(
        &mut self,
        key: &TransactionKey,
        record: &Record,
        issued_at: UnixTime,
    ) -> Result<(), StorageError>;

    /// Removes and returns the record stored under `key`, if any.
    ///
    /// # Errors
    /// [`StorageError`] if storage cannot be read; `complete` then fails.
    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError>;
}

impl<S: TransactionStore + ?Sized> TransactionStore for &mut S {
    fn save(
        &mut self,
        key: &TransactionKey,
        record: &Record,
        issued_at: UnixTime,
    ) -> Result<(), StorageError> {
        (**self).save(key, record, issued_at)
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        (**self).take(key)
    }
}

/// A [`TransactionStore`] in fixed memory for hosts without storage of their own
/// (firmware, tests, a WASM module's linear memory): up to `N` pending transactions.
///
/// When it is full, `save` makes room: first by dropping the transactions that have
/// expired (older than its lifetime, measured from the new record's issue time, since a
/// store has no clock), then, if none had, the oldest.
///
/// Every record lives in one fixed slot from `save` to `take`, and is never moved: a
/// record taken, evicted or overwritten is zeroed in its slot, with its key and issue time,
/// so no copy of a `state` or `nonce` stays in the store's memory. (A host store must do
/// the same: delete the item when it is taken, not only mark it used.)
///
/// # Security
/// Eviction means a login begun `N` logins ago can no longer complete
/// ([`FlowError::NoPendingTransaction`](crate::FlowError::NoPendingTransaction)): pick `N` for the number
/// of logins a user may have pending at once (tabs, silent renewals).
///
/// ```
/// use implicit_grant::*;
/// let config = Config::builder(
///     Issuer::new("https://op.example"),
///     AuthorizationEndpoint::new("https://op.example/authorize"),
///     ClientId::new("client"),
///     RedirectUri::new("https://app.example/cb"),
/// )
/// .response_type(ResponseType::Token)
/// .build()?;
/// let mut store = MemoryStore::<2>::new();
/// for (i, state) in ["state-one-0123456789abc", "state-two-0123456789abc", "state-three-123456789ab"]
///     .into_iter().enumerate()
/// {
///     let t = Transaction::new(&config, state, None, UnixTime::from_secs(1000 + i as u64))?;
///     store.save(&t.key(), &t.to_record(), t.issued_at())?;
/// }
/// assert_eq!(store.len(), 2); // the oldest made room
/// let first = implicit_grant::TransactionKey::for_state("state-one-0123456789abc");
/// assert!(store.take(&first)?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct MemoryStore<const N: usize> {
    slots: [Slot; N],
    lifetime: Duration,
}

/// How many logins are pending, out of how many slots; never the records.
impl<const N: usize> fmt::Debug for MemoryStore<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("pending", &self.len())
            .field("capacity", &N)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// A place for one record. A free slot is all zeros.
#[derive(Clone)]
struct Slot {
    key: TransactionKey,
    record: Record,
    issued_at: UnixTime,
    used: bool,
}

impl Slot {
    const FREE: Self = Self {
        key: TransactionKey([0; KEY_CHARS]),
        record: Record([0; RECORD_LEN]),
        issued_at: UnixTime::from_secs(0),
        used: false,
    };

    /// Zeroes the slot where it is: the record's bytes, its key and its issue time.
    fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.record.0);
        zeroize::Zeroize::zeroize(&mut self.key.0);
        self.issued_at = UnixTime::from_secs(0);
        self.used = false;
    }

    fn holds(&self, key: &TransactionKey) -> bool {
        self.used && self.key == *key
    }
}

impl<const N: usize> MemoryStore<N> {
    /// An empty store whose transactions expire after
    /// [`DEFAULT_TRANSACTION_LIFETIME`](crate::limits::DEFAULT_TRANSACTION_LIFETIME), the
    /// default [`Config::transaction_lifetime`](crate::Config::transaction_lifetime).
    #[must_use]
    pub const fn new() -> Self {
        Self::with_lifetime(crate::limits::DEFAULT_TRANSACTION_LIFETIME)
    }

    /// An empty store whose transactions expire after `lifetime` (use the
    /// configuration's [`transaction_lifetime`](crate::Config::transaction_lifetime)).
    ///
    /// ```
    /// use core::time::Duration;
    /// let store = implicit_grant::MemoryStore::<4>::with_lifetime(Duration::from_secs(300));
    /// assert!(store.is_empty());
    /// ```
    #[must_use]
    pub const fn with_lifetime(lifetime: Duration) -> Self {
        Self {
            slots: [const { Slot::FREE }; N],
            lifetime,
        }
    }

    /// How many transactions are pending.
    ///
    /// ```
    /// assert_eq!(implicit_grant::MemoryStore::<4>::new().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.used).count()
    }

    /// Whether no transaction is pending.
    ///
    /// ```
    /// assert!(implicit_grant::MemoryStore::<4>::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(|s| !s.used)
    }

    /// A free slot for a record issued at `now`: wipes the expired records if none is
    /// free, then the oldest. `None` only when `N` is 0.
    fn free_slot(&mut self, now: UnixTime) -> Option<&mut Slot> {
        if self.slots.iter().all(|s| s.used) {
            let oldest_kept = now.saturating_sub(self.lifetime);
            self.slots
                .iter_mut()
                .filter(|s| s.issued_at < oldest_kept)
                .for_each(Slot::wipe);
        }
        if self.slots.iter().all(|s| s.used)
            && let Some(oldest) = self.slots.iter_mut().min_by_key(|s| s.issued_at)
        {
            oldest.wipe();
        }
        self.slots.iter_mut().find(|s| !s.used)
    }
}

impl<const N: usize> Default for MemoryStore<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> TransactionStore for MemoryStore<N> {
    /// # Errors
    /// [`StorageError`] only when `N` is 0.
    fn save(
        &mut self,
        key: &TransactionKey,
        record: &Record,
        issued_at: UnixTime,
    ) -> Result<(), StorageError> {
        let slot = match self.slots.iter().position(|s| s.holds(key)) {
            Some(i) => self.slots.get_mut(i),
            None => self.free_slot(issued_at),
        }
        .ok_or(StorageError)?;
        slot.record.0.copy_from_slice(&record.0);
        slot.key = *key;
        slot.issued_at = issued_at;
        slot.used = true;
        Ok(())
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        let Some(slot) = self.slots.iter_mut().find(|s| s.holds(key)) else {
            return Ok(None);
        };
        let record = slot.record.clone();
        slot.wipe();
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [&str; 3] = [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1",
        "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2",
        "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC3",
    ];

    /// A record holding `state`, as a flow would write it.
    fn record(state: &str) -> Record {
        let mut bytes = [0u8; RECORD_LEN];
        bytes
            .iter_mut()
            .skip(4)
            .zip(state.bytes())
            .for_each(|(b, s)| *b = s);
        Record(bytes)
    }

    /// Whether any byte sequence the store keeps (records and keys, used slots or free)
    /// still holds `state` or its key.
    fn remembers<const N: usize>(store: &MemoryStore<N>, state: &str) -> bool {
        let key = TransactionKey::for_state(state);
        store.slots.iter().any(|s| {
            s.record
                .0
                .windows(state.len())
                .any(|w| w == state.as_bytes())
                || s.key == key
        })
    }

    fn free_slots_are_zero<const N: usize>(store: &MemoryStore<N>) -> bool {
        store.slots.iter().filter(|s| !s.used).all(|s| {
            s.record.0.iter().chain(&s.key.0).all(|&b| b == 0) && s.issued_at.as_secs() == 0
        })
    }

    fn save<const N: usize>(store: &mut MemoryStore<N>, state: &str, at: u64) {
        let key = TransactionKey::for_state(state);
        store
            .save(&key, &record(state), UnixTime::from_secs(at))
            .unwrap();
    }

    #[test]
    fn memory_store_zeroes_a_record_where_it_lay_when_taken() {
        let mut store = MemoryStore::<4>::new();
        save(&mut store, STATES[0], 1);
        save(&mut store, STATES[1], 2);
        // Taking the first record leaves the second where it is: nothing moves into the
        // vacated slot, and no copy of either stays behind.
        let taken = store.take(&TransactionKey::for_state(STATES[0])).unwrap();
        assert!(taken.is_some_and(|r| r.0.windows(43).any(|w| w == STATES[0].as_bytes())));
        assert!(!remembers(&store, STATES[0]));
        assert!(remembers(&store, STATES[1]));
        assert!(
            store
                .take(&TransactionKey::for_state(STATES[1]))
                .unwrap()
                .is_some()
        );
        assert!(!remembers(&store, STATES[1]));
        assert!(free_slots_are_zero(&store) && store.is_empty());
    }

    #[test]
    fn memory_store_zeroes_evicted_and_overwritten_records() {
        let mut store = MemoryStore::<2>::with_lifetime(Duration::from_secs(600));
        save(&mut store, STATES[0], 1_000);
        save(&mut store, STATES[1], 1_001);
        // Full: the oldest makes room, and is wiped.
        save(&mut store, STATES[2], 1_002);
        assert!(!remembers(&store, STATES[0]));
        assert!(remembers(&store, STATES[1]) && remembers(&store, STATES[2]));
        // Full again, long after: both expired records are wiped, not only the oldest.
        save(&mut store, STATES[0], 5_000);
        assert!(!remembers(&store, STATES[1]) && !remembers(&store, STATES[2]));
        assert_eq!(store.len(), 1);
        assert!(free_slots_are_zero(&store));
        // Saving under the same key again overwrites the record in its slot.
        let key = TransactionKey::for_state(STATES[0]);
        store
            .save(&key, &record(STATES[1]), UnixTime::from_secs(5_001))
            .unwrap();
        assert_eq!(store.len(), 1);
        assert!(
            !store
                .slots
                .iter()
                .any(|s| s.record.0.windows(43).any(|w| w == STATES[0].as_bytes()))
        );
    }

    #[test]
    fn a_memory_store_of_no_slots_refuses_to_save() {
        let mut store = MemoryStore::<0>::new();
        let key = TransactionKey::for_state(STATES[0]);
        let saved = store.save(&key, &record(STATES[0]), UnixTime::from_secs(1));
        assert_eq!(saved, Err(StorageError));
        assert!(store.take(&key).unwrap().is_none());
    }
}
