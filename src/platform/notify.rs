//! Desktop notifications when a code arrives: freedesktop notifications over D-Bus on Linux,
//! the system's own service elsewhere (notify-rust: Windows toasts, macOS notification centre).
//! A missing notification service is logged, never shown as an error: the window still asks
//! for attention and the Orders tab counts new codes.

use std::sync::Arc;

use thiserror::Error;

/// Why a notification was not shown; the window still asks for attention.
#[derive(Debug, Error)]
pub enum NotifyError {
    #[error("the notification service did not answer: {0}")]
    Service(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error(
        "this system has no notification service the app knows; the window asks for attention instead"
    )]
    Unsupported,
}

/// Where "a code arrived" goes outside the window; tests record it instead.
pub trait Notifier: Send + Sync {
    /// Shows a notification; `sound` asks the notification service to play its message sound.
    /// Called on a worker thread: it may block on D-Bus.
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), NotifyError>;
}

pub type SharedNotifier = Arc<dyn Notifier>;

/// The desktop's notification service.
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), NotifyError> {
        imp::notify(summary, body, sound)
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
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
mod imp {
    use super::NotifyError;

    pub fn notify(_summary: &str, _body: &str, _sound: bool) -> Result<(), NotifyError> {
        Err(NotifyError::Unsupported)
    }
}
