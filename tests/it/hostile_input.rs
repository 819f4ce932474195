//! Hostile input: what a server, a redirect or a file on disk sends cannot leak the key, crash
//! the app or mislead the person using it. Each test is named for the attack it stops (see the
//! "hostile input" table in docs/RELIABILITY.md).

use std::sync::Arc;
use std::time::Duration;

use crate::common::{KEY, sim_with, start_app};
use instaotp_desktop::api::{ApiError, ApiKey, Client, ClientConfig, MAX_RETRY_AFTER};
use instaotp_desktop::orders::export::{Replace, Words, export_to, write_csv_in};

const WORDS: Words<'static> = Words {
    status: instaotp_desktop::app::describe::order_state_of,
    currency: "₹",
};
use instaotp_desktop::orders::{Order, OrderState};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::settings::{SETTINGS_FILE, Settings};
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(15);

fn client(sim: &Simulator, key: &str, retries: u32) -> Client {
    let mut cfg = ClientConfig::new(sim.url(), ApiKey::new(key));
    cfg.read_retries = retries;
    cfg.retry_backoff = Duration::from_millis(10);
    cfg.timeout = Duration::from_secs(5);
    Client::new(cfg).expect("client")
}

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator")
}

// --- The key -------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_port_receives_nothing() {
    let provider = sim();
    let elsewhere = sim();
    provider.set_fault(
        "*",
        Some(Fault::Redirect {
            status: 302,
            location: format!("{}?stolen=1", elsewhere.url()),
        }),
    );
    let c = client(&provider, KEY, 2);
    for status in [301, 302, 303, 307, 308] {
        provider.fault_once(
            "getBalance",
            Fault::Redirect {
                status,
                location: elsewhere.url(),
            },
        );
        let err = c.balance().await.expect_err("a redirect is not followed");
        let host = format!("http://{}", elsewhere.addr());
        assert_eq!(err, ApiError::Redirect { host: host.clone() }, "{status}");
        assert_eq!(
            instaotp_desktop::app::describe::api_error(&err),
            format!(
                "InstaOTP's address answered with a redirect to {host}. Check the API address in Settings."
            )
        );
    }
    assert!(c.buy("wa", "22", "1").await.is_err());
    assert!(
        elsewhere.requests().is_empty(),
        "the other address got {:?}",
        elsewhere.requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_within_the_same_address_is_followed() {
    let provider = sim();
    provider.fault_once(
        "getBalance",
        Fault::Redirect {
            status: 302,
            location: format!("{}?api_key={KEY}&action=getBalance", provider.url()),
        },
    );
    let balance = client(&provider, KEY, 0).balance().await.expect("balance");
    assert_eq!(balance.amount, Decimal::new(10000, 2));
    assert_eq!(provider.count("getBalance"), 2);
    // The followed request names no page it came from: no Referer, ever.
    let referers: Vec<Option<String>> =
        provider.requests().into_iter().map(|r| r.referer).collect();
    assert_eq!(referers, [None, None]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_echoed_key_is_masked_in_every_error_and_raw_reply() {
    // Characters that are escaped in a URL: the echo carries the encoded form.
    let secret = "Zq7 s3cret/key+0042";
    let provider = Simulator::start(SimConfig {
        accounts: vec![(secret.into(), Decimal::new(10000, 2))],
        ..SimConfig::default()
    })
    .expect("simulator");
    let c = client(&provider, secret, 0);
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    for status in [200, 400, 404, 500] {
        provider.fault_once("getBalance", Fault::EchoRequest(status));
        let err = c.balance().await.expect_err("an echo is no balance");
        let shown = format!(
            "{err} {err:?} {}",
            instaotp_desktop::app::describe::api_error(&err)
        );
        assert!(shown.contains("api_key="), "the echo is shown: {shown}");
        assert!(
            !shown.contains(secret) && !shown.contains(&encoded),
            "{shown}"
        );
        assert!(!shown.contains("s3cret"), "{shown}");
    }
    provider.fault_once("getStatus", Fault::EchoRequest(200));
    let status = c.status("100001").await.expect("a raw reply");
    let raw = format!("{status:?}");
    assert!(raw.contains("api_key=") && !raw.contains("s3cret"), "{raw}");
}

// --- Numbers and sizes ---------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_chunked_reply_without_length_is_capped() {
    let provider = sim();
    provider.fault_once("getBalance", Fault::HugeChunked(20 * 1024 * 1024));
    let err = client(&provider, KEY, 0).balance().await.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    // Under the cap it is read whole (and then not understood).
    provider.fault_once("getBalance", Fault::HugeChunked(100 * 1024));
    let err = client(&provider, KEY, 0).balance().await.unwrap_err();
    assert!(matches!(err, ApiError::Unexpected { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_long_order_ids_and_phones_are_refused() {
    let provider = sim();
    let c = client(&provider, KEY, 0);
    for body in [
        format!("ACCESS_NUMBER:{}:+919876543210", "1".repeat(100_000)),
        format!("ACCESS_NUMBER:100001:+{}", "9".repeat(257)),
    ] {
        provider.fault_once("getNumber", Fault::Reply { status: 200, body });
        let err = c.buy("wa", "22", "1").await.unwrap_err();
        assert!(
            instaotp_desktop::app::describe::api_error(&err)
                .chars()
                .count()
                < 600,
            "bounded: {err:?}"
        );
    }
    provider.fault_once(
        "getStatus",
        Fault::Reply {
            status: 200,
            body: format!("STATUS_OK:{}", "5".repeat(300)),
        },
    );
    assert!(c.status("100001").await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_is_not_retried_and_its_wait_is_kept() {
    let provider = sim();
    let cases = [
        (Some("7".to_owned()), None, Duration::from_secs(7)),
        (None, Some(30), Duration::from_secs(30)),
        (Some("999999999".to_owned()), None, MAX_RETRY_AFTER),
    ];
    for (header, json_seconds, expected) in cases {
        // A client of its own: a 429 pauses every request of the client that received it.
        let c = client(&provider, KEY, 3);
        let before = provider.count("getBalance");
        provider.fault_once(
            "getBalance",
            Fault::RateLimitedFor {
                header,
                json_seconds,
            },
        );
        let err = c.balance().await.unwrap_err();
        assert_eq!(
            err,
            ApiError::RateLimited {
                retry_after: Some(expected)
            }
        );
        assert_eq!(err.retry_pause(), Some(expected));
        assert_eq!(provider.count("getBalance"), before + 1, "not retried");
    }
    // An HTTP date a minute ahead.
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(
            &(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60)),
        )
        .expect("date");
    provider.fault_once(
        "getBalance",
        Fault::RateLimitedFor {
            header: Some(date),
            json_seconds: None,
        },
    );
    match client(&provider, KEY, 3).balance().await {
        Err(ApiError::RateLimited {
            retry_after: Some(wait),
        }) => assert!((55..=61).contains(&wait.as_secs()), "{wait:?}"),
        other => panic!("got {other:?}"),
    }
}

/// The app pauses its polls for what the 429 said, not a fixed time: with `Retry-After: 1` the
/// next poll comes within the normal interval, well before the 15 s used when nothing is said.
#[test]
fn a_429_pauses_polls_for_the_time_it_gives() {
    let dir = tempfile::tempdir().expect("dir");
    let sim = sim_with(
        dir.path(),
        SimConfig {
            code_delay: None,
            ..SimConfig::default()
        },
        |_| {},
    );
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.sign_in(KEY);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| !h.state().orders().is_empty());
    sim.set_fault(
        "getStatus",
        Some(Fault::RateLimitedFor {
            header: Some("1".into()),
            json_seconds: None,
        }),
    );
    let before = sim.count("getStatus");
    t.run_until("a 429", WAIT, |_| sim.count("getStatus") > before);
    sim.set_fault("getStatus", None);
    let limited = sim.count("getStatus");
    let started = std::time::Instant::now();
    t.run_until("polls again", WAIT, |_| sim.count("getStatus") > limited);
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "polls waited {:?}",
        started.elapsed()
    );
}

#[test]
fn an_unusual_balance_is_shown_as_sent_and_buying_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let sim = sim_with(dir.path(), SimConfig::default(), |_| {});
    sim.set_fault(
        "getBalance",
        Some(Fault::Reply {
            status: 200,
            body: "ACCESS_BALANCE:1e30".into(),
        }),
    );
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.sign_in(KEY);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.wait_for_text("Balance: 1e30 (InstaOTP sent an unusual amount)", WAIT);
    t.open_buy("whatsapp", "WhatsApp");
    assert!(t.has_text("InstaOTP sent an unusual amount."));
    t.confirm_buy();
    t.run_until("refused", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.starts_with("InstaOTP sent an unusual amount."))
    });
    assert_eq!(sim.count("getNumber"), 0, "no purchase was sent");
    // A negative balance the same way, and the app still runs.
    sim.set_fault("getBalance", None);
    sim.set_balance(KEY, Decimal::new(-500, 2));
    t.click("⟳ Refresh balance");
    t.wait_for_text("Balance: -5.00 (InstaOTP sent an unusual amount)", WAIT);
}

#[test]
fn an_unusual_price_is_shown_as_sent_and_never_bought() {
    let dir = tempfile::tempdir().expect("dir");
    let sim = sim_with(dir.path(), SimConfig::default(), |_| {});
    sim.set_fault(
        "getService",
        Some(Fault::Reply {
            status: 200,
            body: r#"{"1": [{"id": "wa", "service": "WhatsApp", "price": "1.2E+2", "qty": "5", "country": "22", "provider": "1"}]}"#.into(),
        }),
    );
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.sign_in(KEY);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.wait_for_text("1.2E+2 (InstaOTP sent an unusual amount)", WAIT);
    t.open_buy("whatsapp", "WhatsApp");
    // The dialog's button is off; a click on it buys nothing.
    t.click("Buy for 1.2E+2 (InstaOTP sent an unusual amount)");
    t.harness.run_steps(5);
    assert_eq!(sim.count("getNumber"), 0, "no purchase was sent");
    assert!(t.app().orders().is_empty());
}

// --- Files on disk -------------------------------------------------------------------------

#[test]
fn a_hand_edited_settings_file_cannot_overflow_anything() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join(SETTINGS_FILE),
        r#"{"poll_interval_secs": 4294967295, "cancel_lock_secs": 18446744073709551615,
            "order_lifetime_secs": 18446744073709551615, "text_scale": 1e38,
            "auto_cancel_minutes_before": 4294967295, "low_balance_threshold": "-79228162514264337593543950335"}"#,
    )
    .expect("write");
    let (s, warning) = Settings::load(dir.path());
    assert!(warning.is_none());
    assert_eq!(s.poll_interval_secs, 30);
    assert_eq!(s.cancel_lock_secs, 24 * 60 * 60);
    assert_eq!(s.order_lifetime_secs, 7 * 24 * 60 * 60);
    assert_eq!(s.text_scale, 1.6);
    assert_eq!(s.auto_cancel_minutes_before, 15);
    assert_eq!(
        s.low_balance_threshold,
        Settings::default().low_balance_threshold
    );
    // Milliseconds of the longest values still fit.
    assert!((s.cancel_lock_secs as i64).checked_mul(1000).is_some());
    assert!((s.order_lifetime_secs as i64).checked_mul(1000).is_some());
}

