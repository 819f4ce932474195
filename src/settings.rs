//! Preferences kept across restarts, in `settings.json` in the data folder. The API key is never
//! here: it lives in the keychain.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

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
    /// Finish an order this many minutes after its code arrived (off when `None`).
    pub auto_finish_minutes: Option<u32>,
    /// Shown with prices and the balance when InstaOTP sends no currency of its own.
    pub currency: String,
    /// Replace-if-no-code: how long a number may wait for its code before it is cancelled and
    /// replaced, as the buy confirmation first offers it (the last one chosen).
    pub replace_wait_secs: u64,
    /// Only this computer buys with the key (no other desk, not the website). Off by default:
    /// then no balance drop is taken as evidence of this desk's purchase or as its charge, and
    /// no open order of the account is taken as this desk's without the person saying so.
    pub key_only_here: bool,
    /// The Orders tab shows each open number on one line instead of a card.
    pub compact_orders: bool,
    /// Never pay more than this for one number (no ceiling when `None`): dearer offers are
    /// marked, and no purchase, replacement or "buy instead" is sent above it.
    pub max_price: Option<Decimal>,
    /// A ceiling for one service (by its code), set from the purchase confirmation: it wins over
    /// `max_price` for that service.
    pub max_price_by_service: std::collections::BTreeMap<String, Decimal>,
    /// Look for a newer version at start and once a day (only the version and platform are sent).
    pub auto_update_check: bool,
    /// Providers of the same protocol besides InstaOTP (their keys are in the keychain).
    pub providers: Vec<ProviderEntry>,
}

/// A provider of the same protocol besides InstaOTP: what is kept of it in the settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderEntry {
    /// Names its keychain entry and its orders database; never changes once added.
    pub id: String,
    /// What staff called it ("Backup account").
    pub name: String,
    pub api_url: String,
}

/// At most this many providers besides InstaOTP.
pub const MAX_PROVIDERS: usize = 4;
pub const PROVIDER_NAME_MAX_CHARS: usize = 40;

/// An id for a new provider of this name: its letters and digits, made unique among `taken`.
pub fn provider_id(name: &str, taken: &[ProviderEntry]) -> String {
    let base: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(16)
        .collect();
    let base = if base.is_empty() {
        "provider".to_owned()
    } else {
        base
    };
    let free = |id: &str| !taken.iter().any(|p| p.id == id);
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|id| free(id))
        .unwrap_or(base)
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
            auto_finish_minutes: None,
            currency: DEFAULT_CURRENCY.to_owned(),
            replace_wait_secs: 5 * 60,
            key_only_here: false,
            compact_orders: false,
            max_price: None,
            max_price_by_service: std::collections::BTreeMap::new(),
            auto_update_check: true,
            providers: Vec::new(),
        }
    }
}

/// How amounts are labelled is `text`'s: the same limits here.
pub use crate::text::{CURRENCY_MAX_CHARS, DEFAULT_CURRENCY};

/// Hand-edited values are brought into these ranges on load, so no later arithmetic overflows.
const CANCEL_LOCK_SECS_RANGE: std::ops::RangeInclusive<u64> = 0..=24 * 60 * 60;
/// Replace-if-no-code waits at least a second (tests) and at most an hour.
pub const REPLACE_WAIT_SECS_RANGE: std::ops::RangeInclusive<u64> = 1..=60 * 60;
const LIFETIME_SECS_RANGE: std::ops::RangeInclusive<u64> = 1..=7 * 24 * 60 * 60;
/// From 80 % to 160 %: every screen is checked at both ends (tests/layout.rs).
pub const TEXT_SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.8..=1.6;
const API_URL_MAX_CHARS: usize = 2048;

impl Settings {
    /// Reads the settings; a missing file gives the defaults. A damaged one is renamed aside with
    /// the date (so the message is given once, not at every start), and the defaults are used.
    pub fn load(dir: &Path) -> (Self, Option<SettingsWarning>) {
        let path = dir.join(SETTINGS_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<Settings>(&bytes) {
                Ok(s) => {
                    let clean = s.clone().sanitized();
                    if clean.api_url != s.api_url {
                        // A key an older version kept inside the address leaves the file now.
                        if let Err(e) = clean.save(dir) {
                            tracing::warn!("settings file not rewritten: {}", e.kind());
                        }
                    }
                    (clean, None)
                }
                Err(e) => {
                    tracing::warn!("settings file unreadable: {e}");
                    (
                        Self::default(),
                        Some(SettingsWarning::Unreadable {
                            kept_as: set_aside(&path),
                        }),
                    )
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), None),
            Err(e) => {
                tracing::warn!("settings file not readable: {e}");
                (Self::default(), Some(SettingsWarning::NotOpened(e.kind())))
            }
        }
    }

