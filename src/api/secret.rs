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

    /// `text` with every occurrence of the key replaced by [`MASK`]: as it is, form-encoded
    /// (`+` for a space), percent-encoded (`%20`) and with lower-case hex escapes. The one
    /// function every reply text, error text and URL goes through before it is kept or shown.
    pub fn mask(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        let mut masked = text.to_owned();
        for form in self.forms() {
            if masked.contains(&form) {
                masked = masked.replace(&form, MASK);
            }
        }
        masked
    }

    /// The spellings of the key a URL or an echo of one can carry, longest first.
    fn forms(&self) -> Vec<String> {
        let form: String = url::form_urlencoded::byte_serialize(self.0.as_bytes()).collect();
        let percent = form.replace('+', "%20");
        let mut forms = vec![
            self.0.clone(),
            form.clone(),
            percent.clone(),
            lower_hex(&form),
            lower_hex(&percent),
        ];
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms.dedup();
        forms
    }
}

/// `%2F` as `%2f`: some servers echo escapes in lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let escape: String = rest[i..].chars().take(3).collect();
        out.push_str(&escape.to_lowercase());
        rest = &rest[i + escape.len()..];
    }
    out.push_str(rest);
    out
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

    #[test]
    fn mask_replaces_percent_and_lower_case_escapes() {
        let key = ApiKey::new("k/ey x");
        for echoed in ["k%2Fey%20x", "k%2fey+x", "k%2fey%20x", "k%2Fey+x"] {
            let masked = key.mask(&format!("GET /?api_key={echoed}&action=x"));
            assert_eq!(masked, format!("GET /?api_key={MASK}&action=x"), "{echoed}");
        }
    }
}
