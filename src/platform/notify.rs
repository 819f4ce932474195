//! Desktop notifications when a code arrives: freedesktop notifications over D-Bus on Linux,
//! the system's own service elsewhere (notify-rust: Windows toasts, macOS notification centre).
//! A missing notification service never stops the app: Settings says so in words (checked at
//! start without showing anything), the window still asks for attention and the Orders tab counts
//! new codes.

use std::sync::Arc;

use thiserror::Error;

/// Why a notification was not shown; the window still asks for attention.
#[derive(Debug, Error)]
pub enum NotifyError {
    #[error("the notification service did not answer: {0}")]
    Service(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("this system has no notification service the app knows")]
    Unsupported,
    /// Windows: notifications are turned off for the app, for every app, or by the organisation.
    #[error("notifications are turned off in the system settings ({0})")]
    TurnedOff(&'static str),
}

/// Where "a code arrived" goes outside the window; tests record it instead.
pub trait Notifier: Send + Sync {
    /// Shows a notification; `sound` asks the notification service to play its message sound.
    /// Called on a worker thread: it may block on D-Bus.
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), NotifyError>;

    /// Whether notifications can be shown here, found without showing one. Blocking, like
    /// `notify`.
    fn check(&self) -> Result<(), NotifyError> {
        Ok(())
    }
}

pub type SharedNotifier = Arc<dyn Notifier>;

/// The desktop's notification service.
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), NotifyError> {
        imp::notify(summary, body, sound)
    }

    fn check(&self) -> Result<(), NotifyError> {
        imp::check()
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::collections::HashMap;

    use zbus::zvariant::Value;

    use super::NotifyError;

    pub fn notify(summary: &str, body: &str, sound: bool) -> Result<(), NotifyError> {
        let conn =
            zbus::blocking::Connection::session().map_err(|e| NotifyError::Service(Box::new(e)))?;
        let mut hints: HashMap<&str, Value<'_>> = HashMap::new();
        hints.insert("urgency", Value::U8(1));
        hints.insert("desktop-entry", Value::from(crate::APP_ID));
        if sound {
            hints.insert("sound-name", Value::from("message-new-instant"));
        }
        let actions: Vec<&str> = Vec::new();
        conn.call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "Notify",
            &(
                crate::APP_NAME,
                0u32,
                crate::APP_ID,
                summary,
                body,
                actions,
                hints,
                -1i32,
            ),
        )
        .map(|_| ())
        .map_err(|e| NotifyError::Service(Box::new(e)))
    }

    /// Asks the notification server who it is: answered only where one runs.
    pub fn check() -> Result<(), NotifyError> {
        let conn =
            zbus::blocking::Connection::session().map_err(|e| NotifyError::Service(Box::new(e)))?;
        conn.call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "GetServerInformation",
            &(),
        )
        .map(|_| ())
        .map_err(|e| NotifyError::Service(Box::new(e)))
    }
}

#[cfg(any(windows, target_os = "macos"))]
mod imp {
    use super::NotifyError;

    /// The system plays its own notification sound with a toast; `sound` cannot be chosen here.
    pub fn notify(summary: &str, body: &str, _sound: bool) -> Result<(), NotifyError> {
        notify_rust::Notification::new()
            .summary(summary)
            .body(body)
            .appname(crate::APP_NAME)
            .show()
            .map(|_| ())
            .map_err(|e| NotifyError::Service(Box::new(std::io::Error::other(e.to_string()))))
    }

    /// Windows: the toast service is asked for a notifier and whether it may show anything (no
    /// toast is shown). Windows without it (Wine, some server editions) answers an error here.
    #[cfg(windows)]
    pub fn check() -> Result<(), NotifyError> {
        use windows::UI::Notifications::{NotificationSetting, ToastNotificationManager};
        use windows::core::HSTRING;
        // The app id notify-rust shows toasts under (see packaging/README.md).
        let id = HSTRING::from(tauri_winrt_notification::Toast::POWERSHELL_APP_ID);
        let setting = ToastNotificationManager::CreateToastNotifierWithId(&id)
            .and_then(|notifier| notifier.Setting())
            .map_err(|e| NotifyError::Service(Box::new(e)))?;
        match setting {
            NotificationSetting::Enabled => Ok(()),
            NotificationSetting::DisabledForApplication => {
                Err(NotifyError::TurnedOff("for this app"))
            }
            NotificationSetting::DisabledForUser => Err(NotifyError::TurnedOff("for every app")),
            NotificationSetting::DisabledByGroupPolicy => {
                Err(NotifyError::TurnedOff("by your organisation"))
            }
            _ => Err(NotifyError::TurnedOff("by the system")),
        }
    }

    #[cfg(target_os = "macos")]
    pub fn check() -> Result<(), NotifyError> {
        Ok(())
    }
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
mod imp {
    use super::NotifyError;

    pub fn notify(_summary: &str, _body: &str, _sound: bool) -> Result<(), NotifyError> {
        Err(NotifyError::Unsupported)
    }

    pub fn check() -> Result<(), NotifyError> {
        Err(NotifyError::Unsupported)
    }
}