    /// Writes the settings: one writer per folder at a time, to a temp file of its own, synced,
    /// then renamed over the old file (a crash never leaves half a file). Saves that queue up
    /// behind a write become one write of the newest value.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        self.save_latest(dir).map(|_| ())
    }

    /// As [`Settings::save`], telling whether this call wrote or a later value was written for it.
    pub fn save_latest(&self, dir: &Path) -> std::io::Result<Saved> {
        self.save_as_of(dir, Self::save_ticket(dir))
    }

    /// A place in the order of saves to `dir`, taken where the change is made (the UI thread), so
    /// that saves run out of order in the background never write an older value over a newer one.
    pub fn save_ticket(dir: &Path) -> u64 {
        save_slot(dir).tickets.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// As [`Settings::save_latest`], in the place `ticket` ([`Settings::save_ticket`]) gives it.
    pub fn save_as_of(&self, dir: &Path, ticket: u64) -> std::io::Result<Saved> {
        let slot = save_slot(dir);
        {
            let mut state = lock(&slot.state);
            let newer_waiting = state.pending.as_ref().is_some_and(|(t, _)| *t > ticket);
            if ticket <= state.written || newer_waiting {
                return Ok(Saved::Superseded);
            }
            state.pending = Some((ticket, self.clone()));
        }
        let _writer = lock(&slot.writer);
        // Whoever holds the writer lock writes the newest value; the values it replaced are gone.
        // A value that waited for the lock while a newer one was being written is older than
        // what is on disk now: it is dropped, never written over it.
        let (ticket, latest) = {
            let mut state = lock(&slot.state);
            match state.pending.take() {
                Some((ticket, latest)) if ticket > state.written => (ticket, latest),
                _ => return Ok(Saved::Superseded),
            }
        };
        write_atomically(dir, &latest)?;
        let mut state = lock(&slot.state);
        state.written = state.written.max(ticket);
        Ok(Saved::Written)
    }

    /// Values from a file edited by hand brought back into range.
    pub fn sanitized(mut self) -> Self {
        self.poll_interval_secs = self
            .poll_interval_secs
            .clamp(*POLL_SECS_RANGE.start(), *POLL_SECS_RANGE.end());
        if !self.text_scale.is_finite() {
            self.text_scale = 1.0;
        }
        self.text_scale = self
            .text_scale
            .clamp(*TEXT_SCALE_RANGE.start(), *TEXT_SCALE_RANGE.end());
        self.auto_cancel_minutes_before = self.auto_cancel_minutes_before.clamp(1, 15);
        self.auto_finish_minutes = self.auto_finish_minutes.map(|m| m.clamp(1, 60));
        self.cancel_lock_secs = self.cancel_lock_secs.clamp(
            *CANCEL_LOCK_SECS_RANGE.start(),
            *CANCEL_LOCK_SECS_RANGE.end(),
        );
        self.order_lifetime_secs = self
            .order_lifetime_secs
            .clamp(*LIFETIME_SECS_RANGE.start(), *LIFETIME_SECS_RANGE.end());
        let unusual = |m: &Decimal| !crate::api::amount::is_usual(*m) || m.is_sign_negative();
        if self.max_price.as_ref().is_some_and(unusual) {
            self.max_price = None;
        }
        self.max_price_by_service.retain(|_, m| !unusual(m));
        if !crate::api::amount::is_usual(self.low_balance_threshold) {
            self.low_balance_threshold = Settings::default().low_balance_threshold;
        }
        self.replace_wait_secs = self.replace_wait_secs.clamp(
            *REPLACE_WAIT_SECS_RANGE.start(),
            *REPLACE_WAIT_SECS_RANGE.end(),
        );
        let currency = self.currency.trim();
        if currency.is_empty() || currency.chars().count() > CURRENCY_MAX_CHARS {
            self.currency = DEFAULT_CURRENCY.to_owned();
        }
        if self.api_url.chars().nth(API_URL_MAX_CHARS).is_some() {
            self.api_url = DEFAULT_API_URL.to_owned();
        }
        self.api_url = without_extras(&self.api_url);
        self.providers = sanitized_providers(std::mem::take(&mut self.providers));
        self
    }
}

