//! Stand-ins for the platform services, for tests: an in-memory keychain, a notifier that
//! records, a "Save as" dialog that answers from a script. Built only for tests (the
//! `test-support` feature), never shipped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::file_dialog::{SaveChoice, SaveDialog};
use super::keychain::{Keychain, KeychainError};
use super::notify::{Notifier, NotifyError};

/// An in-memory keychain; can pretend to be unavailable.
#[derive(Default)]
pub struct MemoryKeychain {
    key: Mutex<Option<String>>,
    unavailable: Mutex<bool>,
    /// Other providers' entries, by provider id.
    providers: Mutex<std::collections::HashMap<String, Arc<MemoryKeychain>>>,
}

impl MemoryKeychain {
    pub fn with_key(key: &str) -> Self {
        Self {
            key: Mutex::new(Some(key.to_owned())),
            ..Self::default()
        }
    }

    pub fn unavailable() -> Self {
        Self {
            unavailable: Mutex::new(true),
            ..Self::default()
        }
    }

    pub fn stored(&self) -> Option<String> {
        self.key.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Another provider's entry (made empty on first use).
    pub fn provider_entry(&self, id: &str) -> Arc<MemoryKeychain> {
        let mut all = self.providers.lock().unwrap_or_else(|e| e.into_inner());
        all.entry(id.to_owned()).or_default().clone()
    }

    fn check(&self) -> Result<(), KeychainError> {
        if *self.unavailable.lock().unwrap_or_else(|e| e.into_inner()) {
            Err(KeychainError::Unavailable("locked".into()))
        } else {
            Ok(())
        }
    }
}

impl Keychain for MemoryKeychain {
    fn load(&self) -> Result<Option<String>, KeychainError> {
        self.check()?;
        Ok(self.stored())
    }

    fn save(&self, key: &str) -> Result<(), KeychainError> {
        self.check()?;
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = Some(key.to_owned());
        Ok(())
    }

    fn delete(&self) -> Result<(), KeychainError> {
        self.check()?;
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    fn provider(&self, id: &str) -> super::keychain::SharedKeychain {
        self.provider_entry(id)
    }
}

/// One notification as it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub summary: String,
    pub body: String,
    pub sound: bool,
}

/// Keeps every notification instead of showing it, for tests; can pretend the computer has no
/// notification service.
#[derive(Default)]
pub struct RecordingNotifier {
    sent: Mutex<Vec<Sent>>,
    unavailable: std::sync::atomic::AtomicBool,
}

impl RecordingNotifier {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// From now on, checks and notifications fail as on a computer without the service.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.unavailable
            .store(unavailable, std::sync::atomic::Ordering::SeqCst);
    }

    fn available(&self) -> Result<(), NotifyError> {
        if self.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            Err(NotifyError::Unsupported)
        } else {
            Ok(())
        }
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), NotifyError> {
        self.available()?;
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        sent.push(Sent {
            summary: summary.to_owned(),
            body: body.to_owned(),
            sound,
        });
        Ok(())
    }

    fn check(&self) -> Result<(), NotifyError> {
        self.available()
    }
}

/// A dialog that answers from a script, for tests: each call takes the next answer and records
/// what it was asked. Once the answers run out it behaves as a desktop without a dialog.
#[derive(Default)]
pub struct ScriptedSaveDialog {
    answers: Mutex<Vec<SaveChoice>>,
    asked: Mutex<Vec<PathBuf>>,
}

impl ScriptedSaveDialog {
    pub fn new(answers: Vec<SaveChoice>) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers),
            asked: Mutex::default(),
        })
    }

    /// The suggested paths the app offered, in order.
    pub fn asked(&self) -> Vec<PathBuf> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl SaveDialog for ScriptedSaveDialog {
    fn save_as(&self, _title: &str, suggested: &Path) -> SaveChoice {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(suggested.to_path_buf());
        }
        match self.answers.lock() {
            Ok(mut answers) if !answers.is_empty() => answers.remove(0),
            _ => SaveChoice::Unavailable,
        }
    }
}
