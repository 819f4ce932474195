//! InstaOTP Desktop: buy virtual numbers, receive SMS codes, finish or cancel orders.

pub mod api;
pub mod app;
pub mod countries;
pub mod file_dialog;
pub mod keychain;
pub mod logging;
pub mod notify;
pub mod options;
pub mod orders;
pub mod services;
pub mod settings;
pub mod sim;
pub mod ui;
pub mod window;
pub mod worker;

pub use app::{App, AppConfig};

/// The name that labels the window and the settings folder. Never change it: staff would lose
/// their settings.
pub const APP_ID: &str = "instaotp-desktop";
pub const APP_NAME: &str = "InstaOTP Desktop";
