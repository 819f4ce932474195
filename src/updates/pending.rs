//! An update being installed: written just before the installer starts, read by the next start.
//! The version that starts then says "Updated to …" when it is the new one, or that the update
//! did not install when it is still the old one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingUpdate {
    /// The version being installed.
    pub version: String,
    /// Its notes, in staff words (from the signed feed).
    #[serde(default)]
    pub notes: String,
}

/// What the start after an update tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterUpdate {
    /// This is the new version.
    Updated(PendingUpdate),
    /// The installer did not replace this version.
    NotInstalled(PendingUpdate),
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("update-pending.json")
}

/// Notes the update about to be installed.
pub fn save(data_dir: &Path, update: &PendingUpdate) -> std::io::Result<()> {
    let json = serde_json::to_vec(update).map_err(std::io::Error::other)?;
    std::fs::write(path(data_dir), json)
}

/// At start: what became of an update started by the last run (`current`: this version), and
/// the note is removed so it is told once.
pub fn take(data_dir: &Path, current: &str) -> Option<AfterUpdate> {
    let file = path(data_dir);
    let bytes = std::fs::read(&file).ok()?;
    if let Err(e) = std::fs::remove_file(&file) {
        tracing::warn!("update note not removed: {e}");
    }
    let update: PendingUpdate = serde_json::from_slice(&bytes).ok()?;
    Some(
        if update.version.trim().trim_start_matches('v') == current {
            AfterUpdate::Updated(update)
        } else {
            AfterUpdate::NotInstalled(update)
        },
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_next_start_tells_once_whether_it_is_the_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let update = PendingUpdate {
            version: "1.4.0".into(),
            notes: "Codes show sooner.".into(),
        };
        assert_eq!(take(dir.path(), "1.4.0"), None, "nothing pending");
        save(dir.path(), &update).unwrap();
        assert_eq!(
            take(dir.path(), "1.4.0"),
            Some(AfterUpdate::Updated(update.clone()))
        );
        assert_eq!(take(dir.path(), "1.4.0"), None, "told once");
        save(dir.path(), &update).unwrap();
        assert_eq!(
            take(dir.path(), "1.3.0"),
            Some(AfterUpdate::NotInstalled(update))
        );
    }
}
