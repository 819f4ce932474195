//! New versions, against a local release feed on 127.0.0.1: a newer signed version is offered
//! quietly; a bad signature, an older version and an unreachable feed offer nothing and leave the
//! app as it is; no look while a purchase is out; turning the daily look off stops it. Nothing
//! of the person's is sent.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{KEY, TestApp, fast_sim, start_app_configured};
use crate::feed_server::{FeedServer, signed_files};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::Fault;
use instaotp_desktop::updates::UpdateSource;

const WAIT: Duration = Duration::from_secs(20);

/// A feed for `version`, signed with a fresh key; `sign_with_other` signs it with another key
/// than the one the app is given.
fn signed_feed(version: &str, sign_with_other: bool) -> (HashMap<String, Vec<u8>>, String) {
    signed_feed_with_notes(version, sign_with_other, "Codes show sooner.")
}

fn signed_feed_with_notes(
    version: &str,
    sign_with_other: bool,
    notes: &str,
) -> (HashMap<String, Vec<u8>>, String) {
    let feed = format!(
        r#"{{"version":"{version}","date":"2026-12-06","notes":"{notes}","page":"http://127.0.0.1:1/download","platforms":[{{"platform":"linux-deb","url":"http://127.0.0.1:1/a.deb","size":10,"sha256":"00"}}]}}"#
    )
    .into_bytes();
    signed_files(&feed, sign_with_other)
}

fn app(dir: &std::path::Path, sim_url: &str, feed: Option<(&FeedServer, String)>) -> TestApp {
    let source = feed.map_or_else(UpdateSource::default, |(server, key)| UpdateSource {
        feed_url: Some(format!("{}/feed.json", server.url)),
        public_key: Some(key),
    });
    let mut t = start_app_configured(
        dir,
        sim_url,
        Arc::new(MemoryKeychain::with_key(KEY)),
        Vec::new(),
        egui::vec2(1200.0, 800.0),
        move |c| c.updates = source,
    );
    t.run_until("main screen", WAIT, |h| {
        h.state().screen() == instaotp_desktop::app::Screen::Main
    });
    t
}

/// Words from the feed are masked like any server's: a key in them is never shown.
#[test]
fn the_feeds_words_never_show_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let (files, key) = signed_feed_with_notes("99.0.0", false, &format!("Fixed: {KEY} leak."));
    let server = FeedServer::start(files, Vec::new());
    let mut t = app(dir.path(), &sim.url(), Some((&server, key)));
    t.wait_for_text("Version 99.0.0 is available", WAIT);
    t.click_tab("Settings");
    t.wait_for_text("What's new: Fixed:", WAIT);
    assert!(!t.has_text(KEY), "the key is shown");
}

/// The notice fits the smallest window at the largest text.
#[test]
fn the_notice_of_a_new_version_fits_800_by_600_at_text_size_1_6() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    crate::common::write_settings(dir.path(), |s| {
        s.cancel_lock_secs = 120;
        s.text_scale = 1.6;
    });
    let (files, key) = signed_feed("99.0.0", false);
    let server = FeedServer::start(files, Vec::new());
    let source = UpdateSource {
        feed_url: Some(format!("{}/feed.json", server.url)),
        public_key: Some(key),
    };
    let mut t = start_app_configured(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::with_key(KEY)),
        Vec::new(),
        egui::vec2(800.0, 600.0),
        move |c| c.updates = source,
    );
    t.wait_for_text("Version 99.0.0 is available", WAIT);
    // The offers may come after the notice: checked once their table has its widths.
    t.settle_offers();
    crate::layout::check(
        &mut t,
        "the notice at 800×600, 1.6",
        &["Open download page", "Settings"],
    );
}

#[test]
fn a_newer_signed_version_is_offered_quietly_and_nothing_of_the_person_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let (files, key) = signed_feed("99.0.0", false);
    let server = FeedServer::start(files, Vec::new());
    let mut t = app(dir.path(), &sim.url(), Some((&server, key)));
    t.wait_for_text("Version 99.0.0 is available", WAIT);
    assert!(
        t.has_text("Open download page"),
        "the quiet line at the bottom"
    );
    t.click_tab("Settings");
    t.wait_for_text("What's new: Codes show sooner.", WAIT);
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "the feed and its signature: {requests:?}"
    );
    for head in &requests {
        assert!(!head.contains(KEY), "the key was sent: {head}");
        let agent = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("user-agent:"))
            .unwrap_or_default();
        assert!(
            agent.contains(env!("CARGO_PKG_VERSION")) && agent.contains("linux"),
            "{agent}"
        );
    }
}

/// (what the feed is) → what Settings says after a look; never "available".
#[test]
fn a_bad_signature_an_older_version_or_no_feed_offer_nothing() {
    /// (what, the feed's version and whether another key signed it, what Settings says)
    type Case = (&'static str, Option<(&'static str, bool)>, &'static str);
    let cases: [Case; 3] = [
        (
            "signed with another key",
            Some(("99.0.0", true)),
            "did not check out",
        ),
        (
            "an older version",
            Some(("0.0.1", false)),
            "This is the newest version.",
        ),
        ("unreachable", None, "Could not look for a new version now"),
    ];
    for (what, feed, said) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
        let (server, key) = match feed {
            Some((version, other)) => {
                let (files, key) = signed_feed(version, other);
                (FeedServer::start(files, Vec::new()), key)
            }
            None => {
                // A server that serves nothing: the feed is not there.
                (
                    FeedServer::start(HashMap::new(), Vec::new()),
                    "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3".to_owned(),
                )
            }
        };
        let mut t = app(dir.path(), &sim.url(), Some((&server, key)));
        t.click_tab("Settings");
        t.wait_for_text(said, WAIT);
        assert!(!t.has_text("is available"), "{what}: nothing offered");
        assert!(!t.has_text("Open download page"), "{what}");
    }
}

#[test]
fn no_look_while_a_purchase_is_out_and_none_when_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    crate::common::write_settings(dir.path(), |s| {
        s.cancel_lock_secs = 120;
        s.poll_interval_secs = 3;
        s.auto_update_check = false;
    });
    let (files, key) = signed_feed("99.0.0", false);
    let server = FeedServer::start(files, Vec::new());
    let mut t = app(dir.path(), &sim.url(), Some((&server, key)));
    t.wait_for_offers();
    t.run_for(Duration::from_secs(1));
    assert!(server.requests().is_empty(), "turned off: no look at start");

    // A purchase out (its reply takes 3 s): "Check for updates" waits for it.
    sim.set_fault("getNumber", Some(Fault::Slow(Duration::from_secs(3))));
    t.run_until("orders database open", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("the purchase out", WAIT, |h| h.state().is_buying());
    t.click_tab("Settings");
    t.click("Check for updates");
    t.run_for(Duration::from_millis(500));
    assert!(
        server.requests().is_empty(),
        "no look while a purchase is out"
    );
    t.run_until("the purchase answered", WAIT, |h| !h.state().is_buying());
    // The number bought shows Orders; back to Settings.
    t.click_tab("Settings");
    t.click("Check for updates");
    t.wait_for_text("Version 99.0.0 is available", WAIT);
    assert_eq!(server.requests().len(), 2);
}
