//! The protocol client against the simulator over real HTTP: every action, the cancel lock,
//! expiry and refund, every fault, and the key never in an error text.

use std::time::Duration;

use instaotp_desktop::api::{
    ApiError, ApiKey, Client, ClientConfig, OrderStatus, ProviderError, SetAction, SetStatusReply,
    StatusEncoding,
};
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const KEY: &str = "test-key";

fn client(sim: &Simulator, key: &str) -> Client {
    client_at(sim, key, 100)
}

/// A client whose requests start at most `per_second` times a second (the app uses 4; the
/// timing tests here ask faster).
fn client_at(sim: &Simulator, key: &str, per_second: usize) -> Client {
    let mut cfg = ClientConfig::new(sim.url(), ApiKey::new(key));
    cfg.timeout = Duration::from_millis(1500);
    cfg.retry_backoff = Duration::from_millis(20);
    cfg.requests_per_second = per_second;
    Client::new(cfg).expect("client")
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn fast(lock_ms: u64, code_ms: Option<u64>, expiry_ms: u64) -> Simulator {
    Simulator::start(SimConfig {
        cancel_lock: Duration::from_millis(lock_ms),
        code_delay: code_ms.map(Duration::from_millis),
        expiry: Duration::from_millis(expiry_ms),
        ..SimConfig::default()
    })
    .expect("simulator")
}

#[tokio::test(flavor = "multi_thread")]
async fn balance_services_buy_status_finish() {
    let sim = fast(100, Some(200), 60_000);
    let c = client(&sim, KEY);
    assert_eq!(c.balance().await.unwrap().amount, dec("100.00"));
    let offers = c.services(None, None).await.unwrap();
    assert!(offers.len() > 20);
    assert!(offers.iter().any(|o| o.name.contains("Вконтакте")));
    assert!(
        offers.iter().any(|o| o.country == "India"),
        "a server that sends country names"
    );
    let india = c.services(Some("1"), Some("22")).await.unwrap();
    assert!(!india.is_empty() && india.iter().all(|o| o.server == "1" && o.country == "22"));

    let offer = india.iter().find(|o| o.qty > 0).unwrap();
    let p = c
        .buy(&offer.service_code, &offer.country, &offer.server)
        .await
        .unwrap();
    assert!(p.phone.starts_with("+91"));
    assert_eq!(
        c.balance().await.unwrap().amount,
        dec("100.00") - offer.price
    );
    assert_eq!(c.status(&p.order_id).await.unwrap(), OrderStatus::WaitCode);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let OrderStatus::Code(code) = c.status(&p.order_id).await.unwrap() else {
        panic!("no code")
    };
    assert_eq!(code.len(), 6);
    assert_eq!(
        c.set_status(&p.order_id, SetAction::Finish).await.unwrap(),
        SetStatusReply::Finished
    );
    assert_eq!(
        c.set_status(&p.order_id, SetAction::Cancel)
            .await
            .unwrap_err()
            .provider_error(),
        Some(&ProviderError::BadStatus)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_lock_then_refund_then_already_cancelled() {
    let sim = fast(400, None, 60_000);
    let c = client(&sim, KEY);
    let p = c.buy("wa", "22", "1").await.unwrap();
    let err = c
        .set_status(&p.order_id, SetAction::Cancel)
        .await
        .unwrap_err();
    assert_eq!(
        err.provider_error(),
        Some(&ProviderError::EarlyCancelDenied)
    );
    assert!(instaotp_desktop::app::describe::api_error(&err).contains("cancel lock"));
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(
        c.set_status(&p.order_id, SetAction::Cancel).await.unwrap(),
        SetStatusReply::Cancelled
    );
    assert_eq!(c.balance().await.unwrap().amount, dec("100.00"));
    assert_eq!(c.status(&p.order_id).await.unwrap(), OrderStatus::Cancelled);
    assert_eq!(
        c.set_status(&p.order_id, SetAction::Cancel)
            .await
            .unwrap_err()
            .provider_error(),
        Some(&ProviderError::AlreadyCancel)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn expiry_refunds_lazily_on_the_next_status() {
    let sim = fast(100, None, 300);
    let c = client(&sim, KEY);
    let p = c.buy("wa", "22", "1").await.unwrap();
    assert!(c.balance().await.unwrap().amount < dec("100"));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(c.status(&p.order_id).await.unwrap(), OrderStatus::Cancelled);
    assert_eq!(c.balance().await.unwrap().amount, dec("100.00"));
}

#[tokio::test(flavor = "multi_thread")]
async fn another_sms_with_the_family_numbers() {
    let sim = fast(100, Some(50), 60_000);
    let mut cfg = ClientConfig::new(sim.url(), ApiKey::new(KEY));
    cfg.encoding = StatusEncoding::Numbers;
    let c = Client::new(cfg).unwrap();
    let p = c.buy("wa", "22", "1").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let OrderStatus::Code(first) = c.status(&p.order_id).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        c.set_status(&p.order_id, SetAction::AnotherSms)
            .await
            .unwrap(),
        SetStatusReply::RetryRequested
    );
    assert_eq!(
        c.status(&p.order_id).await.unwrap(),
        OrderStatus::WaitRetry(first.clone())
    );
    let sent = sim
        .requests()
        .into_iter()
        .rfind(|r| r.action == "setStatus")
        .unwrap();
    assert_eq!(sent.params.get("status").map(String::as_str), Some("3"));
    // InstaOTP's words have no "another SMS": the client refuses without sending anything.
    let words = client(&sim, KEY);
    let before = sim.count("setStatus");
    assert!(
        words
            .set_status(&p.order_id, SetAction::AnotherSms)
            .await
            .is_err()
    );
    assert_eq!(sim.count("setStatus"), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn documented_errors_from_the_simulator() {
    let sim = fast(100, None, 60_000);
    let bad = client(&sim, "wrong-key");
    assert_eq!(
        bad.balance().await.unwrap_err().provider_error(),
        Some(&ProviderError::BadKey)
    );
    let c = client(&sim, KEY);
    assert_eq!(
        c.buy("nope", "22", "1").await.unwrap_err().provider_error(),
        Some(&ProviderError::BadService)
    );
    assert_eq!(
        c.status("999999999").await.unwrap_err().provider_error(),
        Some(&ProviderError::NoActivation)
    );
    assert_eq!(
        c.services(Some("77"), None)
            .await
            .unwrap_err()
            .provider_error(),
        Some(&ProviderError::NoServices)
    );
    sim.set_balance(KEY, dec("0"));
    assert_eq!(
        c.buy("wa", "22", "1").await.unwrap_err().provider_error(),
        Some(&ProviderError::NoBalance)
    );
    let sold_out = sim.offers().into_iter().find(|o| o.qty == 0).unwrap();
    sim.set_balance(KEY, dec("1000"));
    assert_eq!(
        c.buy(&sold_out.id, &sold_out.country, &sold_out.server)
            .await
            .unwrap_err()
            .provider_error(),
        Some(&ProviderError::NoNumbers)
    );
}

/// Every fault the simulator can inject, on a read: a typed error, a plain message, no key.
#[tokio::test(flavor = "multi_thread")]
async fn every_fault_gives_a_clear_error_without_the_key() {
    let secret = "sup3r-s3cret-key";
    let sim = Simulator::start(SimConfig {
        accounts: vec![(secret.into(), dec("10"))],
        ..SimConfig::default()
    })
    .unwrap();
    let mut cfg = ClientConfig::new(sim.url(), ApiKey::new(secret));
    cfg.timeout = Duration::from_millis(800);
    cfg.read_retries = 0;
    let c = Client::new(cfg).unwrap();
    type Expect = fn(&ApiError) -> bool;
    let cases: Vec<(Fault, Expect)> = vec![
        (Fault::Slow(Duration::from_secs(3)), |e| {
            matches!(e, ApiError::Timeout)
        }),
        (Fault::ServerError, |e| {
            matches!(e, ApiError::HttpStatus { status: 500, .. })
        }),
        (Fault::TooManyRequests, |e| {
            matches!(e, ApiError::RateLimited { .. })
        }),
        (Fault::Garbage, |e| {
            matches!(e, ApiError::Unexpected { .. } | ApiError::Provider { .. })
        }),
        (Fault::Truncated, |e| {
            matches!(e, ApiError::Transport(_) | ApiError::Unexpected { .. })
        }),
        (Fault::Empty, |e| matches!(e, ApiError::Empty)),
        (Fault::Huge(20 * 1024 * 1024), |e| {
            matches!(e, ApiError::TooLarge { .. })
        }),
        (Fault::Drop, |e| matches!(e, ApiError::Transport(_))),
        (
            Fault::Reply {
                status: 200,
                body: "SOMETHING_NEW".into(),
            },
            |e| e.provider_error() == Some(&ProviderError::Unknown("SOMETHING_NEW".into())),
        ),
    ];
    for (fault, expected) in cases {
        let name = format!("{fault:?}");
        sim.fault_once("getBalance", fault);
        let err = c.balance().await.expect_err(&name);
        assert!(expected(&err), "{name}: got {err:?}");
        let shown = format!(
            "{err} {err:?} {}",
            instaotp_desktop::app::describe::api_error(&err)
        );
        assert!(!shown.contains(secret), "{name}: key in {shown}");
        assert!(
            instaotp_desktop::app::describe::api_error(&err).len() > 30,
            "{name}"
        );
    }
    assert!(!format!("{c:?}").contains(secret));
    assert_eq!(
        c.balance().await.unwrap().amount,
        dec("10.00"),
        "healthy again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_retry_with_backoff_but_a_purchase_never_does() {
    let sim = fast(100, None, 60_000);
    let c = client(&sim, KEY);
    sim.fault_once("getBalance", Fault::ServerError);
    assert!(c.balance().await.is_ok());
    assert_eq!(sim.count("getBalance"), 2);
    sim.fault_once(
        "getBalance",
        Fault::Reply {
            status: 200,
            body: "ERROR_SQL".into(),
        },
    );
    assert!(c.balance().await.is_ok());
    assert_eq!(sim.count("getBalance"), 4);

    sim.fault_once("getNumber", Fault::DropAfterProcessing);
    let err = c.buy("wa", "22", "1").await.unwrap_err();
    assert!(err.reply_lost(), "{err:?}");
    assert_eq!(sim.count("getNumber"), 1);
    assert_eq!(
        sim.orders().len(),
        1,
        "the purchase happened; its reply was lost"
    );
    sim.fault_once("getNumber", Fault::ServerError);
    assert!(c.buy("wa", "22", "1").await.is_err());
    assert_eq!(sim.count("getNumber"), 2);

    // A cancel or finish is sent once, whatever happens to its reply.
    let id = sim.orders()[0].id.clone();
    sim.fault_once("setStatus", Fault::DropAfterProcessing);
    let err = c.set_status(&id, SetAction::Finish).await.unwrap_err();
    assert!(err.reply_lost(), "{err:?}");
    assert_eq!(sim.count("setStatus"), 1);
    sim.fault_once("setStatus", Fault::ServerError);
    assert!(c.set_status(&id, SetAction::Cancel).await.is_err());
    assert_eq!(sim.count("setStatus"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn transport_failures_in_plain_words() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut cfg = ClientConfig::new(
        format!("http://127.0.0.1:{port}/handler_api.php"),
        ApiKey::new("k3y-in-url"),
    );
    cfg.read_retries = 0;
    let c = Client::new(cfg).unwrap();
    let err = c.balance().await.unwrap_err();
    assert!(matches!(err, ApiError::Connect(_)), "{err:?}");
    assert!(!format!("{err:?}").contains("k3y-in-url"));

    let err = Client::new(ClientConfig::new(
        "http://example.com/api",
        ApiKey::new("k"),
    ))
    .unwrap_err();
    assert_eq!(err, ApiError::InsecureUrl);
    assert!(
        Client::new(ClientConfig::new(
            "http://localhost:1/api",
            ApiKey::new("k")
        ))
        .is_ok()
    );
    assert!(matches!(
        Client::new(ClientConfig::new("not a url", ApiKey::new("k"))).unwrap_err(),
        ApiError::InvalidUrl(_)
    ));
}

/// The most requests the simulator received in any one second.
fn busiest_second(sim: &Simulator) -> usize {
    let times: Vec<std::time::Instant> = sim.requests().iter().map(|r| r.at).collect();
    times
        .iter()
        .map(|start| {
            times
                .iter()
                .filter(|t| **t >= *start && t.duration_since(*start) < Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_request_shares_one_budget_and_a_429_pauses_them_all() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let c = client_at(&sim, KEY, 4);
    // Twelve reads at once, one of them retried after a 500: never more than 4 in a second.
    sim.fault_once("getBalance", Fault::ServerError);
    let reads = (0..12).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.balance().await })
    });
    for read in reads {
        read.await.unwrap().unwrap();
    }
    assert_eq!(sim.count("getBalance"), 13, "the retry was sent too");
    assert!(
        busiest_second(&sim) <= 4,
        "{} in a second",
        busiest_second(&sim)
    );

    // A 429 asking for 1 s: the next request of any kind waits that long.
    sim.fault_once("getBalance", Fault::TooManyRequests);
    let refused = c.balance().await.unwrap_err();
    assert!(matches!(
        refused,
        instaotp_desktop::api::ApiError::RateLimited { .. }
    ));
    assert_eq!(
        sim.count("getBalance"),
        14,
        "a 429 is not asked again by the client"
    );
    let asked = std::time::Instant::now();
    c.services(None, None).await.unwrap();
    let waited = sim
        .requests()
        .last()
        .map(|r| r.at.saturating_duration_since(asked))
        .unwrap_or_default();
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

/// Where the provider takes a price limit, the list price goes with the purchase: a number
/// whose price rose since the list is refused (`WRONG_MAX_PRICE`, nothing sold), one at the list
/// price is sold. Where the provider is not known to take it (InstaOTP), nothing extra is sent.
#[tokio::test(flavor = "multi_thread")]
async fn the_list_price_goes_as_max_price_only_where_the_provider_takes_it() {
    let sim = fast(100, None, 60_000);
    let listed = dec("12.50");
    let mut cfg = ClientConfig::new(sim.url(), ApiKey::new(KEY));
    assert!(
        !cfg.max_price_param,
        "not sent to an address not known to take it"
    );
    cfg.max_price_param = true;
    let family = Client::new(cfg).expect("client");

    // Sold at the list price, with the limit sent.
    family
        .buy_at_most("wa", "22", "1", Some(listed))
        .await
        .expect("sold at the list price");
    let sent = sim
        .requests()
        .into_iter()
        .rfind(|r| r.action == "getNumber")
        .unwrap();
    assert_eq!(
        sent.params.get("maxPrice").map(String::as_str),
        Some("12.50")
    );

    // The price rose since the list: refused in words, nothing sold.
    sim.set_price("wa", "22", "1", dec("13.00"));
    let e = family
        .buy_at_most("wa", "22", "1", Some(listed))
        .await
        .unwrap_err();
    assert!(
        matches!(e.provider_error(), Some(ProviderError::WrongMaxPrice(min)) if min == "13.00"),
        "{e:?}"
    );
    assert!(e.is_refusal() && e.is_out_of_stock_or_price());
    assert_eq!(sim.orders().len(), 1, "nothing sold above the list price");

    // InstaOTP (no limit taken): no maxPrice sent, and the number is sold at its new price.
    let plain = client(&sim, KEY);
    plain
        .buy_at_most("wa", "22", "1", Some(listed))
        .await
        .expect("sold");
    let sent = sim
        .requests()
        .into_iter()
        .rfind(|r| r.action == "getNumber")
        .unwrap();
    assert!(!sent.params.contains_key("maxPrice"), "{:?}", sent.params);
    assert_eq!(sim.orders().len(), 2);
}

/// Two providers of the protocol at once, each a simulator of its own: different ports, keys,
/// prices, stock, cancel locks, delivery rates and `setStatus` quirks, and neither knows the
/// other's key.
#[tokio::test(flavor = "multi_thread")]
async fn two_providers_run_at_once_each_with_its_own_prices_key_lock_and_delivery() {
    use instaotp_desktop::sim::{ProviderProfile, ServerDelivery};
    const OTHER: &str = "other-key";
    let first = fast(100, Some(100), 60_000);
    let mut profile = ProviderProfile::second(OTHER);
    profile.config.cancel_lock = Duration::from_millis(300);
    profile.delivery = vec![(
        "2".to_owned(),
        ServerDelivery {
            percent: 50,
            delay: Duration::from_millis(100),
        },
    )];
    let second = Simulator::start_provider(profile).unwrap();
    assert_ne!(first.url(), second.url());
    let (a, b) = (client(&first, KEY), client(&second, OTHER));

    // Each key is known at its own provider only.
    assert_eq!(b.balance().await.unwrap().amount, dec("250.00"));
    for stranger in [client(&second, KEY), client(&first, OTHER)] {
        let e = stranger.balance().await.unwrap_err();
        assert_eq!(e.provider_error(), Some(&ProviderError::BadKey), "{e}");
    }

    // The same service, server and country at two prices; stock of its own.
    let (offers_a, offers_b) = (
        a.services(Some("1"), Some("22")).await.unwrap(),
        b.services(Some("1"), Some("22")).await.unwrap(),
    );
    let wa = |offers: &[instaotp_desktop::api::Offer]| {
        offers
            .iter()
            .find(|o| o.service_code == "wa")
            .cloned()
            .unwrap()
    };
    let (wa_a, wa_b) = (wa(&offers_a), wa(&offers_b));
    assert_eq!(wa_b.price, (wa_a.price * dec("1.2")).round_dp(2));
    assert!(wa_a.qty > 0 && wa_b.qty == 0, "sold out at the second only");
    let no_numbers = b.buy("wa", "22", "1").await.unwrap_err();
    assert_eq!(no_numbers.provider_error(), Some(&ProviderError::NoNumbers));

    // Its own cancel lock.
    let p = b.buy("tg", "22", "1").await.unwrap();
    let early = b
        .set_status(&p.order_id, SetAction::Cancel)
        .await
        .unwrap_err();
    assert_eq!(
        early.provider_error(),
        Some(&ProviderError::EarlyCancelDenied)
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        b.set_status(&p.order_id, SetAction::Cancel).await.unwrap(),
        SetStatusReply::Cancelled
    );

    // Server 2 of the second delivers a code to one number of two.
    let (one, two) = (
        b.buy("wa", "22", "2").await.unwrap(),
        b.buy("wa", "22", "2").await.unwrap(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut coded = 0;
    for p in [&one, &two] {
        if matches!(b.status(&p.order_id).await.unwrap(), OrderStatus::Code(_)) {
            coded += 1;
        }
    }
    assert_eq!(coded, 1, "half of server 2's numbers get a code");

    // Its quirk: no family numbers for setStatus.
    let mut cfg = ClientConfig::new(second.url(), ApiKey::new(OTHER));
    cfg.encoding = StatusEncoding::Numbers;
    let numbers = Client::new(cfg).unwrap();
    let refused = numbers
        .set_status(&one.order_id, SetAction::Finish)
        .await
        .unwrap_err();
    assert!(refused.is_refusal(), "{refused}");
    // Nothing of this reached the first provider.
    assert_eq!(first.count("getNumber"), 0);
    assert_eq!(first.orders().len(), 0);
}