/// Hand-edited providers: an id only of letters and digits, each id once, a name of usual
/// length, an address without what may carry a key, and no more than [`MAX_PROVIDERS`].
fn sanitized_providers(providers: Vec<ProviderEntry>) -> Vec<ProviderEntry> {
    let mut kept: Vec<ProviderEntry> = Vec::new();
    for mut p in providers {
        let id_ok =
            !p.id.is_empty() && p.id.len() <= 20 && p.id.chars().all(|c| c.is_ascii_alphanumeric());
        if !id_ok || kept.iter().any(|k| k.id == p.id) || kept.len() >= MAX_PROVIDERS {
            continue;
        }
        p.name = p
            .name
            .trim()
            .chars()
            .take(PROVIDER_NAME_MAX_CHARS)
            .collect();
        if p.name.is_empty() || p.api_url.chars().nth(API_URL_MAX_CHARS).is_some() {
            continue;
        }
        p.api_url = without_extras(&p.api_url);
        kept.push(p);
    }
    kept
}

/// An API address with what may carry a key removed: the part after `?` or `#`, and the address
/// itself when it has a user name or password (an older version saved it as typed).
fn without_extras(api_url: &str) -> String {
    let base = api_url.split(['?', '#']).next().unwrap_or_default().trim();
    match url::Url::parse(base) {
        Ok(url) if url.username().is_empty() && url.password().is_none() => base.to_owned(),
        Ok(_) => DEFAULT_API_URL.to_owned(),
        // Not an address at all: kept, so Settings can show it and say so.
        Err(_) => base.to_owned(),
    }
}

/// The settings' lengths of time in the milliseconds orders are measured in.
impl Settings {
    pub fn cancel_lock_ms(&self) -> i64 {
        secs_to_ms(self.cancel_lock_secs)
    }

    /// The price ceiling for one number of `service`: its own where set, else the overall one.
    pub fn ceiling_for(&self, service: &str) -> Option<Decimal> {
        self.max_price_by_service
            .get(service)
            .copied()
            .or(self.max_price)
    }

    /// Sets (or, with `None`, removes) the ceiling of one service.
    pub fn set_service_ceiling(&mut self, service: String, ceiling: Option<Decimal>) {
        match ceiling {
            Some(max) => {
                self.max_price_by_service.insert(service, max);
            }
            None => {
                self.max_price_by_service.remove(&service);
            }
        }
    }

    /// Whether `offer` is above the price ceiling of its service.
    pub fn above_ceiling(&self, offer: &crate::api::Offer) -> bool {
        self.ceiling_for(&offer.service_code)
            .is_some_and(|max| offer.price > max)
    }

    pub fn order_lifetime_ms(&self) -> i64 {
        secs_to_ms(self.order_lifetime_secs)
    }
}

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000)
}

/// What [`Settings::save_latest`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Written,
    /// A newer value was waiting; another call wrote it (or is writing it now).
    Superseded,
}

/// The newest settings waiting to be written to one folder, and the lock of its one writer.
#[derive(Default)]
struct SaveSlot {
    state: Mutex<SlotState>,
    writer: Mutex<()>,
    tickets: AtomicU64,
}

#[derive(Default)]
struct SlotState {
    /// The newest value waiting, with its ticket.
    pending: Option<(u64, Settings)>,
    /// The ticket of the newest value written.
    written: u64,
}

fn save_slot(dir: &Path) -> Arc<SaveSlot> {
    static SLOTS: LazyLock<Mutex<HashMap<PathBuf, Arc<SaveSlot>>>> =
        LazyLock::new(Default::default);
    lock(&SLOTS).entry(dir.to_path_buf()).or_default().clone()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn write_atomically(dir: &Path, settings: &Settings) -> std::io::Result<()> {
    crate::private_files::create_dir(dir)?;
    let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
    // Unique per process and call: two writers (two app windows) never share a temp file.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{SETTINGS_FILE}.{}.{n}.tmp", std::process::id()));
    let written = (|| {
        let mut file = crate::private_files::file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, dir.join(SETTINGS_FILE))
    })();
    if written.is_err() {
        let _cleaned = std::fs::remove_file(&tmp);
    }
    written?;
    // The rename itself reaches the disk with the folder (not possible to open on Windows).
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(dir) {
        let _synced = folder.sync_all();
    }
    Ok(())
}

