//! Secret hygiene: after a whole session with a known key, the key is in no file of the data
//! folder (settings, orders, logs), in no message shown, and in no `Debug` output.

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

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{files_under, sim_with, start_app};
use instaotp_desktop::api::{ApiKey, Client, ClientConfig};
use instaotp_desktop::app::Screen;
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{Fault, SimConfig};

const SECRET: &str = "Zq7-very-secret-key-0042";
const WAIT: Duration = Duration::from_secs(15);

#[test]
fn the_key_leaks_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let _guard = instaotp_desktop::platform::logging::init_with(
        dir.path(),
        tracing_subscriber::EnvFilter::new("debug"),
    );
    let config = SimConfig {
        accounts: vec![(SECRET.into(), "100".parse().unwrap())],
        code_delay: Some(Duration::from_millis(100)),
        cancel_lock: Duration::from_secs(1),
        ..SimConfig::default()
    };
    let sim = sim_with(dir.path(), config, |_| {});
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.sign_in(SECRET);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    // A purchase, a code, errors of every kind along the way.
    sim.fault_once("getBalance", Fault::ServerError);
    sim.fault_once("getStatus", Fault::Garbage);
    t.open_buy("whatsapp", "WhatsApp");
    t.confirm_buy();
    t.run_until("code", WAIT, |h| {
        h.state().orders().first().is_some_and(|o| o.code.is_some())
    });
    t.click("Finish");
    t.run_until("finished", WAIT, |h| !h.state().orders()[0].is_active());
    sim.fault_once(
        "getNumber",
        Fault::Reply {
            status: 500,
            body: "<html>boom</html>".into(),
        },
    );
    t.click_tab("Services");
    t.open_buy("whatsapp", "WhatsApp");
    t.confirm_buy();
    // A 500 page may hide a sale: the purchase is "not confirmed", with the page shown raw.
    t.wait_for_text("Purchase not confirmed", WAIT);
    assert_eq!(t.app().screen(), Screen::Main);

    for text in t.app().message_texts() {
        assert!(!text.contains(SECRET), "message shows the key: {text}");
    }
    drop(t);
    // Background writers finish their last write.
    std::thread::sleep(Duration::from_millis(500));
    drop(_guard);
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(
        files.iter().any(|p| p.to_string_lossy().contains("logs")),
        "a log was written"
    );
    assert!(
        files
            .iter()
            .any(|p| p.to_string_lossy().ends_with("orders.sqlite"))
    );
    for path in files {
        // SQLite removes its -wal/-shm files when the last connection closes (their content is
        // then in the database file, which is read too).
        let Ok(bytes) = std::fs::read(&path) else {
            assert!(
                path.to_string_lossy().contains("sqlite-"),
                "{} unreadable",
                path.display()
            );
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET),
            "{} contains the key",
            path.display()
        );
    }
    let client = Client::new(ClientConfig::new(sim.url(), ApiKey::new(SECRET))).unwrap();
    assert!(
        !format!("{client:?} {:?} {:?}", client.config(), ApiKey::new(SECRET)).contains(SECRET)
    );
}
