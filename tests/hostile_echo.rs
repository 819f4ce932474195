//! Hostile input: a server whose error pages echo the request line, `api_key=…` included. The key
//! is on no screen, in no log file (debug level), in no database page and in no export.
//! (Its own test binary: it installs the process-wide log writer.)

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
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{Fault, SimConfig};

/// Characters a URL escapes, so the echo carries the encoded form too.
const SECRET: &str = "Echo/ed key+42 Zq7";
const WAIT: Duration = Duration::from_secs(15);

#[test]
fn an_error_page_echoing_the_key_shows_it_nowhere() {
    let dir = tempfile::tempdir().expect("dir");
    let guard = instaotp_desktop::platform::logging::init_with(
        dir.path(),
        tracing_subscriber::EnvFilter::new("debug"),
    );
    let config = SimConfig {
        accounts: vec![(SECRET.into(), "100".parse().expect("amount"))],
        code_delay: None,
        ..SimConfig::default()
    };
    let sim = sim_with(dir.path(), config, |_| {});
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.sign_in(SECRET);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| !h.state().orders().is_empty());

    // Status replies that echo the key: a 200 page kept raw on the order, then an error page
    // kept as the order's problem; both are saved to the database.
    sim.fault_once("getStatus", Fault::EchoRequest(200));
    t.run_until("raw reply kept", WAIT, |h| {
        h.state().orders()[0]
            .raw_reply
            .as_deref()
            .is_some_and(|r| r.contains("api_key="))
    });
    sim.set_fault("getStatus", Some(Fault::EchoRequest(400)));
    t.run_until("problem shown", WAIT, |h| {
        h.state().orders()[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("api_key="))
    });
    sim.set_fault("getStatus", None);
    // A purchase and a balance answered with an echo: messages on screen.
    sim.fault_once("getNumber", Fault::EchoRequest(500));
    let balance_reads = sim.count("getBalance");
    t.buy("whatsapp", "WhatsApp");
    // A 500 may hide a sale: "not confirmed", the page kept raw (masked) on the attempt.
    t.wait_for_text("Purchase not confirmed", WAIT);
    // The balance read after the purchase is back first, or the click finds the button busy.
    t.run_until("balance read after the purchase", WAIT, |h| {
        sim.count("getBalance") > balance_reads && h.state().is_idle()
    });
    sim.fault_once("getBalance", Fault::EchoRequest(403));
    t.click("⟳ Refresh balance");
    t.run_until("balance error", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains("error 403"))
    });

    let encoded: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let forms = [
        SECRET.to_owned(),
        encoded.clone(),
        encoded.replace('+', "%20"),
    ];
    let shown = t.app().visible_problems().join("\n");
    assert!(shown.contains("api_key="), "the echoes are shown: {shown}");
    for form in &forms {
        assert!(
            !shown.contains(form.as_str()),
            "screen shows {form}: {shown}"
        );
    }
    // The history export (orders as the app keeps them).
    let mut csv = Vec::new();
    instaotp_desktop::orders::export::write_csv(
        &mut csv,
        t.app().orders(),
        instaotp_desktop::app::describe::order_state_of,
    )
    .expect("csv");
    let csv = String::from_utf8_lossy(&csv).into_owned();

    drop(t);
    std::thread::sleep(Duration::from_millis(500));
    drop(guard);
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.iter().any(|p| p.to_string_lossy().contains("logs")));
    let mut texts = vec![("export".to_owned(), csv)];
    for path in files {
        if let Ok(bytes) = std::fs::read(&path) {
            texts.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    assert!(
        texts
            .iter()
            .any(|(p, t)| p.contains("orders.sqlite") && t.contains("api_key=")),
        "the database does hold the echoed page"
    );
    for (name, text) in texts {
        for form in &forms {
            assert!(!text.contains(form.as_str()), "{name} contains {form}");
        }
    }
}
