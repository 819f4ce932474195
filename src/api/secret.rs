//! The API key, kept out of every `Debug` output, log line and error text.

use std::fmt;

/// The account's API key. It travels in the request URL, so every text that could contain a URL is
/// passed through [`ApiKey::mask`] before it is shown or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// What stands in for the key wherever it would otherwise appear.
pub const MASK: &str = "••••";

impl ApiKey {
    /// Wraps a key as pasted by the user; surrounding white space is dropped.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into().trim().to_owned())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key itself, for the one place that needs it: the request's query string.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key (plain or URL-encoded) replaced by [`MASK`].
    pub fn mask(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        let encoded: String = url::form_urlencoded::byte_serialize(self.0.as_bytes()).collect();
        let masked = text.replace(&self.0, MASK);
        if encoded != self.0 {
            masked.replace(&encoded, MASK)
        } else {
            masked
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({MASK})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("  s3cr3t-key  ");
        assert_eq!(key.expose(), "s3cr3t-key");
        assert!(!format!("{key:?}").contains("s3cr3t"));
    }

    #[test]
    fn mask_replaces_plain_and_encoded_forms() {
        let key = ApiKey::new("a b&c");
        let text = "GET /x?api_key=a+b%26c&action=getBalance and a b&c";
        let masked = key.mask(text);
        assert!(!masked.contains("a+b%26c"));
        assert!(!masked.contains("a b&c"));
        assert_eq!(masked.matches(MASK).count(), 2);
    }
}
