//! Times the delivery record (`OrderStore::delivery_summary`) over 100,000 orders, as the worker
//! reads it when an order ends. Run by hand (not a timed test):
//!
//!     cargo run --release --example delivery_summary
//!
//! Budget: ≤ 50 ms (docs/PERFORMANCE.md).

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss
)]

use std::time::Instant;

use instaotp_desktop::api::{Offer, OrderStatus, Purchase};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use rust_decimal::Decimal;

const ORDERS: usize = 100_000;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let now = now_millis();
    // 40 services × 25 countries × 5 servers = 5,000 offers; 100,000 orders over 60 days.
    let started = Instant::now();
    let mut orders = Vec::with_capacity(ORDERS);
    for i in 0..ORDERS {
        let offer = Offer {
            server: (i % 5 + 1).to_string(),
            service_code: format!("s{}", i / 5 % 40),
            name: format!("Service {}", i / 5 % 40),
            price: Decimal::new(100 + (i % 900) as i64, 2),
            price_sent: None,
            qty: 10,
            country: (i / 200 % 25).to_string(),
            provider: "1".into(),
        };
        let bought_at = now - (i as i64 % 60) * 86_400_000 - i as i64 * 1_000;
        let purchase = Purchase {
            order_id: format!("{}", 1_000_000 + i),
            phone: "+919800000000".into(),
        };
        let mut o = Order::new(&offer, purchase, bought_at);
        if i % 4 == 0 {
            o.close(OrderState::Cancelled, bought_at + 130_000);
        } else {
            let code_at = bought_at + (i as i64 % 120) * 1_000;
            o.apply_status(&OrderStatus::Code("123456".into()), code_at, 1_200_000);
            o.close(OrderState::Finished, code_at + 30_000);
        }
        orders.push(o);
    }
    store.save_all(&orders).unwrap();
    println!(
        "{ORDERS} orders written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut times = Vec::new();
    let mut records = 0;
    for _ in 0..15 {
        let t = Instant::now();
        let summary = store.delivery_summary(now_millis()).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        records = summary.records.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "delivery summary of {ORDERS} orders ({records} offers): median {:.1} ms, min {:.1} ms, max {:.1} ms (15 runs)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
