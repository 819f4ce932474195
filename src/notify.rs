//! Desktop notifications when a code arrives (freedesktop notifications over D-Bus on Linux).
//! A missing notification service is logged, never shown as an error: the window still asks
//! for attention and the Orders tab counts new codes.

use std::sync::{Arc, Mutex};

/// Where "a code arrived" goes outside the window; tests record it instead.
pub trait Notifier: Send + Sync {
    /// Shows a notification; `sound` asks the notification service to play its message sound.
    /// Called on a worker thread: it may block on D-Bus.
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), String>;
}

pub type SharedNotifier = Arc<dyn Notifier>;

/// The desktop's notification service.
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), String> {
        imp::notify(summary, body, sound)
    }
}

/// One notification as it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub summary: String,
    pub body: String,
    pub sound: bool,
}

/// Keeps every notification instead of showing it, for tests.
#[derive(Default)]
pub struct RecordingNotifier {
    sent: Mutex<Vec<Sent>>,
}

impl RecordingNotifier {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, summary: &str, body: &str, sound: bool) -> Result<(), String> {
        let mut sent = self.sent.lock().map_err(|e| e.to_string())?;
        sent.push(Sent {
            summary: summary.to_owned(),
            body: body.to_owned(),
            sound,
        });
        Ok(())
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::collections::HashMap;

    use zbus::zvariant::Value;

    pub fn notify(summary: &str, body: &str, sound: bool) -> Result<(), String> {
        let conn = zbus::blocking::Connection::session().map_err(|e| e.to_string())?;
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
        .map_err(|e| e.to_string())
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn notify(_summary: &str, _body: &str, _sound: bool) -> Result<(), String> {
        Err(
            "desktop notifications are only sent on Linux; the window asks for attention instead"
                .into(),
        )
    }
}
