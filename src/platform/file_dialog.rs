//! The system "Save as" dialog, behind a small trait so tests can answer it.
//!
//! On Linux the dialog comes from the desktop portal (or zenity). A desktop without either gets
//! the app's own save dialog instead: a user must always be able to save, and rfd alone cannot
//! tell "no dialog available" from "the user pressed Cancel".

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the user did with the save dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveChoice {
    Chosen(PathBuf),
    Cancelled,
    /// This desktop has no system dialog: use the app's own.
    Unavailable,
}

pub trait SaveDialog: Send + Sync {
    /// Blocks until the user has chosen (runs on a worker thread, never on the UI thread).
    fn save_as(&self, title: &str, suggested: &Path) -> SaveChoice;
}

pub type SharedSaveDialog = Arc<dyn SaveDialog>;

/// The operating system's dialog.
pub struct SystemSaveDialog;

impl SaveDialog for SystemSaveDialog {
    fn save_as(&self, title: &str, suggested: &Path) -> SaveChoice {
        if !system_dialog_available() {
            return SaveChoice::Unavailable;
        }
        let mut dialog = rfd::FileDialog::new()
            .set_title(title)
            .add_filter("CSV spreadsheet", &["csv"]);
        if let Some(dir) = suggested.parent() {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = suggested.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
        match dialog.save_file() {
            Some(path) => SaveChoice::Chosen(path),
            None => SaveChoice::Cancelled,
        }
    }
}

#[cfg(target_os = "linux")]
fn system_dialog_available() -> bool {
    portal_running() || on_path("zenity")
}

#[cfg(not(target_os = "linux"))]
fn system_dialog_available() -> bool {
    true
}

/// Whether the desktop portal runs (or can be started) and offers the file chooser: some desktops
/// run a portal without one.
#[cfg(target_os = "linux")]
fn portal_running() -> bool {
    // A portal that never answers must not leave Export waiting: every call has a time limit.
    let Ok(conn) = zbus::blocking::connection::Builder::session()
        .map(|b| b.method_timeout(std::time::Duration::from_secs(5)))
        .and_then(|b| b.build())
    else {
        return false;
    };
    conn.call_method(
        Some("org.freedesktop.portal.Desktop"),
        "/org/freedesktop/portal/desktop",
        Some("org.freedesktop.DBus.Properties"),
        "Get",
        &("org.freedesktop.portal.FileChooser", "version"),
    )
    .is_ok()
}

#[cfg(target_os = "linux")]
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
