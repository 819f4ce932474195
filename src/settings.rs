//! Preferences kept across restarts, in `settings.json` in the data folder. The API key is never
//! here: it lives in the keychain.

use std::collections::BTreeSet;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::api::{DEFAULT_API_URL, StatusEncoding};

pub const SETTINGS_FILE: &str = "settings.json";
pub const POLL_SECS_RANGE: std::ops::RangeInclusive<u32> = 3..=30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub api_url: String,
    pub status_encoding: StatusEncoding,
    pub poll_interval_secs: u32,
    pub notifications: bool,
    pub sound: bool,
    pub theme: Theme,
    /// 1.0 is egui's normal size.
    pub text_scale: f32,
    pub low_balance_threshold: Decimal,
    /// Copy a code to the clipboard as soon as it arrives.
    pub auto_copy_code: bool,
    /// The provider's rule: no cancel before this many seconds after purchase.
    pub cancel_lock_secs: u64,
    /// How long an order lives at the provider.
    pub order_lifetime_secs: u64,
    /// Cancel an order that got no SMS shortly before it expires, so the money comes back.
    pub auto_cancel: bool,
    /// How long before the expected expiry that cancel is sent.
    pub auto_cancel_minutes_before: u32,
    /// Offers pinned to the top of Services, by [`crate::offers::offer_key`].
    pub favourites: BTreeSet<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            api_url: DEFAULT_API_URL.to_owned(),
            status_encoding: StatusEncoding::default(),
            poll_interval_secs: 5,
            notifications: true,
            sound: false,
            theme: Theme::System,
            text_scale: 1.0,
            low_balance_threshold: Decimal::from(50),
            auto_copy_code: false,
            cancel_lock_secs: 120,
            order_lifetime_secs: 20 * 60,
            auto_cancel: false,
            auto_cancel_minutes_before: 2,
            favourites: BTreeSet::new(),
        }
    }
}

impl Settings {
    /// Reads the settings; a missing file gives the defaults, a damaged one the defaults and a
    /// message to show.
    pub fn load(dir: &Path) -> (Self, Option<String>) {
        let path = dir.join(SETTINGS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str::<Settings>(&text) {
                Ok(s) => (s.sanitized(), None),
                Err(e) => {
                    tracing::warn!("settings file unreadable: {e}");
                    (
                        Self::default(),
                        Some(
                            "Your saved settings could not be read, so the defaults are used."
                                .into(),
                        ),
                    )
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), None),
            Err(e) => {
                tracing::warn!("settings file not readable: {e}");
                (
                    Self::default(),
                    Some(format!(
                        "Your saved settings could not be opened ({e}), so the defaults are used."
                    )),
                )
            }
        }
    }

    /// Writes the settings atomically (a crash never leaves half a file).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!("{SETTINGS_FILE}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, dir.join(SETTINGS_FILE))
    }

    /// Values from a file edited by hand brought back into range.
    pub fn sanitized(mut self) -> Self {
        self.poll_interval_secs = self
            .poll_interval_secs
            .clamp(*POLL_SECS_RANGE.start(), *POLL_SECS_RANGE.end());
        if !self.text_scale.is_finite() {
            self.text_scale = 1.0;
        }
        self.text_scale = self.text_scale.clamp(0.75, 2.0);
        self.auto_cancel_minutes_before = self.auto_cancel_minutes_before.clamp(1, 15);
        self
    }
}

/// The settings' lengths of time in the milliseconds orders are measured in.
impl Settings {
    pub fn cancel_lock_ms(&self) -> i64 {
        secs_to_ms(self.cancel_lock_secs)
    }

    pub fn order_lifetime_ms(&self) -> i64 {
        secs_to_ms(self.order_lifetime_secs)
    }
}

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults_for_missing_fields() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings {
            poll_interval_secs: 7,
            favourites: ["1|22|wa".to_owned()].into(),
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), (s, None));

        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"poll_interval_secs": 99}"#,
        )
        .unwrap();
        let (loaded, warning) = Settings::load(dir.path());
        assert_eq!(loaded.poll_interval_secs, 30);
        assert_eq!(loaded.api_url, DEFAULT_API_URL);
        assert!(warning.is_none());

        std::fs::write(dir.path().join(SETTINGS_FILE), "{garbage").unwrap();
        let (loaded, warning) = Settings::load(dir.path());
        assert_eq!(loaded, Settings::default());
        assert!(warning.is_some());
    }
}
