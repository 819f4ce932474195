//! Fills a data folder's orders database with one order in each end state, a purchase that was
//! not confirmed, and an open order and an unconfirmed purchase of another key, for the README's
//! screenshots:
//!
//!     cargo run --example seed_orders -- DATA_DIR KEY
//!
//! KEY is the key the app will be signed in with (its orders are the account's own).

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines
)]

use instaotp_desktop::api::{ApiKey, Offer, Purchase};
use instaotp_desktop::app::replace::ReplaceOptions;
use instaotp_desktop::app::unfinished::{Unfinished, UnfinishedBatch, UnfinishedPlan};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, account::account_of, now_millis};
use rust_decimal::Decimal;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(key), Some(api_url)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: seed_orders DATA_DIR KEY API_URL");
        std::process::exit(2);
    };
    let store = OrderStore::open(&std::path::Path::new(dir).join("orders.sqlite")).unwrap();
    let secret = store.account_secret().unwrap();
    let ours = account_of(&secret, &ApiKey::new(key.clone()), api_url);
    let theirs = account_of(&secret, &ApiKey::new(format!("{key}-another")), api_url);
    let now = now_millis();
    let minutes = |m: i64| now - m * 60_000;
    let offer = |name: &str, code: &str, price: i64| Offer {
        server: "1".into(),
        service_code: code.into(),
        name: name.into(),
        price: Decimal::new(price, 2),
        price_sent: None,
        qty: 10,
        country: "22".into(),
        provider: "1".into(),
    };
    let order = |id: &str, o: &Offer, phone: &str, at: i64| {
        let mut order = Order::new(
            o,
            Purchase {
                order_id: id.into(),
                phone: phone.into(),
            },
            at,
        );
        order.account = Some(ours.clone());
        order
    };
    let mut all = Vec::new();

    let mut finished = order(
        "900101",
        &offer("WhatsApp", "wa", 1250),
        "+919812300101",
        minutes(95),
    );
    finished.code = Some("482913".into());
    finished.close(OrderState::Finished, minutes(93));
    all.push(finished);

    let mut cancelled = order(
        "900102",
        &offer("Telegram", "tg", 899),
        "+919812300102",
        minutes(80),
    );
    cancelled.close(OrderState::Cancelled, minutes(76));
    all.push(cancelled);

    let mut expired = order(
        "900103",
        &offer("Amazon", "am", 700),
        "+919812300103",
        minutes(70),
    );
    expired.close(OrderState::Expired, minutes(50));
    all.push(expired);

    let mut ended = order(
        "900104",
        &offer("Google", "go", 1500),
        "+919812300104",
        minutes(60),
    );
    ended.code = Some("771204".into());
    ended.close(OrderState::EndedWithCode, minutes(30));
    all.push(ended);

    let mut gone = order(
        "900105",
        &offer("Swiggy", "sw", 650),
        "+919812300105",
        minutes(45),
    );
    gone.close(OrderState::Gone, minutes(40));
    all.push(gone);

    // Ended by InstaOTP while the app was closed: an SMS may have come, the refund not counted.
    let mut unseen = order(
        "900108",
        &offer("Uber", "ub", 820),
        "+919812300108",
        minutes(40),
    );
    unseen.close(OrderState::EndedRefundUnconfirmed, minutes(38));
    all.push(unseen);

    // Sold, InstaOTP named the order but not its number; what it charged is known.
    let mut no_phone = order("900109", &offer("Ola", "ol", 640), "", minutes(1));
    no_phone.charged = Some(Decimal::new(690, 2));
    all.push(no_phone);

    let mut not_bought = Order::attempt(&offer("Zomato", "zo", 550), minutes(35), None);
    not_bought.account = Some(ours.clone());
    not_bought.by_user = true;
    not_bought.close(OrderState::NotBought, minutes(20));
    all.push(not_bought);

    let mut unsure = Order::attempt(
        &offer("Flipkart", "fk", 1100),
        minutes(3),
        Some(Decimal::new(10_000, 2)),
    );
    unsure.account = Some(ours.clone());
    unsure.raw_reply = Some("<html><title>502 Bad Gateway</title></html>".into());
    all.push(unsure);

    let mut other = order(
        "900107",
        &offer("Paytm", "pt", 900),
        "+919812300107",
        minutes(4),
    );
    other.account = Some(theirs.clone());
    all.push(other);

    let mut other_unsure = Order::attempt(
        &offer("Myntra", "my", 800),
        minutes(2),
        Some(Decimal::new(5_000, 2)),
    );
    other_unsure.account = Some(theirs);
    all.push(other_unsure);

    for o in &all {
        store.save(o).unwrap();
    }
    // A run of five that the last start left half-way, with replace-if-no-code on.
    let run = offer("WhatsApp", "wa", 1250);
    let undone = Unfinished {
        batch: Some(UnfinishedBatch {
            offer: run.clone(),
            wanted: 5,
            sent: 2,
            bought: 2,
            replace: None,
        }),
        plans: vec![UnfinishedPlan {
            offer: run,
            options: ReplaceOptions {
                wait_secs: 300,
                max: 1,
                spend_limit: Decimal::new(1250, 2),
                ceiling: None,
            },
            used: 0,
            spent: Decimal::ZERO,
            tried: std::collections::HashMap::new(),
            open: vec!["900107".into()],
            due: Vec::new(),
        }],
    };
    store
        .set_unfinished_work(&ours, Some(&serde_json::to_string(&undone).unwrap()))
        .unwrap();
    println!("seeded {} orders", all.len());
}