/// Moves an unreadable settings file aside as `settings-unreadable-<date>.json`; where it went,
/// when it could be moved.
fn set_aside(path: &Path) -> Option<PathBuf> {
    let stamp = jiff::Zoned::now().strftime("%Y-%m-%d-%H%M%S").to_string();
    let aside = path.with_file_name(format!("settings-unreadable-{stamp}.json"));
    match std::fs::rename(path, &aside) {
        Ok(()) => Some(aside),
        Err(e) => {
            tracing::warn!("could not set the unreadable settings aside: {e}");
            None
        }
    }
}

/// Why the saved settings were not used; the person is told once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsWarning {
    /// The file could not be read as settings; it was kept under another name, if it could be.
    Unreadable { kept_as: Option<PathBuf> },
    /// The file could not be opened.
    NotOpened(std::io::ErrorKind),
}

#[cfg(test)]
mod tests {
    fn provider(id: &str, name: &str, url: &str) -> super::ProviderEntry {
        super::ProviderEntry {
            id: id.into(),
            name: name.into(),
            api_url: url.into(),
        }
    }

    #[test]
    fn a_new_provider_gets_an_id_of_its_letters_unique_among_the_others() {
        let taken = [
            provider("backup", "Backup", "https://a"),
            provider("backup2", "x", "https://b"),
        ];
        // (name, id)
        let table = [
            ("Backup", "backup3"),
            ("Other SMS Co.", "othersmsco"),
            ("  ", "provider"),
            ("बैकअप", "provider"),
            ("A very long provider name indeed", "averylongprovide"),
        ];
        for (name, id) in table {
            assert_eq!(super::provider_id(name, &taken), id, "{name:?}");
        }
        assert_eq!(super::provider_id("Backup", &[]), "backup");
    }

