//! The orders database grows up: a damaged file is set aside (and the person told where), rows a
//! newer version wrote are counted and left alone, and the offers last listed are shown while
//! InstaOTP cannot be reached.

use std::time::Duration;

use crate::common::{TestApp, dead_url, sim_with};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::orders::OrderStore;
use instaotp_desktop::sim::SimConfig;

const WAIT: Duration = Duration::from_secs(20);

fn notices_contain(t: &TestApp, text: &str) -> bool {
    notices_contain_h(t.app(), text)
}

fn notices_contain_h(app: &instaotp_desktop::App, text: &str) -> bool {
    app.session()
        .is_some_and(|s| s.notices().iter().any(|m| m.contains(text)))
}

#[test]
fn a_damaged_orders_file_is_set_aside_and_the_person_told_where() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim_with(dir, SimConfig::default(), |_| {});
    std::fs::write(dir.join("orders.sqlite"), vec![0xA5_u8; 8192]).unwrap();
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("told in a card", WAIT, |h| {
        h.state()
            .session()
            .is_some_and(|s| s.notices().iter().any(|m| m.contains("was damaged")))
    });
    assert_eq!(
        t.app().tab(),
        instaotp_desktop::app::Tab::Orders,
        "shown at once"
    );
    let aside: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("orders-damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(
        notices_contain(&t, &aside[0]),
        "{:?}",
        t.app().visible_problems()
    );
    assert!(
        !t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("was damaged")),
        "a notice about orders is a card, never a passing message"
    );
    // Read and dismissed: gone.
    t.wait_for_text("I have read this", WAIT);
    t.click("I have read this");
    t.run_until("dismissed", WAIT, |h| {
        h.state().session().is_some_and(|s| s.notices().is_empty())
    });
    // A new database works: a purchase is kept.
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| !h.state().orders().is_empty());
}

#[test]
fn orders_a_newer_version_saved_are_counted_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim_with(dir, SimConfig::default(), |_| {});
    let path = dir.join("orders.sqlite");
    drop(OrderStore::open(&path).unwrap());
    let newer = r#"{"schema": 9, "order": "in a shape this version does not know"}"#;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for id in ["9001", "9002"] {
            conn.execute(
                "INSERT INTO orders (order_id, bought_at, active, data) VALUES (?1, 1, 1, ?2)",
                rusqlite::params![id, newer],
            )
            .unwrap();
        }
    }
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("told", WAIT, |h| {
        notices_contain_h(h.state(), "2 orders were saved by a newer version")
    });
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| !h.state().orders().is_empty());
    drop(t);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM orders WHERE data = ?1",
            rusqlite::params![newer],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 2, "left as they were");
}

#[test]
fn the_offers_last_listed_show_while_instaotp_cannot_be_reached() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim_with(dir, SimConfig::default(), |_| {});
    let t = TestApp::signed_in(dir, &sim);
    let listed = t.app().shown_offer_count();
    assert!(listed > 0);
    // The offers are kept in the background once listed.
    let start = std::time::Instant::now();
    while OrderStore::open(&dir.join("orders.sqlite"))
        .unwrap()
        .saved_offers()
        .unwrap()
        .is_none()
    {
        assert!(start.elapsed() < WAIT, "offers never kept");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(t);
    drop(sim);

    let mut t = TestApp::with_saved_key(dir, &dead_url());
    t.run_until("kept offers shown", WAIT, |h| {
        h.state().shown_offer_count() == listed
    });
    t.wait_for_text("prices as of", WAIT);
    assert!(
        t.harness
            .query_all_by_label_contains("Buy WhatsApp")
            .next()
            .is_some()
    );
}
