//! InstaOTP Desktop: buy virtual numbers, receive SMS codes, finish or cancel orders.

pub mod api;
pub mod app;
pub mod clock;
pub mod countries;
pub mod offers;
pub mod options;
pub mod orders;
pub mod platform;
pub mod private_files;
pub mod settings;
pub mod sim;
pub mod text;
pub mod ui;
pub mod updates;
pub mod vocab;
pub mod worker;

pub use app::{App, AppConfig};

/// The name that labels the window and the settings folder. Never change it: staff would lose
/// their settings.
pub const APP_ID: &str = "instaotp-desktop";
pub const APP_NAME: &str = "InstaOTP Desktop";
