//! Installing a new version in place (as on Windows), against a local feed and download server:
//! the installer is fetched in the background, checked against the signed feed's size and
//! SHA-256, and run only when the person says so (asked first while numbers wait for their
//! code). A file that does not match is deleted and never run; a download cut off goes on where
//! it stopped; the next start says what became of the update.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{KEY, TestApp, fast_sim, start_app_configured};
use crate::feed_server::{FeedServer, signed_files};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::updates::UpdateSource;
use sha2::{Digest, Sha256};

const WAIT: Duration = Duration::from_secs(20);
const NEW: &str = "99.0.0";

/// The installer's bytes: big enough to come in several pieces.
fn installer_bytes() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 251) as u8).collect()
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A signed feed for version `NEW` whose installer entry says `size` and `sha256`, on a server
/// of its own; `installer` is served by the returned server. Returns it, the feed's address and
/// the public key.
fn serve(installer: Vec<u8>, size: usize, sha256: &str) -> (FeedServer, String, String) {
    let downloads = FeedServer::start(HashMap::new(), installer);
    let feed = format!(
        r#"{{"version":"{NEW}","date":"2026-12-06","notes":"Codes show sooner.","page":"http://127.0.0.1:1/download","platforms":[{{"platform":"linux-deb","url":"{}/setup.exe","size":{size},"sha256":"{sha256}"}}]}}"#,
        downloads.url
    )
    .into_bytes();
    let (files, key) = signed_files(&feed, false);
    let feeds = FeedServer::start(files, Vec::new());
    (downloads, feeds.url, key)
}

/// The app, installing in place, with the installer's runs recorded instead of done.
fn app(
    dir: &Path,
    sim_url: &str,
    feed_url: &str,
    key: String,
) -> (TestApp, Arc<Mutex<Vec<PathBuf>>>) {
    app_sized(dir, sim_url, feed_url, key, egui::vec2(1200.0, 800.0))
}

fn app_sized(
    dir: &Path,
    sim_url: &str,
    feed_url: &str,
    key: String,
    size: egui::Vec2,
) -> (TestApp, Arc<Mutex<Vec<PathBuf>>>) {
    let runs: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let recorded = runs.clone();
    let source = UpdateSource {
        feed_url: Some(format!("{feed_url}/feed.json")),
        public_key: Some(key),
    };
    let mut t = start_app_configured(
        dir,
        sim_url,
        Arc::new(MemoryKeychain::with_key(KEY)),
        Vec::new(),
        size,
        move |c| {
            c.updates = source;
            c.install_in_place = true;
            c.run_installer = Arc::new(move |path: &Path| {
                recorded.lock().unwrap().push(path.to_path_buf());
                Ok(())
            });
        },
    );
    t.run_until("main screen", WAIT, |h| {
        h.state().screen() == instaotp_desktop::app::Screen::Main
    });
    (t, runs)
}

fn pending_note(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join("update-pending.json")).ok()
}

#[test]
fn a_verified_installer_is_run_only_when_the_person_agrees_and_numbers_waiting_ask_first() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let bytes = installer_bytes();
    let (_server, feed, key) = serve(bytes.clone(), bytes.len(), &hex_sha256(&bytes));
    let (mut t, runs) = app(dir.path(), &sim.url(), &feed, key);
    t.wait_for_text(&format!("Version {NEW} is ready to install"), WAIT);
    // A number waiting for its code: the restart asks first.
    t.wait_for_offers();
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| {
        h.state().orders().iter().any(|o| o.is_watched())
    });
    t.click("Restart to update");
    t.wait_for_text("1 number is still waiting for its code", WAIT);
    t.click("Not now");
    t.run_for(Duration::from_millis(300));
    assert!(runs.lock().unwrap().is_empty(), "not run without a yes");
    assert_eq!(pending_note(dir.path()), None);
    t.click("Restart to update");
    t.click("Restart and update");
    t.run_until("installer started", WAIT, |_| {
        !runs.lock().unwrap().is_empty()
    });
    let run = runs.lock().unwrap().clone();
    assert_eq!(run.len(), 1, "run once");
    assert_eq!(
        std::fs::read(&run[0]).unwrap(),
        bytes,
        "the file the feed describes"
    );
    let note = pending_note(dir.path()).expect("the next start is told");
    assert!(
        note.contains(NEW) && note.contains("Codes show sooner."),
        "{note}"
    );
    assert!(!note.contains(KEY));
}

/// (what is wrong with the file) → deleted, never run, said in Settings.
#[test]
fn a_file_that_is_not_the_one_the_feed_describes_is_deleted_and_never_run() {
    let bytes = installer_bytes();
    let cases = [
        ("another file", bytes.len(), hex_sha256(b"something else")),
        ("longer than said", bytes.len() - 10, hex_sha256(&bytes)),
    ];
    for (what, size, sha) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
        let (_server, feed, key) = serve(bytes.clone(), size, &sha);
        let (mut t, runs) = app(dir.path(), &sim.url(), &feed, key);
        t.click_tab("Settings");
        t.wait_for_text("did not check out, so it was deleted", WAIT);
        assert!(!t.has_text("Restart to update"), "{what}");
        assert!(runs.lock().unwrap().is_empty(), "{what}: never run");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("updates"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{what}: nothing kept: {left:?}");
        assert_eq!(pending_note(dir.path()), None, "{what}");
    }
}

