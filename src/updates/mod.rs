//! Knowing that a newer version exists: a small release feed (JSON), signed with an Ed25519 key
//! in minisign's format and checked against the public key built into the app. A feed whose
//! signature does not match is ignored (and logged), never believed. Nothing of the person's is
//! sent: no key, no order, no identifier, only the version and platform in the User-Agent.
//!
//! This module knows no window: the app asks it to `check`, and shows what it answers.

pub mod download;
pub mod pending;

use std::time::Duration;

use serde::Deserialize;

/// Where the feed is and the key it is signed with: set when a release is built
/// (`INSTAOTP_UPDATE_FEED`, `INSTAOTP_UPDATE_KEY`), or by tests. A build without them never
/// checks, and Settings says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateSource {
    /// The feed's address; its signature is at the same address with `.minisig` added.
    pub feed_url: Option<String>,
    /// The minisign public key (base64, as `minisign -G` prints it).
    pub public_key: Option<String>,
}

impl UpdateSource {
    /// What this build was given when it was built.
    pub fn built_in() -> Self {
        Self {
            feed_url: option_env!("INSTAOTP_UPDATE_FEED").map(str::to_owned),
            public_key: option_env!("INSTAOTP_UPDATE_KEY").map(str::to_owned),
        }
    }

    /// Both the address and the key are there.
    pub fn is_set(&self) -> bool {
        self.feed_url.is_some() && self.public_key.is_some()
    }
}

/// The platform this build's feed entry is for.
pub const PLATFORM: &str = if cfg!(windows) {
    "windows-x64"
} else if cfg!(target_os = "macos") {
    "macos"
} else {
    "linux-deb"
};

/// The feed, as the release script writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Feed {
    pub version: String,
    #[serde(default)]
    pub date: String,
    /// What changed, in staff words.
    #[serde(default)]
    pub notes: String,
    /// The page where a person downloads it by hand (Linux, or when updating in place fails).
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub platforms: Vec<PlatformEntry>,
}

/// One installer of a release.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlatformEntry {
    pub platform: String,
    pub url: String,
    pub size: u64,
    pub sha256: String,
}

/// A newer version than this one, for this platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub version: String,
    pub notes: String,
    pub page: String,
    pub installer: Option<PlatformEntry>,
}

/// Why a check found nothing to offer (each is logged; none is shown as an alarm).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("this build has no update address")]
    NotConfigured,
    #[error("the update feed could not be reached: {0}")]
    Unreachable(String),
    #[error("the update feed's signature does not match: ignored")]
    BadSignature,
    #[error("the update feed is not one the app can read")]
    NotAFeed,
    /// The download stopped before the whole file came (it goes on from there next time).
    #[error("the download stopped at {got} of {want} bytes")]
    Incomplete { got: u64, want: u64 },
    /// The file is not the one the signed feed describes (size or SHA-256): deleted, never run.
    #[error("the downloaded file does not match the release: deleted")]
    WrongFile,
    #[error("the download could not be kept on disk: {0}")]
    Disk(String),
}

/// The feed, once its signature checked out with `public_key`.
pub fn verify(feed: &[u8], signature: &str, public_key: &str) -> Result<Feed, UpdateError> {
    let key = minisign_verify::PublicKey::from_base64(public_key.trim())
        .map_err(|_| UpdateError::BadSignature)?;
    let signature =
        minisign_verify::Signature::decode(signature).map_err(|_| UpdateError::BadSignature)?;
    key.verify(feed, &signature, false)
        .map_err(|_| UpdateError::BadSignature)?;
    serde_json::from_slice(feed).map_err(|_| UpdateError::NotAFeed)
}

/// A version as numbers (`1.4.0` → [1, 4, 0]); `None` when it is not one.
fn numbers(version: &str) -> Option<Vec<u64>> {
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .map(|part| part.parse::<u64>().ok())
        .collect()
}

