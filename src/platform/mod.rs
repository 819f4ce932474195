//! Adapters to the operating system: keychain, notifications, the "Save as" dialog, the window
//! and the log files. Each hides a platform service behind a small type the app can replace in
//! tests.

pub mod file_dialog;
pub mod installer;
pub mod keychain;
pub mod logging;
pub mod notify;
pub mod open;
pub mod single_instance;
#[cfg(any(test, feature = "test-support"))]
pub mod test_doubles;
pub mod window;