#[test]
fn an_unreadable_settings_file_is_set_aside_and_told_once() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join(SETTINGS_FILE),
        "{\"poll_interval_secs\": tru",
    )
    .expect("write");
    let (s, warning) = Settings::load(dir.path());
    assert_eq!(s, Settings::default());
    let warning = instaotp_desktop::app::describe::settings_warning(&warning.expect("told"));
    assert!(warning.contains("defaults are used"), "{warning}");
    let aside: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("settings-unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(warning.contains(&aside[0]), "{warning}");
    let kept = std::fs::read_to_string(dir.path().join(&aside[0])).expect("kept");
    assert_eq!(kept, "{\"poll_interval_secs\": tru");
    assert_eq!(
        Settings::load(dir.path()),
        (Settings::default(), None),
        "told once"
    );
}

fn order(id: &str, phone: &str, service: &str, code: Option<&str>) -> Order {
    let offer = instaotp_desktop::api::Offer {
        server: "1".into(),
        service_code: "wa".into(),
        name: service.into(),
        price: Decimal::new(1250, 2),
        price_sent: None,
        qty: 1,
        country: "22".into(),
        provider: "1".into(),
    };
    let purchase = instaotp_desktop::api::Purchase {
        order_id: id.into(),
        phone: phone.into(),
    };
    // 2026-11-30 00:53:20 UTC
    let mut o = Order::new(&offer, purchase, 1_796_000_000_000);
    o.code = code.map(str::to_owned);
    o.close(OrderState::Finished, 1_796_000_060_000);
    o
}

