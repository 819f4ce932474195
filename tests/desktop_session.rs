//! The app's messages to the desktop, over a real D-Bus session: the notification when a code
//! arrives (with its sound) and the system "Save as" dialog through the desktop portal. Stand-in
//! services take the well-known names on a private session bus and record what they are sent.
//! Ignored by plain `cargo test`; `.ci/run` runs them inside `dbus-run-session`.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use instaotp_desktop::platform::file_dialog::{SaveChoice, SaveDialog, SystemSaveDialog};
use instaotp_desktop::platform::notify::{DesktopNotifier, Notifier};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

/// One `Notify` call as the notification service received it.
#[derive(Debug, Clone)]
struct Received {
    app_name: String,
    summary: String,
    body: String,
    sound_name: Option<String>,
}

struct NotificationService {
    received: Arc<Mutex<Vec<Received>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl NotificationService {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let sound_name = hints
            .get("sound-name")
            .and_then(|v| String::try_from(v.clone()).ok());
        let mut received = self.received.lock().unwrap();
        received.push(Received {
            app_name,
            summary,
            body,
            sound_name,
        });
        received.len() as u32
    }

    /// Name, vendor, version, specification version: what the app's start-up check asks.
    fn get_server_information(&self) -> (String, String, String, String) {
        ("stand-in".into(), "tests".into(), "1".into(), "1.2".into())
    }
}

#[test]
#[ignore = "needs a D-Bus session; run by .ci/run"]
fn a_code_notification_reaches_the_desktop_with_its_sound() {
    // No notification service yet: an error the app logs, not a panic.
    let missing = DesktopNotifier.notify("WhatsApp: code 1", "SMS received", true);
    assert!(missing.is_err(), "{missing:?}");
    // The start-up check tells the same without showing anything.
    let checked = DesktopNotifier.check();
    assert!(checked.is_err(), "{checked:?}");

    let received = Arc::new(Mutex::new(Vec::new()));
    let _service = zbus::blocking::connection::Builder::session()
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at(
            "/org/freedesktop/Notifications",
            NotificationService {
                received: received.clone(),
            },
        )
        .unwrap()
        .build()
        .unwrap();

    let notifier = DesktopNotifier;
    notifier.check().expect("the service answers the check");
    notifier
        .notify(
            "WhatsApp: code 482913",
            "SMS received on +919000000001",
            true,
        )
        .expect("notification sent");
    notifier
        .notify(
            "Telegram: code 1234",
            "SMS received on +919000000002",
            false,
        )
        .expect("notification sent");

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "{received:?}");
    assert_eq!(received[0].app_name, "InstaOTP Desktop");
    assert_eq!(received[0].summary, "WhatsApp: code 482913");
    assert_eq!(received[0].body, "SMS received on +919000000001");
    assert_eq!(
        received[0].sound_name.as_deref(),
        Some("message-new-instant")
    );
    assert_eq!(received[1].sound_name, None, "no sound when it is off");
}

/// The title and options of one `SaveFile` call.
type Asked = Arc<Mutex<Vec<(String, HashMap<String, OwnedValue>)>>>;

/// What the file chooser was asked, and the file it answers with.
struct FileChooserPortal {
    /// One answer per call: a file, or `None` for Cancel.
    answers: Mutex<Vec<Option<PathBuf>>>,
    asked: Asked,
}

#[zbus::interface(name = "org.freedesktop.portal.FileChooser")]
impl FileChooserPortal {
    #[zbus(property, name = "version")]
    fn version(&self) -> u32 {
        3
    }

    fn save_file(
        &self,
        _parent_window: String,
        title: String,
        options: HashMap<String, OwnedValue>,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) -> OwnedObjectPath {
        // The request path is made of the caller's name and its token, as the portal spec says.
        let sender = header
            .sender()
            .map(|s| s.trim_start_matches(':').replace('.', "_"))
            .unwrap_or_default();
        let token = options
            .get("handle_token")
            .and_then(|v| String::try_from(v.clone()).ok())
            .unwrap_or_default();
        let path = format!("/org/freedesktop/portal/desktop/request/{sender}/{token}");
        self.asked.lock().unwrap().push((title, options));
        // The user's answer comes later, as a signal on the request object.
        let answer = self.answers.lock().unwrap().remove(0);
        let signal_path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            let conn = PORTAL.lock().unwrap().clone().expect("portal connection");
            let mut results: HashMap<&str, Value<'_>> = HashMap::new();
            let code: u32 = match &answer {
                Some(p) => {
                    results.insert("uris", Value::from(vec![format!("file://{}", p.display())]));
                    0
                }
                None => 1,
            };
            conn.emit_signal(
                None::<()>,
                signal_path.as_str(),
                "org.freedesktop.portal.Request",
                "Response",
                &(code, results),
            )
            .expect("response sent");
        });
        OwnedObjectPath::try_from(path).expect("object path")
    }
}

/// The stand-in portal's connection, for the thread that answers later.
static PORTAL: Mutex<Option<zbus::blocking::Connection>> = Mutex::new(None);

#[test]
#[ignore = "needs a D-Bus session; run by .ci/run"]
fn the_save_dialog_asks_the_desktop_portal() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let dir = tempfile::tempdir().unwrap();
    let chosen = dir.path().join("chosen name.csv");
    let conn = zbus::blocking::connection::Builder::session()
        .unwrap()
        .name("org.freedesktop.portal.Desktop")
        .unwrap()
        .build()
        .unwrap();
    *PORTAL.lock().unwrap() = Some(conn.clone());
    // A portal without a file chooser (some desktops run one): no system dialog, so the app's
    // own opens, unless zenity can show one.
    let zenity = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("zenity").is_file()));
    if !zenity {
        let suggested = dir.path().join("x.csv");
        assert_eq!(save_as(&suggested), SaveChoice::Unavailable);
    }
    conn.object_server()
        .at(
            "/org/freedesktop/portal/desktop",
            FileChooserPortal {
                answers: Mutex::new(vec![Some(chosen.clone()), None]),
                asked: asked.clone(),
            },
        )
        .unwrap();

    let suggested = dir.path().join("instaotp-history-2026-11-30.csv");
    assert_eq!(save_as(&suggested), SaveChoice::Chosen(chosen));
    assert_eq!(save_as(&suggested), SaveChoice::Cancelled);

    let asked = asked.lock().unwrap();
    assert_eq!(asked.len(), 2);
    let (title, options) = &asked[0];
    assert_eq!(title, "Save the history as CSV");
    let name = options
        .get("current_name")
        .and_then(|v| String::try_from(v.clone()).ok());
    assert_eq!(name.as_deref(), Some("instaotp-history-2026-11-30.csv"));
    // The folder travels as bytes ending in NUL.
    let folder = options
        .get("current_folder")
        .and_then(|v| Vec::<u8>::try_from(v.clone()).ok())
        .unwrap_or_default();
    let mut expected = dir.path().as_os_str().as_encoded_bytes().to_vec();
    expected.push(0);
    assert_eq!(folder, expected);
}

/// The dialog on its own thread, so a portal that never answers fails the test instead of
/// hanging it.
fn save_as(suggested: &std::path::Path) -> SaveChoice {
    let (tx, rx) = std::sync::mpsc::channel();
    let suggested = suggested.to_path_buf();
    std::thread::spawn(move || {
        let _unused = tx.send(SystemSaveDialog.save_as("Save the history as CSV", &suggested));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the dialog answered within 20 s")
}
