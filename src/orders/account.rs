//! Which account bought an order: a keyed hash of the API key and the address it was used at
//! (HMAC-SHA-256 with a random secret kept in this computer's orders database), never the key.
//! Orders of another account, or bought through another address, are shown but never asked
//! about, cancelled or closed with the wrong key or at the wrong place: changing the address
//! ends nothing.

use hmac::{KeyInit, Mac};

use crate::api::ApiKey;

/// The account an API key at `api_url` is, as orders record it. At InstaOTP's own address it is
/// the key's alone (as orders bought before addresses were recorded have it).
pub fn account_of(secret: &[u8], key: &ApiKey, api_url: &str) -> String {
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes a key of any length; this arm is never taken.
        Err(_) => return String::new(),
    };
    mac.update(key.expose().as_bytes());
    let place = place_of(api_url);
    if place != place_of(crate::api::DEFAULT_API_URL) {
        mac.update(b"\n");
        mac.update(place.as_bytes());
    }
    let digest = mac.finalize().into_bytes();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Where an address points: scheme, host, port and path (a trailing `/` and letter case of the
/// host aside).
fn place_of(api_url: &str) -> String {
    match url::Url::parse(api_url.trim()) {
        Ok(url) => format!(
            "{}://{}:{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default(),
            url.path().trim_end_matches('/')
        ),
        Err(_) => api_url.trim().to_owned(),
    }
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
        let home = crate::api::DEFAULT_API_URL;
        let a = account_of(&secret, &ApiKey::new("key-a"), home);
        assert_eq!(a, account_of(&secret, &ApiKey::new("key-a"), home));
        assert_ne!(a, account_of(&secret, &ApiKey::new("key-b"), home));
        assert_ne!(
            a,
            account_of(&new_secret(), &ApiKey::new("key-a"), home),
            "keyed"
        );
        assert_eq!(a.len(), 32);
        assert!(!a.contains("key-a"));
    }

    /// Every row: an address → the same account as at InstaOTP's own address?
    #[test]
    fn another_address_is_another_account_and_instaotp_keeps_the_old_one() {
        let secret = new_secret();
        let key = ApiKey::new("key-a");
        let home = account_of(&secret, &key, crate::api::DEFAULT_API_URL);
        let rows = [
            ("https://instaotp.in/api/v1/handler_api.php", true),
            ("https://INSTAOTP.in:443/api/v1/handler_api.php/", true),
            ("https://instaotp.in/api/v2/handler_api.php", false),
            ("https://reseller.example/stubs/handler_api.php", false),
            ("http://127.0.0.1:4000/api/v1/handler_api.php", false),
        ];
        for (address, same) in rows {
            assert_eq!(
                account_of(&secret, &key, address) == home,
                same,
                "{address}"
            );
        }
        assert_ne!(
            account_of(&secret, &key, "http://127.0.0.1:4000/a"),
            account_of(&secret, &key, "http://127.0.0.1:4001/a")
        );
    }
}
