//! Frugality kept: an idle window asks for no frames; countdowns cost about one frame a second;
//! orders polled in the background wake no tab whose content does not change.
//! The loop below behaves like eframe: it paints only when the app asked for a repaint, and only
//! when the time asked for has come.

use std::time::Duration;

use crate::common::{TestApp, fast_sim, frames_over};
use instaotp_desktop::api::{ApiKey, Client, ClientConfig};
use instaotp_desktop::app::{Screen, Tab};
use instaotp_desktop::orders::{Order, OrderStore, now_millis};

fn ready(t: &mut TestApp) {
    t.run_until("main screen", Duration::from_secs(10), |h| {
        h.state().screen() == Screen::Main
    });
    t.wait_for_offers();
    t.run_until("idle", Duration::from_secs(10), |h| h.state().is_idle());
    t.harness.run_steps(3);
}

#[test]
fn idle_with_no_orders_paints_nothing_for_ten_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    ready(&mut t);
    let frames = frames_over(&mut t, Duration::from_secs(10));
    // The "updated …" labels may change once in a minute; nothing else may ask.
    assert!(frames <= 1, "{frames} frames in 10 s while idle");
}

#[test]
fn countdowns_cost_about_one_frame_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    ready(&mut t);
    t.open_buy("whatsapp", "WhatsApp");
    t.confirm_buy();
    t.run_until("order", Duration::from_secs(10), |h| {
        !h.state().orders().is_empty()
    });
    t.run_until("idle", Duration::from_secs(10), |h| h.state().is_idle());
    // Right after the purchase (measured: 11): a tick a second, one more for where the six
    // seconds fall, one for a poll's answer (a new "checked" time), two for the purchase's note
    // (dimmed, then gone) and two for egui's styling of the widgets that moved up after it.
    let frames = frames_over(&mut t, Duration::from_secs(6));
    assert!(frames <= 12, "{frames} frames in 6 s with a countdown");
    assert!(
        frames >= 4,
        "the countdown must tick ({frames} frames in 6 s)"
    );
}

#[test]
fn with_five_orders_polled_the_services_tab_draws_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    // Five open orders bought on the simulator, in the app's database before it starts.
    let client = Client::new(ClientConfig::new(
        sim.url(),
        ApiKey::new(crate::common::KEY),
    ))
    .unwrap();
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    for _ in 0..5 {
        let purchase = crate::common::RUNTIME
            .block_on(client.buy("vk", "22", "1"))
            .unwrap();
        let order = Order::new(&crate::common::test_offer("VK"), purchase, now_millis());
        store.save(&order).unwrap();
    }
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    ready(&mut t);
    if t.app().tab() != Tab::Services {
        t.click_tab("Services");
    }
    t.harness.run_steps(3);
    let polls = sim.count("getStatus");
    let frames = frames_over(&mut t, Duration::from_secs(10));
    // Polled every 3 s meanwhile, and the window was not woken for it.
    assert!(
        sim.count("getStatus") >= polls + 10,
        "polled: {} then {}",
        polls,
        sim.count("getStatus")
    );
    assert!(frames <= 1, "{frames} frames in 10 s on Services");
}
