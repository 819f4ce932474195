//! The data folder and what the app writes in it hold phone numbers, live codes and logs: on
//! Linux and macOS the folder is made `0700` and the files `0600`, so other users of the computer
//! can read none of it. (Windows keeps them in the person's own profile, private already.)

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) if needed and makes it private to its owner.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Makes an existing file private to its owner (a file another library created).
pub fn restrict_file(path: &Path) -> io::Result<()> {
    restrict(path, 0o600)
}

/// Options that create a file readable and writable by its owner only.
pub fn file_options() -> OpenOptions {
    // Changed only on Unix (Windows keeps a user's files to the user by their folder).
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o777)
    }

    #[test]
    fn the_folder_is_0700_and_files_0600() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let dir = root.path().join("a").join("data");
        create_dir(&dir)?;
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("f");
        drop(file_options().write(true).create_new(true).open(&file)?);
        assert_eq!(mode(&file), 0o600);
        let other = dir.join("g");
        std::fs::write(&other, b"x")?;
        restrict_file(&other)?;
        assert_eq!(mode(&other), 0o600);
        Ok(())
    }
}
