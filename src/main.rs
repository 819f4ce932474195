//! Start-up only: options, logging, runtime, keychain, window.

// No console window behind the app on Windows release builds (an inner attribute: on `main`
// it would be ignored, with only a warning).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::sync::Arc;

use instaotp_desktop::options::{Invocation, USAGE};
use instaotp_desktop::platform::keychain::OsKeychain;
use instaotp_desktop::platform::single_instance::{self, Claim};
use instaotp_desktop::{APP_ID, APP_NAME, App, AppConfig, text};

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    let options = match Invocation::parse(
        std::env::args().skip(1),
        std::env::var("INSTAOTP_API_URL").ok(),
    ) {
        Ok(Invocation::Run(o)) => o,
        Ok(Invocation::Help) => {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        Ok(Invocation::Version) => {
            println!("{APP_NAME} {}", env!("CARGO_PKG_VERSION"));
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    let _log_guard = instaotp_desktop::platform::logging::init(&options.data_dir);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        demo = options.demo,
        "starting"
    );

    // One app per data folder: a second start brings the first to the front and ends here.
    let instance = match single_instance::claim(&options.data_dir) {
        Ok(Claim::First(instance)) => Some(instance),
        Ok(Claim::HandedOver) => {
            tracing::info!("already running: the open window was asked to come to the front");
            return std::process::ExitCode::SUCCESS;
        }
        Ok(Claim::Busy) => {
            tracing::warn!("already running, and it did not answer");
            eprintln!("{}", text::ALREADY_RUNNING);
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            // A folder that cannot be locked (a network drive): run, as before this check.
            tracing::warn!("single-instance lock unavailable: {e}");
            None
        }
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("no async runtime: {e}");
            eprintln!("{}", text::could_not_start(&e.to_string()));
            return std::process::ExitCode::FAILURE;
        }
    };
    let enter = runtime.enter();

    let keychain = match &options.keychain_service {
        Some(service) => OsKeychain::new(service),
        None => OsKeychain::app(),
    };
    let mut config = AppConfig::new(options.data_dir.clone(), Arc::new(keychain));
    config.api_url_override = options.api_url;
    config.demo = options.demo;
    config.started = started;
    config.instance = instance;

    let code = open_window(config, &options.data_dir);
    // Background work gets a second to finish (a settings or history write takes milliseconds);
    // a "Save as" dialog left open behind the closed window is not waited for.
    drop(enter);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}

/// The window, with the app made in it once it opens; a window that cannot open is said in a
/// system dialog, with where the log is.
fn open_window(config: AppConfig, data_dir: &std::path::Path) -> std::process::ExitCode {
    use instaotp_desktop::platform::window;
    let make_app: window::MakeApp = Box::new(move |ctx| Box::new(App::new(ctx, config)));
    match window::run(APP_ID, APP_NAME, data_dir, make_app) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            window::show_fatal(&text::could_not_start(&text::no_window(
                &data_dir.join("logs"),
            )));
            std::process::ExitCode::FAILURE
        }
    }
}