fn csv(orders: &[Order]) -> String {
    let mut out = Vec::new();
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(5));
    write_csv_in(
        &mut out,
        orders,
        &tz,
        instaotp_desktop::app::describe::order_state_of,
    )
    .expect("csv");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn csv_cells_from_the_server_never_run_as_formulas() {
    let hostile = [
        "=HYPERLINK(\"http://evil\",\"x\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "\tTAB",
        "\rCR",
    ];
    let orders: Vec<Order> = hostile.iter().map(|h| order(h, h, h, Some(h))).collect();
    let text = csv(&orders);
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} in {line:?}"
            );
        }
    }
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'+cmd|"), "{text}");
}

#[test]
fn csv_keeps_phones_and_codes_as_text_with_bom_and_dates() {
    let mut coded = order("100001", "+919876543210", "Вконтакте", Some("012345"));
    coded.first_code_at = Some(coded.bought_at + 41_500);
    let text = csv(&[coded]);
    assert!(text.starts_with('\u{feff}'), "BOM");
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some(
            "Order id,Bought (local time),Bought (UTC),Service,Service code,Country,Server,Number,Paid,Refunded,Net,Price is,Status,Code,Seconds to code"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "'100001,2026-11-30 05:53,2026-11-30T00:53:20Z,Вконтакте,wa,India,1,'+919876543210,12.50,0.00,12.50,list price,Finished,'012345,41"
        )
    );
}

#[test]
fn an_export_replaces_a_file_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("history.csv");
    std::fs::write(&path, "old export").expect("write");
    let orders = [order("1", "+911234567890", "WhatsApp", None)];
    export_to(&path, &orders, Replace::Yes, WORDS).expect("export");
    let written = std::fs::read_to_string(&path).expect("read");
    assert_eq!(written, csv_local(&orders));
    // A target that cannot be replaced (a folder with something in it): nothing is left behind.
    let blocked = dir.path().join("blocked.csv");
    std::fs::create_dir(&blocked).expect("dir");
    std::fs::write(blocked.join("inside"), "x").expect("write");
    assert!(export_to(&blocked, &orders, Replace::Yes, WORDS).is_err());
    assert!(blocked.join("inside").exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    assert_eq!(names.len(), 2, "{names:?}");
}

fn csv_local(orders: &[Order]) -> String {
    let mut out = Vec::new();
    instaotp_desktop::orders::export::write_csv(
        &mut out,
        orders,
        instaotp_desktop::app::describe::order_state_of,
    )
    .expect("csv");
    String::from_utf8(out).expect("utf-8")
}
