//! Fetching an installer the signed feed names: in the background, resumable (a part left by an
//! earlier try is continued with a `Range` request), and checked against the feed's size and
//! SHA-256 before it is given a name that can be run. A file that does not match is deleted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{PlatformEntry, UpdateError};

/// No installer of this app is near this size: a feed that says more is not believed.
const MAX_INSTALLER_BYTES: u64 = 512 * 1024 * 1024;

/// Where the verified installer of `version` is kept in `dir` (only letters, digits, dots and
/// dashes of the version are used in the name).
pub fn installer_path(dir: &Path, version: &str) -> PathBuf {
    let safe: String = version
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    dir.join(format!("InstaOTP-Desktop-{safe}-setup.exe"))
}

fn part_path(installer: &Path) -> PathBuf {
    let mut name = installer.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

fn disk(e: &std::io::Error) -> UpdateError {
    UpdateError::Disk(e.to_string())
}

/// The file's SHA-256, in lowercase hex.
fn sha256_of(path: &Path) -> Result<String, UpdateError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| disk(&e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(|e| disk(&e))?;
        let Some(read) = buf.get(..n).filter(|r| !r.is_empty()) else {
            break;
        };
        hasher.update(read);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Whether the file at `path` is the one `entry` describes (size and SHA-256): checked again
/// right before an installer is run.
pub fn matches(path: &Path, entry: &PlatformEntry) -> Result<bool, UpdateError> {
    let size = std::fs::metadata(path).map_err(|e| disk(&e))?.len();
    Ok(size == entry.size && sha256_of(path)?.eq_ignore_ascii_case(entry.sha256.trim()))
}

/// Downloads `entry` (the installer of `version`) into `dir` and returns the path of the
/// verified file. `progress` counts the bytes on disk so far. An earlier part is continued; a
/// complete file that does not match is deleted and [`UpdateError::WrongFile`] returned.
pub async fn download(
    entry: &PlatformEntry,
    version: &str,
    dir: &Path,
    progress: Arc<AtomicU64>,
) -> Result<PathBuf, UpdateError> {
    if entry.size == 0 || entry.size > MAX_INSTALLER_BYTES {
        return Err(UpdateError::WrongFile);
    }
    std::fs::create_dir_all(dir).map_err(|e| disk(&e))?;
    let installer = installer_path(dir, version);
    if installer.exists() && matches(&installer, entry)? {
        progress.store(entry.size, Ordering::Relaxed);
        return Ok(installer);
    }
    let part = part_path(&installer);
    let mut have = std::fs::metadata(&part).map_or(0, |m| m.len());
    if have > entry.size {
        std::fs::remove_file(&part).map_err(|e| disk(&e))?;
        have = 0;
    }
    if have < entry.size {
        have = fetch_rest(entry, &part, have, &progress).await?;
    }
    progress.store(have, Ordering::Relaxed);
    if have < entry.size {
        return Err(UpdateError::Incomplete {
            got: have,
            want: entry.size,
        });
    }
    if !matches(&part, entry)? {
        let _gone = std::fs::remove_file(&part).is_ok();
        return Err(UpdateError::WrongFile);
    }
    std::fs::rename(&part, &installer).map_err(|e| disk(&e))?;
    Ok(installer)
}

/// Where a `206` answer's `Content-Range: bytes START-END/TOTAL` says its part starts.
fn range_start(reply: &reqwest::Response) -> Option<u64> {
    let value = reply
        .headers()
        .get(reqwest::header::CONTENT_RANGE)?
        .to_str()
        .ok()?;
    let range = value.trim().strip_prefix("bytes ")?;
    range.split('-').next()?.trim().parse().ok()
}

/// Appends what is missing after `have` bytes to `part` and returns the bytes on disk. A server
/// that ignores the `Range` sends the whole file again: the part starts over.
async fn fetch_rest(
    entry: &PlatformEntry,
    part: &Path,
    have: u64,
    progress: &AtomicU64,
) -> Result<u64, UpdateError> {
    let unreachable = |e: reqwest::Error| UpdateError::Unreachable(e.without_url().to_string());
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_secs(60))
        .referer(false)
        .build()
        .map_err(unreachable)?;
    let mut request = http.get(&entry.url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut reply = request.send().await.map_err(unreachable)?;
    let status = reply.status().as_u16();
    let (mut file, mut on_disk) = match status {
        206 if have > 0 && range_start(&reply) != Some(have) => {
            // Another part than the one asked for: the download starts over next time.
            let _gone = std::fs::remove_file(part).is_ok();
            return Err(UpdateError::Unreachable(
                "the server sent another part of the file".to_owned(),
            ));
        }
        206 if have > 0 => {
            let file = std::fs::OpenOptions::new()
                .append(true)
                .open(part)
                .map_err(|e| disk(&e))?;
            (file, have)
        }
        200 => (std::fs::File::create(part).map_err(|e| disk(&e))?, 0),
        _ => return Err(UpdateError::Unreachable(format!("HTTP {status}"))),
    };
    progress.store(on_disk, Ordering::Relaxed);
    loop {
        let chunk = match reply.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            // Cut off: what came is kept and continued next time.
            Err(e) => {
                tracing::info!("update download cut off: {}", e.without_url());
                break;
            }
        };
        on_disk = on_disk.saturating_add(chunk.len() as u64);
        if on_disk > entry.size {
            drop(file);
            let _gone = std::fs::remove_file(part).is_ok();
            return Err(UpdateError::WrongFile);
        }
        file.write_all(&chunk).map_err(|e| disk(&e))?;
        progress.store(on_disk, Ordering::Relaxed);
    }
    file.sync_all().map_err(|e| disk(&e))?;
    Ok(on_disk)
}
