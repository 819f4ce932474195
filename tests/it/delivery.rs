//! The delivery record against the simulator: servers with set delivery rates and delays sell
//! a scripted history of numbers; the Services table, the best-value mark, the confirmation's
//! sentence and the history's table then say what those figures are, and a new order that gets
//! a code changes them.

use instaotp_desktop::app::describe;
use std::path::Path;
use std::time::Duration;

use crate::common::{KEY, RUNTIME, TestApp, sim_with};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::api::{ApiKey, Client, ClientConfig, Offer, OrderStatus, SetAction};
use instaotp_desktop::offers::OfferDelivery;
use instaotp_desktop::orders::delivery::OfferKey;
use instaotp_desktop::orders::{Order, OrderStore, now_millis};
use instaotp_desktop::sim::{ServerDelivery, SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(20);
const HOUR: i64 = 3_600_000;

/// One server's part of the script: how many numbers of `service` (India) it sells, how many of
/// each hundred get a code, and how long after the purchase the code comes.
struct Script {
    service: &'static str,
    server: &'static str,
    numbers: usize,
    percent: u8,
    delay_secs: i64,
}

/// Buys the script's numbers at the simulator through the protocol, asks for their status and
/// cancels those without a code, then writes them to the data folder's orders database as the
/// app would have: bought an hour apart over the last days, the code `delay_secs` after.
fn script_history(sim: &Simulator, dir: &Path, scripts: &[Script]) {
    let client = Client::new(ClientConfig::new(sim.url(), ApiKey::new(KEY))).unwrap();
    let store = OrderStore::open(&dir.join("orders.sqlite")).unwrap();
    let offers = RUNTIME.block_on(client.services(None, None)).unwrap();
    let mut orders = Vec::new();
    let mut hours_ago = 2;
    for script in scripts {
        // The simulator holds the code back for no one: the script's clock says when it came.
        sim.set_server_delivery(
            script.server,
            ServerDelivery {
                percent: script.percent,
                delay: Duration::ZERO,
            },
        );
        let offer: &Offer = offers
            .iter()
            .find(|o| {
                o.service_code == script.service && o.country == "22" && o.server == script.server
            })
            .expect("offer in the catalogue");
        for _ in 0..script.numbers {
            let bought_at = now_millis() - hours_ago * HOUR;
            hours_ago += 1;
            let purchase = RUNTIME
                .block_on(client.buy(&offer.service_code, &offer.country, &offer.server))
                .unwrap();
            let mut order = Order::new(offer, purchase, bought_at);
            let status = RUNTIME.block_on(client.status(&order.order_id)).unwrap();
            let lifetime = 20 * 60_000;
            if let OrderStatus::Code(_) = status {
                let code_at = bought_at + script.delay_secs * 1000;
                order.apply_status(&status, code_at, lifetime);
                let reply = RUNTIME
                    .block_on(client.set_status(&order.order_id, SetAction::Finish))
                    .unwrap();
                order.apply_set_status(&reply, code_at + 30_000);
            } else {
                let reply = RUNTIME
                    .block_on(client.set_status(&order.order_id, SetAction::Cancel))
                    .unwrap();
                order.apply_set_status(&reply, bought_at + 130_000);
            }
            orders.push(order);
        }
    }
    store.save_all(&orders).unwrap();
}

fn sim(dir: &Path) -> Simulator {
    let config = SimConfig {
        accounts: vec![(KEY.to_owned(), 10_000.into())],
        cancel_lock: Duration::ZERO,
        code_delay: None,
        ..SimConfig::default()
    };
    sim_with(dir, config, |_| {})
}

fn delivery(t: &TestApp, service: &str, server: &str) -> OfferDelivery {
    let s = t.app().session().expect("session");
    let offer = s
        .offers()
        .offers()
        .iter()
        .find(|o| o.service_code == service && o.country == "22" && o.server == server)
        .expect("offer listed");
    s.offers().delivery_of(offer)
}

/// The accessible description of the offer row that starts with `start`.
fn row_description(t: &TestApp, start: &str) -> String {
    t.harness
        .query_all_by_label_contains(start)
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no row {start:?}"))
}

#[test]
fn the_services_table_the_best_value_and_the_confirmation_say_what_the_history_says() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    script_history(
        &sim,
        dir,
        &[
            Script {
                service: "wa",
                server: "1",
                numbers: 10,
                percent: 90,
                delay_secs: 20,
            },
            Script {
                service: "wa",
                server: "2",
                numbers: 10,
                percent: 30,
                delay_secs: 75,
            },
            Script {
                service: "tg",
                server: "2",
                numbers: 2,
                percent: 100,
                delay_secs: 10,
            },
        ],
    );
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("delivery record read", WAIT, |h| {
        h.state().session().is_some_and(|s| {
            s.offers()
                .offers()
                .iter()
                .any(|o| s.offers().delivery_of(o).record.is_some())
        })
    });

    // Server 1: 9 of 10 in 20 s; server 2: 3 of 10 in 75 s. Per delivered code server 1 costs
    // 12.50 ÷ 0.9 = 13.89 and server 2 11.00 ÷ 0.3 = 36.67: server 1 is the best value.
    let one = delivery(&t, "wa", "1");
    let two = delivery(&t, "wa", "2");
    assert_eq!(describe::delivery_cell(one.record.as_ref()), "9/10 · 20 s");
    assert_eq!(describe::delivery_cell(two.record.as_ref()), "3/10 · 75 s");
    assert!(one.best_value && !two.best_value);
    // The price last paid, for a favourite's "was …".
    assert_eq!(one.last_paid, Some("12.50".parse().unwrap()));
    assert!(one.record.unwrap().fresh);
    // Two orders are too few for a best value, but they count and are shown.
    let tg = delivery(&t, "tg", "2");
    assert_eq!(tg.record.unwrap().orders, 2);
    assert_eq!(describe::delivery_cell(tg.record.as_ref()), "2/2 · 10 s");
    assert!(!tg.best_value);

    // A screen reader hears it with the row.
    t.type_into("Search", "whatsapp");
    let row = row_description(&t, "WhatsApp (wa), India, server 1,");
    assert!(
        row.contains(
            "delivery in the last 30 days: 9 of 10 numbers got a code, usually within 20 seconds, best value"
        ),
        "{row}"
    );
    let row = row_description(&t, "WhatsApp (wa), India, server 2,");
    assert!(
        row.contains("3 of 10 numbers got a code, usually within 1 minute 15 seconds")
            && !row.contains("best value"),
        "{row}"
    );

    // "Show best value first" puts server 1 on top even when sorted by price.
    t.click("Price");
    t.click("Show best value first");
    let first = t
        .app()
        .session()
        .unwrap()
        .offers()
        .shown()
        .next()
        .cloned()
        .unwrap();
    assert_eq!(
        (first.service_code.as_str(), first.server.as_str()),
        ("wa", "1")
    );
    t.click("Show best value first");
    // Sorted by the Delivery column: the best delivered first.
    t.click("Delivery");
    let first = t
        .app()
        .session()
        .unwrap()
        .offers()
        .shown()
        .next()
        .cloned()
        .unwrap();
    assert_eq!(
        (first.service_code.as_str(), first.server.as_str()),
        ("wa", "1")
    );

    // The confirmation repeats it in words.
    t.open_buy("whatsapp", "WhatsApp India server 1");
    t.wait_for_text(
        "Last 30 days on server 1: 9 of 10 numbers got a code, usually within 20 seconds.",
        WAIT,
    );
    t.click("Don't buy");
    // The dialog takes a few frames to go.
    t.harness.run_steps(3);
    t.open_buy("whatsapp", "WhatsApp India server 2");
    t.wait_for_text(
        "Last 30 days on server 2: 3 of 10 numbers got a code, usually within 1 minute 15 seconds.",
        WAIT,
    );
    t.click("Don't buy");
    t.harness.run_steps(3);

    // The history has the same figures per service: WhatsApp 12 of 20, Telegram 2 of 2.
    t.click_tab("Orders");
    t.wait_for_text("Delivery by service", WAIT);
    assert!(t.has_text("12 (60 %)") && t.has_text("2 (100 %)"));

    // A new number on server 1 that gets its code: the record follows without a restart.
    sim.set_server_delivery(
        "1",
        ServerDelivery {
            percent: 100,
            delay: Duration::from_millis(200),
        },
    );
    t.buy("whatsapp", "WhatsApp India server 1");
    t.run_until("the new code counted", WAIT, |h| {
        h.state().session().is_some_and(|s| {
            s.offers()
                .offers()
                .iter()
                .find(|o| o.service_code == "wa" && o.country == "22" && o.server == "1")
                .and_then(|o| s.offers().delivery_of(o).record)
                .is_some_and(|r| (r.got_code, r.orders) == (10, 11))
        })
    });
}

