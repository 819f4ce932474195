//! Where the API key is kept: the OS keychain in the app, an in-memory stand-in in tests.

use std::sync::Arc;

use thiserror::Error;

/// The keychain entry's service name and user: fixed, or staff lose their saved key.
pub const SERVICE: &str = "instaotp-desktop";
const USER: &str = "api-key";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeychainError {
    /// No keychain on this computer, or it is locked / refused access.
    #[error("the keychain is not available: {0}")]
    Unavailable(String),
    #[error("the keychain failed: {0}")]
    Failed(String),
}

/// A place for one secret. Calls may block (D-Bus, OS dialogs): run them off the UI thread.
pub trait Keychain: Send + Sync {
    fn load(&self) -> Result<Option<String>, KeychainError>;
    fn save(&self, key: &str) -> Result<(), KeychainError>;
    fn delete(&self) -> Result<(), KeychainError>;
    /// The entry of another provider's key, beside this one (same service, its own user).
    fn provider(&self, id: &str) -> SharedKeychain;
}

pub type SharedKeychain = Arc<dyn Keychain>;

/// The OS keychain: Secret Service on Linux, Credential Manager on Windows, Keychain on macOS.
pub struct OsKeychain {
    service: String,
    user: String,
}

impl OsKeychain {
    /// The app's own entry, where staff keep their key.
    pub fn app() -> Self {
        Self::new(SERVICE)
    }

    /// An entry under another service name: tests use one of their own, so they never touch
    /// the key a person saved.
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
            user: USER.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, &self.user).map_err(map_error)
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
        match self.entry()?.get_password() {
            Ok(key) => Ok(Some(key)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn save(&self, key: &str) -> Result<(), KeychainError> {
        self.entry()?.set_password(key).map_err(map_error)
    }

    fn delete(&self) -> Result<(), KeychainError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn provider(&self, id: &str) -> SharedKeychain {
        Arc::new(Self {
            service: self.service.clone(),
            user: format!("{USER}-{id}"),
        })
    }
}
