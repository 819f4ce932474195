//! Polling many orders with one request: where InstaOTP answers `getActiveActivations`, one list
//! brings every order's code and no order is asked on its own (except one the list no longer
//! names, to learn how it ended); where it does not, the list is asked once and each order is
//! asked with `getStatus`.

use std::time::Duration;

use crate::common::{KEY, RUNTIME, TestApp, sim_with, test_offer};
use instaotp_desktop::api::{ApiKey, Client, ClientConfig, SetAction};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use instaotp_desktop::sim::{SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(20);
const ORDERS: usize = 5;

/// A simulator without automatic codes and five orders bought on it, in the app's database.
fn five_open_orders(dir: &std::path::Path) -> (Simulator, Client, Vec<String>) {
    let sim = sim_with(
        dir,
        SimConfig {
            code_delay: None,
            cancel_lock: Duration::ZERO,
            ..SimConfig::default()
        },
        |_| {},
    );
    let client = Client::new(ClientConfig::new(sim.url(), ApiKey::new(KEY))).unwrap();
    let store = OrderStore::open(&dir.join("orders.sqlite")).unwrap();
    let mut ids = Vec::new();
    for _ in 0..ORDERS {
        let purchase = RUNTIME.block_on(client.buy("vk", "22", "1")).unwrap();
        ids.push(purchase.order_id.clone());
        store
            .save(&Order::new(&test_offer("VK"), purchase, now_millis()))
            .unwrap();
    }
    (sim, client, ids)
}

fn status_requests(sim: &Simulator, id: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.action == "getStatus" && r.params.get("id").map(String::as_str) == Some(id))
        .count()
}

fn codes_shown(t: &mut TestApp, ids: &[String]) {
    t.run_until("every code in", WAIT, |h| {
        ids.iter().all(|id| {
            h.state()
                .orders()
                .iter()
                .any(|o| &o.order_id == id && o.code.is_some())
        })
    });
}

#[test]
fn one_list_brings_every_code_and_an_order_it_no_longer_names_is_asked_once() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, client, ids) = five_open_orders(dir.path());
    sim.offer_active_activations(true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.run_until("the list asked for", WAIT, |_| {
        sim.count("getActiveActivations") >= 1
    });
    for (i, id) in ids.iter().enumerate().skip(1) {
        sim.deliver_code(id, &format!("55{i:04}"));
    }
    // The first order is cancelled on the website: the list stops naming it.
    RUNTIME
        .block_on(client.set_status(&ids[0], SetAction::Cancel))
        .unwrap();
    codes_shown(&mut t, &ids[1..]);
    t.run_until("the cancelled order ended", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == ids[0] && o.state == OrderState::Cancelled)
    });
    assert_eq!(status_requests(&sim, &ids[0]), 1, "asked once, on its own");
    for id in &ids[1..] {
        assert_eq!(status_requests(&sim, id), 0, "the list answered for {id}");
    }
    // Every order now has a code or has ended: the list is asked slowly, nothing else.
    let lists = sim.count("getActiveActivations");
    t.run_for(Duration::from_secs(4));
    assert!(sim.count("getActiveActivations") <= lists + 1);
    assert_eq!(sim.count("getStatus"), 1);
}

#[test]
fn without_the_list_each_order_is_asked_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, _client, ids) = five_open_orders(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    for (i, id) in ids.iter().enumerate() {
        sim.deliver_code(id, &format!("66{i:04}"));
    }
    codes_shown(&mut t, &ids);
    assert_eq!(
        sim.count("getActiveActivations"),
        1,
        "asked once: BAD_ACTION"
    );
    for id in &ids {
        assert!(status_requests(&sim, id) >= 1);
    }
}
