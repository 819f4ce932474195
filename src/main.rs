//! Start-up only: options, logging, runtime, keychain, window.

use std::sync::Arc;

use instaotp_desktop::keychain::OsKeychain;
use instaotp_desktop::options::Options;
use instaotp_desktop::{APP_ID, APP_NAME, AppConfig};

// No console window behind the app on Windows release builds.
#[cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]
fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    let options = match Options::parse(
        std::env::args().skip(1),
        std::env::var("INSTAOTP_API_URL").ok(),
    ) {
        Ok(o) => o,
        Err(usage) => {
            eprintln!("{usage}");
            return std::process::ExitCode::from(2);
        }
    };
    let _log_guard = instaotp_desktop::logging::init(&options.data_dir);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        demo = options.demo,
        "starting"
    );

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("no async runtime: {e}");
            eprintln!("InstaOTP Desktop could not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let _enter = runtime.enter();

    let mut config = AppConfig::new(options.data_dir.clone(), Arc::new(OsKeychain));
    config.api_url_override = options.api_url;
    config.demo = options.demo;
    config.started = started;

    let code = match instaotp_desktop::window::run(APP_ID, APP_NAME, config) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            instaotp_desktop::window::show_fatal(&message);
            std::process::ExitCode::FAILURE
        }
    };
    // Background work gets a second to finish (a settings or history write takes milliseconds);
    // a "Save as" dialog left open behind the closed window is not waited for.
    drop(_enter);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}
