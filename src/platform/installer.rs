//! Starting a downloaded and verified installer. On Windows the per-user installer runs
//! silently (`/S`), waits for this app to close, replaces it in place and starts the new
//! version (`/RELAUNCH`; packaging/windows/installer.nsi); if it cannot, it starts the old one
//! again. Elsewhere a package manager owns the files: nothing is installed by the app.

use std::path::Path;
use std::sync::Arc;

/// Starts the installer at the given path; tests put their own in its place.
pub type SharedInstaller = Arc<dyn Fn(&Path) -> std::io::Result<()> + Send + Sync>;

/// This platform's way.
pub fn system() -> SharedInstaller {
    Arc::new(start)
}

#[cfg(windows)]
fn start(installer: &Path) -> std::io::Result<()> {
    std::process::Command::new(installer)
        .args(["/S", "/RELAUNCH"])
        .spawn()
        .map(drop)
}

#[cfg(not(windows))]
fn start(_installer: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "this system's package manager installs new versions",
    ))
}
