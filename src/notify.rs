//! Desktop notifications when a code arrives (freedesktop notifications over D-Bus on Linux).
//! A missing notification service is logged, never shown as an error: the window still asks
//! for attention and the Orders tab counts new codes.

/// Shows a notification; `sound` asks the notification service to play its message sound.
pub fn notify(summary: &str, body: &str, sound: bool) -> Result<(), String> {
    imp::notify(summary, body, sound)
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
