//! The log file in the data folder: daily files, a week kept. The key is never logged: only
//! actions and outcomes are, never URLs.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Logs into `data_dir/logs` at the level `INSTAOTP_LOG` asks for (info by default).
pub fn init(data_dir: &Path) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_env("INSTAOTP_LOG")
        .unwrap_or_else(|_| EnvFilter::new("instaotp_desktop=info,warn"));
    init_with(data_dir, filter)
}

/// Logs into `data_dir/logs` with `filter` (tests ask for every level).
pub fn init_with(data_dir: &Path, filter: EnvFilter) -> Option<WorkerGuard> {
    let dir = data_dir.join("logs");
    if let Err(e) = crate::private_files::create_dir(data_dir)
        .and_then(|()| crate::private_files::create_dir(&dir))
    {
        eprintln!("the log folder {} cannot be made: {e}", dir.display());
        return None;
    }
    // Log files the appender made before (with the default mode) become private too.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            if let Err(e) = crate::private_files::restrict_file(&entry.path()) {
                eprintln!("a log file could not be made private: {e}");
            }
        }
    }
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("instaotp-desktop")
        .filename_suffix("log")
        .max_log_files(7)
        .build(&dir);
    let appender = match appender {
        Ok(a) => a,
        Err(e) => {
            eprintln!("logging to {} is not possible: {e}", dir.display());
            return None;
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    // Fails only when a logger is already set (a test binary): that one keeps logging.
    let _already = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_err();
    Some(guard)
}
