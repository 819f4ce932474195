//! Fills the demo's orders database in a data folder with a delivery history, for the Delivery
//! column's screenshot (docs/screenshots/delivery.png):
//!
//!     cargo run --example seed_delivery -- DATA_DIR
//!     instaotp-desktop --demo --data-dir DATA_DIR
//!
//! WhatsApp India: server 1 got 11 of 12 codes (usually within 40 s), server 2 4 of 12; Telegram
//! on server 2 9 of 10; Google on server 2 has 2 orders (too few); Amazon on server 1 was last
//! bought 45 days ago (greyed). WhatsApp on server 2 is a favourite last bought at 9.90.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_wrap
)]

use instaotp_desktop::api::{Offer, OrderStatus, Purchase};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use rust_decimal::Decimal;

const HOUR: i64 = 3_600_000;

/// (server, code, name, price in cents, numbers, with a code, seconds to code, days ago)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    usize,
    usize,
    i64,
    i64,
);

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: seed_delivery DATA_DIR");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(&dir);
    let store = OrderStore::open(&dir.join("orders-demo.sqlite")).unwrap();
    let now = now_millis();
    let mut orders = Vec::new();
    let mut n = 0;
    let history: &[Row] = &[
        ("1", "wa", "WhatsApp", 1250, 12, 11, 40, 0),
        ("2", "wa", "WhatsApp", 990, 12, 4, 95, 0),
        ("2", "tg", "Telegram", 950, 10, 9, 25, 1),
        ("2", "go", "Google, YouTube, Gmail", 399, 2, 2, 30, 2),
        ("1", "am", "Amazon", 99, 6, 5, 15, 45),
        ("1", "vk", "Вконтакте/VKConnect", 312, 8, 6, 140, 3),
    ];
    for &(server, code, name, cents, numbers, coded, secs, days_ago) in history {
        let offer = Offer {
            server: server.into(),
            service_code: code.into(),
            name: name.into(),
            price: Decimal::new(cents, 2),
            price_sent: None,
            qty: 10,
            country: "22".into(),
            provider: "1".into(),
        };
        for i in 0..numbers {
            n += 1;
            let bought_at = now - days_ago * 24 * HOUR - (i as i64 + 1) * 5 * HOUR;
            let purchase = Purchase {
                order_id: format!("{}", 800_000 + n),
                phone: format!("+9198000{n:05}"),
            };
            let mut o = Order::new(&offer, purchase, bought_at);
            if i < coded {
                // A spread around the usual time.
                let at = bought_at + (secs + (i as i64 % 3 - 1) * secs / 4) * 1000;
                o.apply_status(&OrderStatus::Code("482913".into()), at, 20 * 60_000);
                o.close(OrderState::Finished, at + 60_000);
            } else {
                o.close(OrderState::Cancelled, bought_at + 130_000);
            }
            orders.push(o);
        }
    }
    store.save_all(&orders).unwrap();
    // WhatsApp on server 2 pinned: it cost 9.90 last time and 11.00 now.
    let settings = dir.join("settings.json");
    if !settings.exists() {
        std::fs::write(&settings, r#"{"favourites": ["2|22|wa"]}"#).unwrap();
    }
    println!("{} orders written to {}", orders.len(), dir.display());
}
