//! Where the API key is kept: the OS keychain in the app, an in-memory stand-in in tests.

use std::sync::{Arc, Mutex};

use thiserror::Error;

/// The keychain entry's service name and user: fixed, or staff lose their saved key.
const SERVICE: &str = "instaotp-desktop";
const USER: &str = "api-key";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeychainError {
    /// No keychain on this computer, or it is locked / refused access.
    #[error("the keychain is not available: {0}")]
    Unavailable(String),
    #[error("the keychain failed: {0}")]
    Failed(String),
}

impl KeychainError {
    pub fn user_message(&self) -> String {
        match self {
            Self::Unavailable(_) => "The system keychain is not available or is locked, so the key cannot be saved. Unlock it (log in again), or use the key for this session only.".into(),
            Self::Failed(_) => "The system keychain could not store the key. You can use the key for this session only.".into(),
        }
    }
}

/// A place for one secret. Calls may block (D-Bus, OS dialogs): run them off the UI thread.
pub trait Keychain: Send + Sync {
    fn load(&self) -> Result<Option<String>, KeychainError>;
    fn save(&self, key: &str) -> Result<(), KeychainError>;
    fn delete(&self) -> Result<(), KeychainError>;
}

pub type SharedKeychain = Arc<dyn Keychain>;

/// The OS keychain: Secret Service on Linux, Credential Manager on Windows, Keychain on macOS.
pub struct OsKeychain;

impl OsKeychain {
    fn entry() -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(SERVICE, USER).map_err(map_error)
    }
}

fn map_error(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoStorageAccess(e) => KeychainError::Unavailable(e.to_string()),
        keyring::Error::NoDefaultStore => KeychainError::Unavailable("no default store".into()),
        keyring::Error::PlatformFailure(e) => KeychainError::Unavailable(e.to_string()),
        // Never echo secret bytes that some variants carry.
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            KeychainError::Failed("stored value is unreadable".into())
        }
        other => KeychainError::Failed(other.to_string()),
    }
}

impl Keychain for OsKeychain {
    fn load(&self) -> Result<Option<String>, KeychainError> {
        match Self::entry()?.get_password() {
            Ok(key) => Ok(Some(key)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn save(&self, key: &str) -> Result<(), KeychainError> {
        Self::entry()?.set_password(key).map_err(map_error)
    }

    fn delete(&self) -> Result<(), KeychainError> {
        match Self::entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// An in-memory keychain for tests and the demo; can pretend to be unavailable.
#[derive(Default)]
pub struct MemoryKeychain {
    key: Mutex<Option<String>>,
    unavailable: Mutex<bool>,
}

impl MemoryKeychain {
    pub fn with_key(key: &str) -> Self {
        Self {
            key: Mutex::new(Some(key.to_owned())),
            unavailable: Mutex::new(false),
        }
    }

    pub fn unavailable() -> Self {
        Self {
            key: Mutex::new(None),
            unavailable: Mutex::new(true),
        }
    }

    pub fn stored(&self) -> Option<String> {
        self.key.lock().unwrap_or_else(|e| e.into_inner()).clone()
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
}