/// What to offer from a verified `feed` to a copy at `current` on `platform`: a newer version
/// only (an older or equal one, or one that is not a version, offers nothing).
pub fn offer(feed: &Feed, current: &str, platform: &str) -> Option<Release> {
    let (new, now) = (numbers(&feed.version)?, numbers(current)?);
    if new <= now {
        return None;
    }
    Some(Release {
        version: feed.version.trim().to_owned(),
        notes: feed.notes.clone(),
        page: feed.page.clone(),
        installer: feed
            .platforms
            .iter()
            .find(|p| p.platform == platform)
            .cloned(),
    })
}

/// Feeds are small: a longer reply is not one.
const MAX_FEED_BYTES: usize = 64 * 1024;

/// Reads the feed and its signature from `source` and says whether a newer version than
/// `current` exists for this platform.
pub async fn check(source: &UpdateSource, current: &str) -> Result<Option<Release>, UpdateError> {
    let (Some(url), Some(key)) = (&source.feed_url, &source.public_key) else {
        return Err(UpdateError::NotConfigured);
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .user_agent(format!("InstaOTP-Desktop/{current} ({PLATFORM})"))
        .referer(false)
        .build()
        .map_err(|e| UpdateError::Unreachable(e.without_url().to_string()))?;
    let feed = fetch(&http, url).await?;
    let signature = fetch(&http, &format!("{url}.minisig")).await?;
    let signature = String::from_utf8(signature).map_err(|_| UpdateError::BadSignature)?;
    let feed = verify(&feed, &signature, key)?;
    Ok(offer(&feed, current, PLATFORM))
}

async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, UpdateError> {
    let reply = http
        .get(url)
        .send()
        .await
        .map_err(|e| UpdateError::Unreachable(e.without_url().to_string()))?;
    if !reply.status().is_success() {
        return Err(UpdateError::Unreachable(format!(
            "HTTP {}",
            reply.status().as_u16()
        )));
    }
    let body = reply
        .bytes()
        .await
        .map_err(|e| UpdateError::Unreachable(e.without_url().to_string()))?;
    if body.len() > MAX_FEED_BYTES {
        return Err(UpdateError::NotAFeed);
    }
    Ok(body.to_vec())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn feed(version: &str) -> Feed {
        Feed {
            version: version.into(),
            date: "2026-12-06".into(),
            notes: "Faster codes.".into(),
            page: "https://example.invalid/download".into(),
            platforms: vec![PlatformEntry {
                platform: "linux-deb".into(),
                url: "https://example.invalid/a.deb".into(),
                size: 10,
                sha256: "00".into(),
            }],
        }
    }

    /// (feed version, this copy's version) → the version offered.
    #[test]
    fn only_a_newer_version_is_offered() {
        let rows = [
            ("1.4.0", "1.3.9", Some("1.4.0")),
            ("1.10.0", "1.9.0", Some("1.10.0")),
            ("v2.0.0", "1.9.9", Some("v2.0.0")),
            ("1.4.0", "1.4.0", None),
            ("1.3.0", "1.4.0", None),
            ("banana", "1.4.0", None),
            ("1.4.0", "dev", None),
        ];
        for (new, current, want) in rows {
            let got = offer(&feed(new), current, "linux-deb");
            assert_eq!(
                got.as_ref().map(|r| r.version.as_str()),
                want,
                "{new} over {current}"
            );
        }
        let release = offer(&feed("9.0.0"), "1.0.0", "linux-deb").unwrap();
        assert_eq!(
            release.installer.unwrap().url,
            "https://example.invalid/a.deb"
        );
        assert!(
            offer(&feed("9.0.0"), "1.0.0", "windows-x64")
                .unwrap()
                .installer
                .is_none()
        );
    }

    #[test]
    fn an_unsigned_or_wrongly_signed_feed_is_never_read() {
        let body = br#"{"version":"9.9.9"}"#;
        // Not a signature at all, and a key that is not one.
        assert_eq!(
            verify(
                body,
                "garbage",
                "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
            ),
            Err(UpdateError::BadSignature)
        );
        assert_eq!(
            verify(body, "garbage", "not a key"),
            Err(UpdateError::BadSignature)
        );
    }
}
