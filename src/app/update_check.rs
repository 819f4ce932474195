//! Looking for a newer version: at start and then once a day while the app runs, off the UI
//! thread, never while a purchase is out, and only when the person left it on; or when asked
//! ("Check for updates"). What was found is shown quietly (Settings, and a line at the bottom).
//! Where the app installs in place (Windows), the installer is downloaded in the background and
//! checked against the signed feed; "Restart to update" runs it, after asking when numbers are
//! still waiting for their code.

use crate::app::describe;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{App, Command, Confirm};
use crate::text;
use crate::updates::pending::{AfterUpdate, PendingUpdate};
use crate::updates::{Release, UpdateError};
use crate::worker::{AppEvent, Job};

/// This copy's version.
pub const CURRENT: &str = env!("CARGO_PKG_VERSION");

/// How often a running app looks again.
pub const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// A look or a download that did not get through is tried again (a download where it stopped)
/// this long after.
const RETRY_DOWNLOAD_AFTER: Duration = Duration::from_secs(60 * 60);

/// What the last look found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum UpdateStatus {
    /// Not looked yet.
    #[default]
    NotChecked,
    /// This is the newest version.
    UpToDate,
    Available(Release),
    /// Its installer is being downloaded (`Updates::downloaded` counts the bytes).
    Downloading(Release),
    /// Its installer is downloaded and checked: "Restart to update".
    Ready {
        release: Release,
        installer: PathBuf,
    },
    /// Its installer did not come whole, or did not check out (deleted): tried again at the
    /// next look, where it stopped.
    DownloadFailed(Release, UpdateError),
    /// Looked and could not tell (unreachable, a bad signature): said quietly, logged.
    Failed(UpdateError),
}

impl UpdateStatus {
    /// The newer version found, whatever became of its download.
    pub fn release(&self) -> Option<&Release> {
        match self {
            Self::Available(r)
            | Self::Downloading(r)
            | Self::Ready { release: r, .. }
            | Self::DownloadFailed(r, _) => Some(r),
            Self::NotChecked | Self::UpToDate | Self::Failed(_) => None,
        }
    }
}

/// The update state of the running app (not kept on disk).
#[derive(Debug, Default)]
pub struct Updates {
    pub status: UpdateStatus,
    /// When the daily look is due (`None`: at once).
    next_check: Option<Instant>,
    /// Bytes of the installer on disk so far, while it downloads.
    downloaded: Arc<AtomicU64>,
}

impl Updates {
    /// How much of the installer is here, in whole percent, while it downloads.
    pub fn percent_downloaded(&self) -> Option<u64> {
        let UpdateStatus::Downloading(release) = &self.status else {
            return None;
        };
        let total = release.installer.as_ref()?.size.max(1);
        Some(self.downloaded.load(Ordering::Relaxed).saturating_mul(100) / total)
    }
}

impl App {
    /// Each frame: starts the daily look when it is due and allowed.
    pub(crate) fn update_tick(&mut self) {
        let due = self
            .updates
            .next_check
            .is_none_or(|at| Instant::now() >= at);
        if due && self.settings.auto_update_check && self.config.updates.is_set() {
            self.check_for_updates();
        }
    }

    /// Looks now (the Settings button, or the daily look). Never while a purchase is out: it
    /// waits for the next frame after it.
    pub(crate) fn check_for_updates(&mut self) {
        let busy = [Job::UpdateCheck, Job::UpdateDownload, Job::StartInstaller];
        if self.is_buying() || busy.iter().any(|job| self.worker.is_busy(job)) {
            return;
        }
        if matches!(self.updates.status, UpdateStatus::Ready { .. }) {
            return; // downloaded and checked: waiting for the person
        }
        self.updates.next_check = Some(Instant::now() + CHECK_EVERY);
        let source = self.config.updates.clone();
        self.worker.spawn_app(Job::UpdateCheck, async move {
            AppEvent::UpdateChecked(crate::updates::check(&source, CURRENT).await)
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
                match release.installer.clone() {
                    Some(entry) if self.config.install_in_place => {
                        self.download_installer(&entry, &release.version);
                        UpdateStatus::Downloading(release)
                    }
                    _ => UpdateStatus::Available(release),
                }
            }
            Ok(None) => UpdateStatus::UpToDate,
            Err(e) => {
                tracing::warn!("update check: {e}");
                // Looked at again in an hour, not a day (the feed may be back by then).
                self.updates.next_check = Some(Instant::now() + RETRY_DOWNLOAD_AFTER);
                UpdateStatus::Failed(e)
            }
        };
    }