    #[test]
    fn hand_edited_providers_are_kept_only_when_usable() {
        let s = Settings {
            providers: vec![
                provider(
                    "backup",
                    "  Backup ",
                    "https://sms.example/api?api_key=SECRET",
                ),
                provider("backup", "Again", "https://c"),
                provider("../x", "Bad id", "https://d"),
                provider("empty", "   ", "https://e"),
                provider("b", "B", "https://b"),
                provider("c", "C", "https://c"),
                provider("d", "D", "https://d"),
                provider("e", "E", "https://e"),
            ],
            ..Settings::default()
        };
        let s = s.sanitized();
        let ids: Vec<&str> = s.providers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["backup", "b", "c", "d"], "each id once, at most four");
        assert_eq!(s.providers[0].name, "Backup");
        assert!(
            !s.providers[0].api_url.contains("SECRET"),
            "{}",
            s.providers[0].api_url
        );
    }

    #[test]
    fn a_service_limit_wins_over_the_overall_one_for_that_service_only() {
        let mut s = Settings::default();
        let d = |p: i64| rust_decimal::Decimal::new(p, 2);
        assert_eq!(s.ceiling_for("wa"), None, "no limit by default");
        s.max_price = Some(d(2000));
        s.max_price_by_service.insert("wa".into(), d(1200));
        // (service, its ceiling)
        for (service, want) in [("wa", Some(d(1200))), ("tg", Some(d(2000)))] {
            assert_eq!(s.ceiling_for(service), want, "{service}");
        }
        s.max_price = None;
        assert_eq!(s.ceiling_for("tg"), None);
        // A hand-edited file with a negative or absurd limit loses it.
        s.max_price_by_service.insert("vk".into(), d(-100));
        s.max_price = Some(rust_decimal::Decimal::MAX);
        let s = s.sanitized();
        assert_eq!(s.ceiling_for("vk"), None);
        assert_eq!(s.max_price, None);
        assert_eq!(s.ceiling_for("wa"), Some(d(1200)));
    }

    use super::*;

    #[test]
    fn a_key_kept_inside_the_address_by_an_older_version_leaves_the_file_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(SETTINGS_FILE);
        let rows = [
            (
                "https://instaotp.in/api/v1/handler_api.php?api_key=SECRET",
                "https://instaotp.in/api/v1/handler_api.php",
            ),
            (
                "https://instaotp.in/api/v1/handler_api.php#SECRET",
                "https://instaotp.in/api/v1/handler_api.php",
            ),
            (
                "https://SECRET@reseller.example/stubs/handler_api.php",
                DEFAULT_API_URL,
            ),
            (
                "http://127.0.0.1:9/handler_api.php",
                "http://127.0.0.1:9/handler_api.php",
            ),
        ];
        for (saved, loaded) in rows {
            let old = Settings {
                api_url: saved.to_owned(),
                ..Settings::default()
            };
            std::fs::write(&file, serde_json::to_vec(&old).unwrap()).unwrap();
            let (s, warning) = Settings::load(dir.path());
            assert_eq!(warning, None);
            assert_eq!(s.api_url, loaded, "{saved}");
            let on_disk = std::fs::read_to_string(&file).unwrap();
            assert!(!on_disk.contains("SECRET"), "{saved}: {on_disk}");
        }
    }

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

    /// Saves that start out of order (two background threads) still leave the newest value.
    #[test]
    fn a_save_that_runs_late_never_writes_an_older_value() {
        let dir = tempfile::tempdir().unwrap();
        let value = |secs| Settings {
            poll_interval_secs: secs,
            ..Settings::default()
        };
        let older = Settings::save_ticket(dir.path());
        let newer = Settings::save_ticket(dir.path());
        assert_eq!(
            value(7).save_as_of(dir.path(), newer).unwrap(),
            Saved::Written
        );
        assert_eq!(
            value(4).save_as_of(dir.path(), older).unwrap(),
            Saved::Superseded
        );
        assert_eq!(Settings::load(dir.path()).0.poll_interval_secs, 7);
        assert_eq!(value(9).save(dir.path()).map(|()| 9).unwrap(), 9);
        assert_eq!(Settings::load(dir.path()).0.poll_interval_secs, 9);
    }

    /// An older value that queued for the writer while a newer one was being written is
    /// dropped, not written over it (a restart once read the older value).
    #[test]
    fn an_older_save_waiting_behind_a_newer_write_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let value = |secs| Settings {
            poll_interval_secs: secs,
            ..Settings::default()
        };
        let older = Settings::save_ticket(dir.path());
        let newer = Settings::save_ticket(dir.path());
        let slot = save_slot(dir.path());
        // The newer save has taken its value and is writing it (it holds the writer).
        let writing = lock(&slot.writer);
        let path = dir.path().to_path_buf();
        let late = std::thread::spawn(move || value(4).save_as_of(&path, older).unwrap());
        while lock(&slot.state).pending.is_none() {
            std::thread::yield_now();
        }
        write_atomically(dir.path(), &value(7)).unwrap();
        lock(&slot.state).written = newer;
        drop(writing);
        assert_eq!(late.join().unwrap(), Saved::Superseded);
        assert_eq!(Settings::load(dir.path()).0.poll_interval_secs, 7);
    }

    /// A burst of saves queued behind a write: one write, of the last value.
    #[test]
    fn a_burst_of_saves_is_one_write_of_the_last_value() {
        let dir = tempfile::tempdir().unwrap();
        let slot = save_slot(dir.path());
        let held = lock(&slot.writer);
        let mut threads = Vec::new();
        for secs in 3..=12 {
            let path = dir.path().to_path_buf();
            threads.push(std::thread::spawn(move || {
                let s = Settings {
                    poll_interval_secs: secs,
                    ..Settings::default()
                };
                s.save_latest(&path).unwrap()
            }));
            // Each value is waiting before the next is given, as slider changes come in order.
            while lock(&slot.state)
                .pending
                .as_ref()
                .map(|(_, s)| s.poll_interval_secs)
                != Some(secs)
            {
                std::thread::yield_now();
            }
        }
        drop(held);
        let saved: Vec<Saved> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(saved.iter().filter(|s| **s == Saved::Written).count(), 1);
        assert_eq!(Settings::load(dir.path()).0.poll_interval_secs, 12);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from(SETTINGS_FILE)],
            "no temp file left"
        );
    }
}