#[test]
fn a_download_cut_off_goes_on_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let bytes = installer_bytes();
    let (server, feed, key) = serve(bytes.clone(), bytes.len(), &hex_sha256(&bytes));
    server.cut.store(true, Ordering::SeqCst);
    let (mut t, runs) = app(dir.path(), &sim.url(), &feed, key);
    t.click_tab("Settings");
    t.wait_for_text("did not finish downloading", WAIT);
    assert!(!t.has_text("Restart to update"));
    let part = std::fs::metadata(
        dir.path()
            .join("updates")
            .join(format!("InstaOTP-Desktop-{NEW}-setup.exe.part")),
    )
    .unwrap()
    .len();
    assert_eq!(part, bytes.len() as u64 / 2, "the half that came is kept");
    t.click("Check for updates");
    t.wait_for_text(&format!("Version {NEW} is ready to install"), WAIT);
    let asked = server.installer_requests();
    assert_eq!(asked.len(), 2, "{asked:?}");
    for head in &asked {
        assert!(
            !head.contains(KEY),
            "the key went with the download: {head}"
        );
    }
    assert!(
        asked[1]
            .to_ascii_lowercase()
            .contains(&format!("range: bytes={part}-")),
        "the second asks for the rest: {}",
        asked[1]
    );
    // In Settings and on the status line: either starts it.
    t.harness
        .get_all_by_label("Restart to update")
        .next()
        .unwrap()
        .click();
    t.run_until("installer started", WAIT, |_| {
        !runs.lock().unwrap().is_empty()
    });
    let run = runs.lock().unwrap()[0].clone();
    assert_eq!(std::fs::read(run).unwrap(), bytes, "whole and in order");
}

/// (the version the last run was installing) → what this start says.
#[test]
fn the_start_after_an_update_says_what_became_of_it() {
    let current = env!("CARGO_PKG_VERSION");
    let cases = [
        (
            current.to_owned(),
            format!("Updated to {current} — what's new: Faster."),
        ),
        (
            NEW.to_owned(),
            format!("The update to {NEW} was not installed; version {current} is still running."),
        ),
    ];
    for (installing, said) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
        std::fs::write(
            dir.path().join("update-pending.json"),
            format!(r#"{{"version":"{installing}","notes":"Faster."}}"#),
        )
        .unwrap();
        let mut t = start_app_configured(
            dir.path(),
            &sim.url(),
            Arc::new(MemoryKeychain::with_key(KEY)),
            Vec::new(),
            egui::vec2(1200.0, 800.0),
            |_| {},
        );
        t.run_until("said", WAIT, |h| {
            h.state().message_texts().iter().any(|m| m.contains(&said))
        });
        assert_eq!(pending_note(dir.path()), None, "told once");
    }
}

/// The ready notice, Settings' section and the restart question fit the smallest window at the
/// largest text.
#[test]
fn the_update_screens_fit_800_by_600_at_text_size_1_6() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    crate::common::write_settings(dir.path(), |s| {
        s.cancel_lock_secs = 120;
        s.text_scale = 1.6;
    });
    let bytes = installer_bytes();
    let (_server, feed, key) = serve(bytes.clone(), bytes.len(), &hex_sha256(&bytes));
    let size = egui::vec2(800.0, 600.0);
    let (mut t, _runs) = app_sized(dir.path(), &sim.url(), &feed, key, size);
    t.wait_for_text(&format!("Version {NEW} is ready to install"), WAIT);
    // The offers may come after the notice: checked once their table has its widths.
    t.settle_offers();
    crate::layout::check(&mut t, "the ready notice", &["Restart to update"]);
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| {
        h.state().orders().iter().any(|o| o.is_watched())
    });
    t.click("Restart to update");
    t.wait_for_text("still waiting for its code", WAIT);
    crate::layout::check(
        &mut t,
        "the restart question",
        &["Restart and update", "Not now"],
    );
}

/// The installer is checked again just before it runs: a file changed on disk since its
/// download is deleted, never run, and this version keeps running.
#[test]
fn an_installer_changed_on_disk_after_its_check_is_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    crate::common::write_settings(dir.path(), |s| {
        s.cancel_lock_secs = 120;
        s.auto_update_check = false;
    });
    let bytes = installer_bytes();
    let (_server, feed, key) = serve(bytes.clone(), bytes.len(), &hex_sha256(&bytes));
    let (mut t, runs) = app(dir.path(), &sim.url(), &feed, key);
    t.click_tab("Settings");
    t.click("Check for updates");
    t.wait_for_text(&format!("Version {NEW} is ready to install"), WAIT);
    let installer = dir
        .path()
        .join("updates")
        .join(format!("InstaOTP-Desktop-{NEW}-setup.exe"));
    let mut changed = bytes.clone();
    changed[1000] ^= 0xff;
    std::fs::write(&installer, &changed).unwrap();
    t.harness
        .get_all_by_label("Restart to update")
        .next()
        .unwrap()
        .click();
    t.run_until("said", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains("this version keeps running"))
    });
    assert!(runs.lock().unwrap().is_empty(), "never run");
    assert!(!installer.exists(), "deleted");
    assert_eq!(pending_note(dir.path()), None);
    assert!(!t.has_text("Restart to update"));
}
