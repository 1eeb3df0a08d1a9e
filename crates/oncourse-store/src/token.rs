//! Random secrets (ids, API tokens, session tokens) and their stored hashes.
//!
//! Tokens are 256 random bits, so a fast hash (SHA-256) is enough to store them: unlike a
//! password there is nothing to guess, and a fast hash lets every request look its token up by
//! hash. Passwords, which people choose, get argon2 (see `accounts`).

use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the thread's CSPRNG (ChaCha, seeded by the OS), as lower-case hex.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    hex(&buffer)
}

/// The stored form of a token: SHA-256, lower-case hex.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hash_is_sha256() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn random_hex_has_the_asked_length_and_differs() {
        let a = random_hex(16);
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex(16));
    }
}
