//! Desktop notifications: a code that arrived, the "Send a test notification" button, and the
//! check at start whose answer Settings shows in words (a computer without the service, such as
//! Wine or a server edition of Windows, still runs the app: the taskbar button flashes instead).

use super::App;
use crate::app::describe;
use crate::platform::notify::NotifyError;
use crate::text;
use crate::worker::NotifyWhy;

impl App {
    /// Asks the notification service whether it can show anything; nothing is shown.
    pub(crate) fn check_notifications(&mut self) {
        let notifier = self.config.notifier.clone();
        let (none, nothing) = (String::new(), String::new());
        self.worker
            .notify(notifier, NotifyWhy::Check, none, nothing, false);
    }

    pub(crate) fn notify_code(&mut self, summary: String, body: String) {
        let notifier = self.config.notifier.clone();
        let sound = self.settings.sound;
        self.worker
            .notify(notifier, NotifyWhy::Code, summary, body, sound);
    }

    pub(crate) fn test_notification(&mut self) {
        let notifier = self.config.notifier.clone();
        let (summary, body) = text::test_notification();
        let sound = self.settings.sound;
        self.worker
            .notify(notifier, NotifyWhy::Test, summary, body, sound);
    }

    pub(super) fn notified(&mut self, why: NotifyWhy, result: Result<(), NotifyError>) {
        match result {
            Ok(()) => {
                self.notifications_problem = None;
                if why == NotifyWhy::Test {
                    self.messages.success(text::TEST_NOTIFICATION_SENT);
                }
            }
            Err(e) => {
                tracing::warn!(?why, "notifications unavailable: {e}");
                let problem = describe::notifications_unavailable(&e);
                // The start-up check only informs Settings; a notification that was asked for
                // and not shown is also said where the person looks.
                if why != NotifyWhy::Check {
                    self.messages.warn(problem.clone());
                }
                self.notifications_problem = Some(problem);
            }
        }
    }
}
