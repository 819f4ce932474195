//! Looking for a newer version: at start and then once a day while the app runs, off the UI
//! thread, never while a purchase is out, and only when the person left it on; or when asked
//! ("Check for updates"). What was found is shown quietly (Settings, and a line at the bottom).

use std::time::{Duration, Instant};

use super::App;
use crate::text;
use crate::updates::{Release, UpdateError};
use crate::worker::{Event, Job, Scope};

/// How often a running app looks again.
pub const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// What the last look found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum UpdateStatus {
    /// Not looked yet.
    #[default]
    NotChecked,
    /// This is the newest version.
    UpToDate,
    Available(Release),
    /// Looked and could not tell (unreachable, a bad signature): said quietly, logged.
    Failed(UpdateError),
}

/// The update state of the running app (not kept on disk).
#[derive(Debug, Default)]
pub struct Updates {
    pub status: UpdateStatus,
    last_check: Option<Instant>,
}

impl App {
    /// Each frame: starts the daily look when it is due and allowed.
    pub(crate) fn update_tick(&mut self) {
        let due = self
            .updates
            .last_check
            .is_none_or(|at| at.elapsed() >= CHECK_EVERY);
        if due && self.settings.auto_update_check && self.config.updates.is_set() {
            self.check_for_updates();
        }
    }

    /// Looks now (the Settings button, or the daily look). Never while a purchase is out: it
    /// waits for the next frame after it.
    pub(crate) fn check_for_updates(&mut self) {
        if self.is_buying() || self.worker.is_busy(&Job::UpdateCheck) {
            return;
        }
        self.updates.last_check = Some(Instant::now());
        let source = self.config.updates.clone();
        self.worker.spawn(Scope::App, Job::UpdateCheck, async move {
            let current = env!("CARGO_PKG_VERSION");
            Event::UpdateChecked(crate::updates::check(&source, current).await)
        });
    }

    pub(crate) fn update_checked(&mut self, result: Result<Option<Release>, UpdateError>) {
        // The feed's words are shown: masked like any other server's text, though the feed's
        // server never gets the key.
        let key = self.session().map(|s| s.client.config().key.clone());
        let mask = |text: &str| {
            key.as_ref()
                .map_or_else(|| text.to_owned(), |k| k.mask(text))
        };
        self.updates.status = match result {
            Ok(Some(mut release)) => {
                release.version = mask(&release.version);
                release.notes = mask(&release.notes);
                release.page = mask(&release.page);
                tracing::info!(version = %release.version, "a newer version is available");
                UpdateStatus::Available(release)
            }
            Ok(None) => UpdateStatus::UpToDate,
            Err(e) => {
                tracing::warn!("update check: {e}");
                UpdateStatus::Failed(e)
            }
        };
    }

    /// "Open download page" of the notice.
    pub(crate) fn open_download_page(&mut self) {
        let UpdateStatus::Available(release) = &self.updates.status else {
            return;
        };
        let page = release.page.clone();
        if let Err(e) = crate::platform::open::open(page.as_ref()) {
            tracing::warn!("open the download page: {e}");
            self.messages.warn(text::website_not_opened(&e));
        }
    }
}