    /// Fetches the installer in the background into the data folder's `updates`.
    fn download_installer(&mut self, entry: &crate::updates::PlatformEntry, version: &str) {
        let (entry, version) = (entry.clone(), version.to_owned());
        let dir = self.config.data_dir.join("updates");
        let progress = self.updates.downloaded.clone();
        self.worker.spawn_app(Job::UpdateDownload, async move {
            let got = crate::updates::download::download(&entry, &version, &dir, progress).await;
            AppEvent::UpdateDownloaded(got)
        });
    }

    pub(crate) fn update_downloaded(&mut self, result: Result<PathBuf, UpdateError>) {
        let UpdateStatus::Downloading(release) = &self.updates.status else {
            return;
        };
        let release = release.clone();
        self.updates.status = match result {
            Ok(installer) => {
                tracing::info!(version = %release.version, "new version downloaded and checked");
                UpdateStatus::Ready { release, installer }
            }
            Err(e) => {
                tracing::warn!("update download: {e}");
                // Looked at again in an hour, and the download goes on where this one stopped.
                self.updates.next_check = Some(Instant::now() + RETRY_DOWNLOAD_AFTER);
                UpdateStatus::DownloadFailed(release, e)
            }
        };
    }

    /// "Restart to update": asks first while numbers wait for their code.
    pub(crate) fn restart_to_update(&mut self) {
        let waiting = self.session().map_or(0, |s| s.watched_ours().count())
            + self
                .provider_sessions()
                .map(|(_, s)| s.watched_ours().count())
                .sum::<usize>();
        if waiting > 0 {
            if let Some(s) = self.session_mut() {
                s.confirm = Some(Confirm::RestartToUpdate(waiting));
            }
            return;
        }
        self.run_command(Command::RestartToUpdateConfirmed);
    }

    /// Notes the update for the next start and starts the installer (off the UI thread); the
    /// app closes once it runs.
    pub(crate) fn restart_to_update_confirmed(&mut self) {
        self.close_dialog();
        let UpdateStatus::Ready { release, installer } = &self.updates.status else {
            return;
        };
        if self.worker.is_busy(&Job::StartInstaller) {
            return;
        }
        let note = PendingUpdate {
            version: release.version.clone(),
            notes: release.notes.clone(),
        };
        let Some(entry) = release.installer.clone() else {
            return;
        };
        let (installer, data_dir) = (installer.clone(), self.config.data_dir.clone());
        let run = self.config.run_installer.clone();
        self.worker
            .spawn_app_blocking(Job::StartInstaller, move || {
                // Checked again: the file sat on disk since it was downloaded.
                let started = match crate::updates::download::matches(&installer, &entry) {
                    Ok(true) => crate::updates::pending::save(&data_dir, &note)
                        .and_then(|()| run(&installer)),
                    Ok(false) | Err(_) => {
                        let _gone = std::fs::remove_file(&installer).is_ok();
                        Err(std::io::Error::other(
                            "the downloaded file changed since it was checked",
                        ))
                    }
                };
                if started.is_err() {
                    // Nothing was installed: the next start has nothing to tell.
                    let _gone = crate::updates::pending::take(&data_dir, CURRENT).is_some();
                }
                AppEvent::InstallerStarted(started)
            });
    }

    pub(crate) fn installer_started(&mut self, result: std::io::Result<()>) {
        match result {
            Ok(()) => {
                tracing::info!("installer started: closing for the update");
                self.run_command(Command::QuitConfirmed);
            }
            Err(e) => {
                tracing::error!("installer not started: {e}");
                self.messages.error(text::installer_not_started(&e));
                // A file that no longer checked out was deleted: fetched again at the next look.
                if let UpdateStatus::Ready { release, installer } = &self.updates.status
                    && !installer.exists()
                {
                    let release = release.clone();
                    self.updates.status =
                        UpdateStatus::DownloadFailed(release, UpdateError::WrongFile);
                    self.updates.next_check = None;
                }
            }
        }
    }

    /// At start: what became of the update the last run started.
    pub(crate) fn tell_after_update(&mut self) {
        match crate::updates::pending::take(&self.config.data_dir, CURRENT) {
            Some(AfterUpdate::Updated(u)) => {
                tracing::info!(version = %u.version, "started after an update");
                self.messages
                    .success(text::updated_to(&u.version, &u.notes));
            }
            Some(AfterUpdate::NotInstalled(u)) => {
                tracing::warn!(version = %u.version, "the update did not install");
                self.messages
                    .warn(text::update_not_installed(&u.version, CURRENT));
            }
            None => {}
        }
    }

    /// "Open download page" of the notice.
    pub(crate) fn open_download_page(&mut self) {
        let Some(release) = self.updates.status.release() else {
            return;
        };
        let page = release.page.clone();
        if let Err(e) = crate::platform::open::open(page.as_ref()) {
            tracing::warn!("open the download page: {e}");
            self.messages.warn(describe::website_not_opened(&e));
        }
    }
}
