//! Opens a folder or a web address with the desktop's own program, and reaps that program so
//! no zombie process is left behind. Not the `opener` crate: on Linux it spawns `xdg-open` and
//! drops the child without waiting, so every "Open log folder" would leave a zombie until the app
//! ends (read in its source, `linux_and_more.rs`, 2026-12).

use std::ffi::OsStr;

/// Starts the desktop's opener for `target` (a folder or an address).
pub fn open(target: &OsStr) -> std::io::Result<()> {
    let opener = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener).arg(target).spawn()?;
    // The opener hands over to the file manager or browser and exits; wait for it elsewhere.
    std::thread::Builder::new()
        .name("opener".into())
        .spawn(move || child.wait().map(|_| ()))
        .map(|_| ())
}
