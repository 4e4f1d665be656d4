//! Secrets are wiped when their holder is dropped: the memory that held a `Record` (the
//! transaction's `state` and `nonce`) no longer holds them once the value is gone. The test
//! drops the value in place and reads back the bytes it occupied.
//!
//! `OwnedConfig` (a `login_hint`, an `id_token_hint`) wipes its text the same way, but its
//! bytes include padding and the unused part of its buffer: no sound read can inspect them,
//! so it has no such test. `MemoryStore`'s slots are checked in `src/host.rs`.

use core::mem::{ManuallyDrop, size_of};
use core::ptr;

use implicit_grant::Record;
use implicit_grant::limits::RECORD_LEN;

/// Drops `value` where it lies and returns the bytes it occupied afterwards.
///
/// # Safety
/// Every byte of `T` must be initialized while it lives (no padding), since they are read.
unsafe fn bytes_after_drop<T>(value: T) -> Vec<u8> {
    let mut slot = ManuallyDrop::new(value);
    // SAFETY: `slot` is dropped once and never used as a `T` again.
    unsafe { ManuallyDrop::drop(&mut slot) };
    let start = ptr::from_ref(&slot).cast::<u8>();
    // SAFETY: the storage of `slot` is still live (a local); the caller vouches that each
    // byte was initialized, and a drop only writes bytes.
    (0..size_of::<T>())
        .map(|i| unsafe { ptr::read_volatile(start.add(i)) })
        .collect()
}

#[test]
fn a_record_is_wiped_on_drop() {
    let mut bytes = [0u8; RECORD_LEN];
    bytes
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = 1 + (i % 250) as u8);
    let record = Record::from_bytes(bytes);
    assert_eq!(record.expose_secret(), &bytes);
    // SAFETY: a `Record` is a byte array.
    let after = unsafe { bytes_after_drop(record) };
    assert_eq!(after, vec![0u8; RECORD_LEN]);
}
