//! Which account bought an order: a keyed hash of the API key (HMAC-SHA-256 with a random secret
//! kept in this computer's orders database), never the key. Orders of another account are shown
//! but never asked about, cancelled or closed with the wrong key.

use hmac::{KeyInit, Mac};

use crate::api::ApiKey;

/// The account an API key belongs to, as orders record it.
pub fn account_of(secret: &[u8], key: &ApiKey) -> String {
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes a key of any length; this arm is never taken.
        Err(_) => return String::new(),
    };
    mac.update(key.expose().as_bytes());
    let digest = mac.finalize().into_bytes();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// 32 bytes from the operating system's randomness (through the standard library's hasher
/// keys, so no extra dependency is needed for a secret that only has to be unguessable).
pub fn new_secret() -> Vec<u8> {
    use std::hash::{BuildHasher, RandomState};
    (0u64..4)
        .flat_map(|i| RandomState::new().hash_one(i).to_le_bytes())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_is_the_same_account_and_the_key_is_not_in_it() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let a = account_of(&secret, &ApiKey::new("key-a"));
        assert_eq!(a, account_of(&secret, &ApiKey::new("key-a")));
        assert_ne!(a, account_of(&secret, &ApiKey::new("key-b")));
        assert_ne!(a, account_of(&new_secret(), &ApiKey::new("key-a")), "keyed");
        assert_eq!(a.len(), 32);
        assert!(!a.contains("key-a"));
    }
}
