#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::orders::test_support::order;

const DAY: Millis = 86_400_000;
const NOW: Millis = 1_000 * DAY;

fn key(server: &str) -> OfferKey {
    OfferKey::new("wa", "22", server)
}

fn row(server: &str, days_ago: i64, got: Option<bool>, secs: Option<i64>) -> DeliveryRow {
    DeliveryRow {
        key: key(server),
        bought_at: NOW - days_ago * DAY,
        got_code: got,
        seconds: secs,
        price: Some(Decimal::new(1250, 2)),
    }
}

#[test]
fn the_median_is_the_middle_time_or_the_mean_of_the_two_middle_ones_rounded_up() {
    assert_eq!(median(&mut []), None);
    assert_eq!(median(&mut [40]), Some(40));
    assert_eq!(median(&mut [90, 10, 40]), Some(40));
    assert_eq!(median(&mut [10, 40, 41, 300]), Some(41));
    assert_eq!(median(&mut [20, 20, 600, 20]), Some(20));
}

#[test]
fn a_record_counts_the_last_30_days_and_leaves_open_orders_out() {
    let rows = vec![
        row("1", 0, None, None), // still open: not counted yet
        row("1", 1, Some(true), Some(20)),
        row("1", 2, Some(true), Some(40)),
        row("1", 3, Some(false), None),
        row("1", 29, Some(true), Some(60)),
        row("1", 31, Some(false), None), // older than 30 days
        row("1", 40, Some(false), None),
    ];
    let summary = summarize(rows, NOW);
    let r = summary.records[&key("1")];
    assert_eq!((r.got_code, r.orders, r.median_secs), (3, 4, Some(40)));
    assert!(r.fresh && r.is_shown());
    assert_eq!(r.newest, NOW);
    assert_eq!(summary.last_paid[&key("1")], Decimal::new(1250, 2));
}

#[test]
fn under_three_orders_nothing_is_shown_and_under_five_no_best_value() {
    let two = summarize(
        vec![
            row("1", 1, Some(true), Some(5)),
            row("1", 2, Some(true), Some(5)),
        ],
        NOW,
    );
    let r = two.records[&key("1")];
    assert_eq!(r.orders, 2);
    assert!(!r.is_shown());
    let four: Vec<_> = (1..=4).map(|d| row("1", d, Some(true), Some(5))).collect();
    let r = summarize(four, NOW).records[&key("1")];
    assert!(r.is_shown());
    assert_eq!(r.price_per_code(Decimal::new(1000, 2)), None, "4 orders");
    let five: Vec<_> = (1..=5)
        .map(|d| row("1", d, Some(d != 5), Some(5)))
        .collect();
    let r = summarize(five, NOW).records[&key("1")];
    // 10.00 ÷ (4 / 5) = 12.50 per delivered code.
    assert_eq!(
        r.price_per_code(Decimal::new(1000, 2)),
        Some(Decimal::new(1250, 2))
    );
    let none: Vec<_> = (1..=5).map(|d| row("1", d, Some(false), None)).collect();
    let r = summarize(none, NOW).records[&key("1")];
    assert_eq!((r.got_code, r.median_secs), (0, None));
    assert_eq!(r.price_per_code(Decimal::ONE), None, "no code at all");
}

#[test]
fn an_offer_last_bought_over_30_days_ago_keeps_its_last_30_days_as_stale() {
    let rows = vec![
        row("2", 40, Some(true), Some(30)),
        row("2", 45, Some(true), Some(50)),
        row("2", 69, Some(false), None),
        row("2", 71, Some(true), Some(10)), // 31 days before the newest
    ];
    let r = summarize(rows, NOW).records[&key("2")];
    assert!(!r.fresh);
    assert_eq!((r.got_code, r.orders, r.median_secs), (2, 3, Some(40)));
    assert!(r.is_shown());
    let with_price = Record {
        orders: 10,
        got_code: 10,
        ..r
    };
    assert_eq!(
        with_price.price_per_code(Decimal::ONE),
        None,
        "stale figures choose nothing"
    );
}

#[test]
fn offers_are_kept_apart() {
    let rows = vec![
        row("1", 1, Some(true), Some(20)),
        row("1", 2, Some(true), Some(20)),
        row("2", 1, Some(false), None),
    ];
    let s = summarize(rows, NOW);
    assert_eq!(s.records.len(), 2);
    assert_eq!(s.records[&key("1")].got_code, 2);
    assert_eq!(s.records[&key("2")].got_code, 0);
    let better = s.records[&key("1")].better_than(&s.records[&key("2")]);
    assert_eq!(better, std::cmp::Ordering::Less, "better delivered first");
}

/// The database's view and `outcome` count the same orders the same way, and the summary read
/// from the database is what the rows say.
#[test]
fn the_database_and_the_history_count_orders_alike() {
    let dir = tempfile::tempdir().unwrap();
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let at = NOW - DAY;
    let mut orders = Vec::new();
    let mut make = |id: &str, state: OrderState, code_after: Option<i64>| {
        let mut o = order(id, "WhatsApp", at);
        if let Some(secs) = code_after {
            o.apply_status(
                &crate::api::OrderStatus::Code("123456".into()),
                at + secs * 1000,
                20 * 60_000,
            );
        }
        if state.is_final() {
            o.close(state, at + 300_000);
        } else {
            o.state = state;
        }
        orders.push(o);
    };
    make("1", OrderState::Finished, Some(20));
    make("2", OrderState::EndedWithCode, Some(60));
    make("3", OrderState::CodeReceived, Some(40));
    make("4", OrderState::Cancelled, None);
    make("5", OrderState::Expired, None);
    make("6", OrderState::Waiting, None);
    make("7", OrderState::Gone, None);
    make("8", OrderState::NotBought, None);
    make("9", OrderState::NotConfirmed, None);
    for o in &orders {
        store.save(o).unwrap();
    }
    let in_db: HashMap<String, Option<bool>> = store
        .read(|conn| {
            let mut stmt = conn.prepare("SELECT order_id, got_code FROM deliveries")?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
            })?;
            rows.map(|r| r.map(|(id, g)| (id, g.map(|g| g != 0))))
                .collect()
        })
        .unwrap();
    for o in &orders {
        let expected = outcome(o);
        let listed = matches!(o.state, OrderState::NotBought | OrderState::NotConfirmed);
        assert_eq!(
            in_db.get(&o.order_id).copied(),
            (!listed).then_some(expected),
            "order {} ({:?})",
            o.order_id,
            o.state
        );
    }
    let r = store.delivery_summary(NOW).unwrap().records[&OfferKey::new("whatsapp", "22", "1")];
    assert_eq!((r.got_code, r.orders, r.median_secs), (3, 5, Some(40)));

    let mut tally = ServiceTally::default();
    orders.iter().for_each(|o| tally.add(o));
    assert_eq!(
        tally.finish(),
        [ServiceRecord {
            service: "WhatsApp".into(),
            orders: 5,
            got_code: 3,
            median_secs: Some(40),
        }]
    );
}

#[test]
fn the_first_code_counts_not_the_one_after_another_sms() {
    let mut o = order("1", "WhatsApp", 0);
    o.apply_status(
        &crate::api::OrderStatus::Code("1111".into()),
        30_000,
        1_200_000,
    );
    o.apply_set_status(&crate::api::SetStatusReply::RetryRequested, 40_000);
    o.apply_status(
        &crate::api::OrderStatus::Code("2222".into()),
        90_000,
        1_200_000,
    );
    assert_eq!(o.code_at, Some(90_000));
    assert_eq!(o.seconds_to_code(), Some(30));
}