#[test]
fn a_database_of_the_version_before_gets_its_record_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    // Version 3 as it was: orders, meta, offers cache; no delivery rows.
    {
        let conn = rusqlite::Connection::open(dir.join("orders.sqlite")).unwrap();
        conn.execute_batch(
            "CREATE TABLE orders (order_id TEXT PRIMARY KEY, bought_at INTEGER NOT NULL,
                 active INTEGER NOT NULL, data TEXT NOT NULL);
             CREATE INDEX orders_bought_at ON orders(bought_at);
             CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
             CREATE TABLE offers_cache (id INTEGER PRIMARY KEY CHECK (id = 1),
                 saved_at INTEGER NOT NULL, data TEXT NOT NULL);
             PRAGMA user_version = 3;",
        )
        .unwrap();
        let offer = crate::common::test_offer("WhatsApp");
        for i in 0..4_i64 {
            let bought_at = now_millis() - (i + 1) * HOUR;
            let mut o = Order::new(
                &Offer {
                    service_code: "wa".into(),
                    ..offer.clone()
                },
                instaotp_desktop::api::Purchase {
                    order_id: format!("{}", 500 + i),
                    phone: "+919800000000".into(),
                },
                bought_at,
            );
            if i < 3 {
                // Saved before the first code was recorded apart: `code_at` counts.
                o.code = Some("123456".into());
                o.code_at = Some(bought_at + 40_000);
                o.close(
                    instaotp_desktop::orders::OrderState::Finished,
                    bought_at + 60_000,
                );
            } else {
                o.close(
                    instaotp_desktop::orders::OrderState::Cancelled,
                    bought_at + 200_000,
                );
            }
            let mut json: serde_json::Value = serde_json::to_value(&o).unwrap();
            json.as_object_mut().unwrap().remove("first_code_at");
            conn.execute(
                "INSERT INTO orders VALUES (?1, ?2, 0, ?3)",
                rusqlite::params![o.order_id, o.bought_at, json.to_string()],
            )
            .unwrap();
        }
    }
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("record read", WAIT, |h| {
        h.state().session().is_some_and(|s| {
            s.offers()
                .offers()
                .iter()
                .find(|o| o.service_code == "wa" && o.country == "22" && o.server == "1")
                .and_then(|o| s.offers().delivery_of(o).record)
                .is_some()
        })
    });
    assert_eq!(
        describe::delivery_cell(delivery(&t, "wa", "1").record.as_ref()),
        "3/4 · 40 s"
    );
    let store = OrderStore::open(&dir.join("orders.sqlite")).unwrap();
    let summary = store.delivery_summary(now_millis()).unwrap();
    assert_eq!(
        summary.records[&OfferKey::new("wa", "22", "1")].got_code,
        3,
        "upgraded in place"
    );
}
