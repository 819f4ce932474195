//! The truth about a purchase: a number that may have been sold is never called "not bought".
//! The attempt is written before `getNumber` goes out; a clear refusal closes it as "not bought";
//! every "sold, then the reply was lost" form leaves a "Purchase not confirmed" card that the
//! person resolves by adding the order by its id, or by saying it was not bought.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{KEY, TestApp, https_sim_with, sim_with, test_offer};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::app::Tab;
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(20);

/// An nginx "bad gateway" page, as a proxy sends it when the server behind it went away.
const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Every form of "the number was sold, then the reply was lost".
fn sold_then_lost() -> Vec<(&'static str, Fault)> {
    vec![
        (
            "502 gateway page",
            Fault::AfterSale {
                status: 502,
                body: GATEWAY_PAGE.into(),
            },
        ),
        ("connection reset", Fault::DropAfterProcessing),
        ("cut reply", Fault::Truncated),
        (
            "slower than the time-out",
            Fault::Slow(Duration::from_secs(3)),
        ),
    ]
}

/// A simulator whose codes come only when the test delivers them, for a key used on this
/// computer alone.
fn sim(dir: &Path) -> Simulator {
    sim_with(
        dir,
        SimConfig {
            code_delay: None,
            ..SimConfig::default()
        },
        // Only this computer uses the key: the balance and the list of open orders tell.
        |s| s.key_only_here = true,
    )
}

/// The orders in the data folder's database, as a new start would read them.
fn stored(dir: &Path) -> Vec<Order> {
    OrderStore::open(&dir.join("orders.sqlite"))
        .expect("orders database")
        .load_all()
        .expect("orders read")
}

/// Waits (without a window) until the database holds what `cond` wants.
fn wait_stored(dir: &Path, what: &str, cond: impl Fn(&[Order]) -> bool) -> Vec<Order> {
    let start = Instant::now();
    loop {
        let orders = stored(dir);
        if cond(&orders) {
            return orders;
        }
        assert!(
            start.elapsed() < WAIT,
            "timed out waiting for {what} in the database: {orders:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Nothing anywhere (messages, problems, the screen) says the purchase failed.
fn never_called_not_bought(t: &TestApp, what: &str) {
    let problems = t.app().visible_problems();
    let messages = t.app().message_texts();
    for text in problems.iter().chain(&messages) {
        assert!(
            !text.contains("Could not buy"),
            "{what}: a number that may be sold called not bought: {text}"
        );
    }
    assert!(!t.has_text("Could not buy"), "{what}: on screen");
}

fn not_confirmed(t: &TestApp) -> Vec<Order> {
    t.app()
        .orders()
        .iter()
        .filter(|o| o.state == OrderState::NotConfirmed)
        .cloned()
        .collect()
}

/// Buys WhatsApp with `fault` on the purchase and waits for the "not confirmed" card; returns
/// the attempt.
fn buy_unconfirmed(
    t: &mut TestApp,
    sim: &Simulator,
    dir: &Path,
    fault: Fault,
    what: &str,
) -> Order {
    sim.fault_once("getNumber", fault);
    t.buy("whatsapp", "WhatsApp");
    // The attempt is written before the request goes out: once the simulator has it, the row is
    // there (a slow reply is still on its way here).
    t.run_until("getNumber sent", WAIT, |_| sim.count("getNumber") == 1);
    let rows = stored(dir);
    assert!(
        rows.iter()
            .any(|o| o.is_attempt() && o.state == OrderState::NotConfirmed),
        "{what}: no attempt row while the purchase was in flight: {rows:#?}"
    );
    t.wait_for_text("Purchase not confirmed", WAIT);
    assert_eq!(t.app().tab(), Tab::Orders, "{what}: the card is shown");
    let attempts = not_confirmed(t);
    assert_eq!(attempts.len(), 1, "{what}: {attempts:#?}");
    assert!(attempts[0].is_attempt(), "{what}");
    attempts[0].clone()
}

/// Opens "Add it by order id" and checks `order_id` (and `phone`, when given).
fn add_by_order_id(t: &mut TestApp, order_id: &str, phone: &str) {
    if !t.has_text("Check and add") {
        t.click("Add it by order id");
    }
    t.wait_for_text("Check and add", WAIT);
    t.harness.get_by_label("Order id").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Order id", order_id);
    if !phone.is_empty() {
        t.type_into("Number (optional)", phone);
    }
    t.click("Check and add");
}

/// One "sold then lost" form, from the purchase to the code of the adopted order.
fn sold_then_lost_is_tracked_and_adopted(what: &str, fault: Fault, type_phone: bool) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    let balance_before = sim.balance(KEY).unwrap();
    t.run_until("balance shown", WAIT, |h| {
        h.state().session().is_some_and(|s| {
            s.balance()
                .as_ref()
                .is_some_and(|(b, _)| b.amount == balance_before)
        })
    });

    let attempt = buy_unconfirmed(&mut t, &sim, dir, fault, what);
    never_called_not_bought(&t, what);

    // The simulator did sell it and charged for it.
    let sold = sim.orders();
    assert_eq!(sold.len(), 1, "{what}: the simulator sold one number");
    let sold = sold[0].clone();
    assert_eq!(
        sim.balance(KEY).unwrap(),
        balance_before - sold.price,
        "{what}: charged"
    );
    assert_eq!(attempt.balance_before, Some(balance_before), "{what}");

    // The card says the money went.
    t.wait_for_text("it probably went through", WAIT);
    assert!(t.has_text("Do not buy it again until you know."), "{what}");
    assert!(t.has_text("Open InstaOTP website"), "{what}");
    assert!(t.has_text("It was not bought"), "{what}");

    // A few seconds later (a slow reply has come by now): still one request, still the card.
    t.run_for(Duration::from_secs(3));
    assert_eq!(
        sim.count("getNumber"),
        1,
        "{what}: a purchase is never retried"
    );
    assert!(
        t.has_text("Purchase not confirmed"),
        "{what}: the card stays"
    );
    assert_eq!(not_confirmed(&t).len(), 1, "{what}");
    assert!(
        t.app().orders().iter().all(Order::is_attempt),
        "{what}: an order the app could not have known: {:#?}",
        t.app().orders()
    );
    never_called_not_bought(&t, what);
    let rows = stored(dir);
    assert_eq!(rows.len(), 1, "{what}: {rows:#?}");
    assert_eq!(rows[0].order_id, attempt.order_id, "{what}");
    assert_eq!(rows[0].state, OrderState::NotConfirmed, "{what}");
    assert_eq!(rows[0].balance_before, Some(balance_before), "{what}");

    // Added by the id from the website: a normal order, polled to its code.
    let phone = if type_phone { sold.phone.as_str() } else { "" };
    add_by_order_id(&mut t, &sold.id, phone);
    t.run_until("adopted", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == sold.id)
    });
    t.run_until("card gone", WAIT, |h| {
        h.query_all_by_label_contains("Purchase not confirmed")
            .next()
            .is_none()
    });
    let orders = t.app().orders().to_vec();
    assert_eq!(orders.len(), 1, "{what}: no duplicate: {orders:#?}");
    assert_eq!(orders[0].order_id, sold.id, "{what}");
    assert_eq!(orders[0].phone, phone, "{what}");
    assert_eq!(orders[0].state, OrderState::Waiting, "{what}");
    assert_eq!(orders[0].bought_at, attempt.bought_at, "{what}");
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("was found and is followed")),
        "{what}: {:?}",
        t.app().message_texts()
    );
    let rows = wait_stored(dir, "the adopted order", |rows| {
        rows.len() == 1 && rows[0].order_id == sold.id
    });
    assert_eq!(rows[0].state, OrderState::Waiting, "{what}");
    assert!(!rows.iter().any(Order::is_attempt), "{what}: attempt left");

    let code = "735911";
    sim.deliver_code(&sold.id, code);
    t.wait_for_text(code, WAIT);
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{what}: {orders:#?}");
    assert_eq!(orders[0].state, OrderState::CodeReceived, "{what}");
    assert_eq!(orders[0].code.as_deref(), Some(code), "{what}");
    wait_stored(dir, "the code saved", |rows| {
        rows.len() == 1 && rows[0].order_id == sold.id && rows[0].code.as_deref() == Some(code)
    });
    assert_eq!(sim.count("getNumber"), 1, "{what}");
    assert_eq!(sim.orders().len(), 1, "{what}");
    never_called_not_bought(&t, what);
}

#[test]
fn every_sold_then_lost_reply_is_not_confirmed_and_can_be_added_by_its_id() {
    // Each form in its own app and simulator, side by side: most of the time is waiting.
    std::thread::scope(|s| {
        for (i, (what, fault)) in sold_then_lost().into_iter().enumerate() {
            std::thread::Builder::new()
                .name(what.to_owned())
                // The number is optional: one form is added by its id alone.
                .spawn_scoped(s, move || {
                    sold_then_lost_is_tracked_and_adopted(what, fault, i != 3);
                })
                .unwrap();
        }
    });
}

/// Every way a TLS connection breaks after the number was sold: the purchase is "not
/// confirmed", never "not bought" (a close without `close_notify` used to count as a refusal).
#[test]
fn over_https_a_connection_broken_after_the_sale_is_not_confirmed() {
    let forms = [
        ("close without close_notify", Fault::CloseWithoutNotify),
        ("reset mid-body", Fault::ResetMidBody),
        ("cut reply", Fault::Truncated),
        (
            "closed with close_notify, no reply",
            Fault::DropAfterProcessing,
        ),
    ];
    std::thread::scope(|s| {
        for (what, fault) in forms {
            std::thread::Builder::new()
                .name(what.to_owned())
                .spawn_scoped(s, move || {
                    let dir = tempfile::tempdir().unwrap();
                    let dir = dir.path();
                    let config = SimConfig {
                        code_delay: None,
                        ..SimConfig::default()
                    };
                    let sim = https_sim_with(dir, config, |_| {});
                    let mut t = TestApp::signed_in(dir, &sim);
                    let before = sim.balance(KEY).unwrap();
                    buy_unconfirmed(&mut t, &sim, dir, fault, what);
                    never_called_not_bought(&t, what);
                    // A key that may be used elsewhere (the default): the drop proves nothing.
                    t.wait_for_text("other purchases on this account", WAIT);
                    assert!(!t.has_text("it probably went through"), "{what}");
                    let sold = sim.orders();
                    assert_eq!(sold.len(), 1, "{what}: sold over HTTPS");
                    assert_eq!(sim.balance(KEY).unwrap(), before - sold[0].price, "{what}");
                    t.run_for(Duration::from_secs(1));
                    assert_eq!(sim.count("getNumber"), 1, "{what}: never retried");
                    assert_eq!(not_confirmed(&t).len(), 1, "{what}: the card stays");
                })
                .unwrap();
        }
    });
}

/// A handshake refused before the request was written proves nothing was sold: "not bought".
#[test]
fn over_https_a_refused_handshake_is_not_bought() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = https_sim_with(dir, SimConfig::default(), |_| {});
    let mut t = TestApp::signed_in(dir, &sim);
    let balance = sim.balance(KEY).unwrap();
    t.open_buy("whatsapp", "WhatsApp");
    // Every handshake fails while the purchase is sent (a poll may take one first).
    sim.fail_handshakes(usize::MAX);
    t.confirm_buy();
    t.run_until("refusal shown", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains("Could not buy"))
    });
    sim.fail_handshakes(0);
    assert_eq!(sim.count("getNumber"), 0, "no request reached the server");
    assert!(sim.orders().is_empty());
    assert_eq!(sim.balance(KEY).unwrap(), balance);
    assert!(not_confirmed(&t).is_empty(), "no card for what never left");
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0].state, OrderState::NotBought);
}

/// An absurd `Retry-After` pauses the app for minutes, not an hour, and a Buy during the pause is
/// refused at once in words (never sent, so never charged), not held back unseen and sent later.
#[test]
fn a_buy_while_instaotp_asks_to_slow_down_is_refused_at_once_and_never_sent_later() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    let reads = sim.count("getBalance");
    sim.fault_once(
        "getBalance",
        Fault::RateLimitedFor {
            header: Some("99999999".into()),
            json_seconds: None,
        },
    );
    t.click("⟳ Refresh balance");
    t.run_until("the 429", WAIT, |_| sim.count("getBalance") > reads);
    t.run_for(Duration::from_millis(300));
    // The pause is on screen with its clock, in minutes, not an hour.
    assert!(
        t.has_text("waiting for InstaOTP, 4:") || t.has_text("waiting for InstaOTP, 5:00"),
        "the pause shown"
    );
    let started = Instant::now();
    t.buy("whatsapp", "WhatsApp");
    let refused = "Not sent: InstaOTP asked the app to slow down.";
    t.run_until("refused in words", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains(refused))
    });
    assert!(started.elapsed() < Duration::from_secs(5), "at once");
    let said = t.app().message_texts();
    assert!(
        said.iter()
            .any(|m| m.contains("try again in 4:") || m.contains("try again in 5:00")),
        "capped at minutes: {said:?}"
    );
    t.run_for(Duration::from_secs(2));
    assert_eq!(sim.count("getNumber"), 0, "never sent");
    assert!(not_confirmed(&t).is_empty());
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0].state, OrderState::NotBought);
}

/// `ACCESS_NUMBER:<id>` without the number proves the sale and names the order: it is followed
/// by its id at once (no card to settle), its number "on the InstaOTP website", and its code
/// shown when it comes.
#[test]
fn a_sale_named_by_its_id_alone_is_followed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    sim.fault_once(
        "getNumber",
        Fault::AfterSale {
            status: 200,
            body: "ACCESS_NUMBER:{id}".into(),
        },
    );
    t.buy("whatsapp", "WhatsApp");
    let sold = {
        t.run_until("sold", WAIT, |_| sim.orders().len() == 1);
        sim.orders()[0].clone()
    };
    t.run_until("followed by its id", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == sold.id)
    });
    assert!(not_confirmed(&t).is_empty(), "no card to settle");
    never_called_not_bought(&t, "id alone");
    t.click_tab("Orders");
    t.wait_for_text("see it on the InstaOTP website", WAIT);
    sim.deliver_code(&sold.id, "515151");
    t.wait_for_text("515151", WAIT);
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0].state, OrderState::CodeReceived);
    assert_eq!(sim.count("getNumber"), 1);
}

#[test]
fn it_was_not_bought_closes_the_card_and_is_kept_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    let attempt = buy_unconfirmed(&mut t, &sim, dir, Fault::DropAfterProcessing, "reset");
    t.click("It was not bought");
    t.run_until("card closed", WAIT, |h| {
        h.query_all_by_label_contains("Purchase not confirmed")
            .next()
            .is_none()
    });
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0].order_id, attempt.order_id);
    assert_eq!(orders[0].state, OrderState::NotBought);
    assert!(orders[0].by_user);
    assert!(orders[0].closed_at.is_some());
    // In the history, as "Not bought".
    t.wait_for_text("Not bought", WAIT);
    assert!(
        !t.app()
            .visible_problems()
            .iter()
            .any(|p| p.contains("Purchase not confirmed"))
    );
    assert_eq!(sim.count("getNumber"), 1);

    // Written, and read back by the next start.
    drop(t);
    let rows = wait_stored(dir, "not bought by the person", |rows| {
        rows.len() == 1 && rows[0].state == OrderState::NotBought
    });
    assert_eq!(rows[0].order_id, attempt.order_id);
    assert!(rows[0].by_user);
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("orders loaded", WAIT, |h| !h.state().orders().is_empty());
    t.click_tab("Orders");
    t.wait_for_text("Not bought", WAIT);
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].state, OrderState::NotBought);
    assert!(orders[0].by_user);
    assert!(!t.has_text("Purchase not confirmed"));
    assert!(!t.has_text("It was not bought"));
    assert_eq!(sim.count("getNumber"), 1);
}

/// A refusal as InstaOTP words it, with nothing sold.
fn refusal(body: &str) -> Fault {
    Fault::Reply {
        status: 200,
        body: body.into(),
    }
}

/// One clear refusal of `getNumber`: "not bought", with no card and nothing sold.
fn refusal_is_not_bought(what: &str, fault: Fault) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    let balance = sim.balance(KEY).unwrap();
    sim.fault_once("getNumber", fault);
    t.buy("whatsapp", "WhatsApp");
    t.run_until("refusal shown", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains("Could not buy"))
    });
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    t.run_for(Duration::from_millis(500));
    assert!(sim.orders().is_empty(), "{what}: nothing was sold");
    assert_eq!(sim.balance(KEY).unwrap(), balance, "{what}");
    if what != "rate limited" {
        assert_eq!(sim.count("getNumber"), 1, "{what}");
    }
    assert!(not_confirmed(&t).is_empty(), "{what}");
    t.click_tab("Orders");
    assert!(!t.has_text("Purchase not confirmed"), "{what}: no card");
    assert!(
        !t.app()
            .visible_problems()
            .iter()
            .any(|p| p.contains("Purchase not confirmed")),
        "{what}"
    );
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{what}: {orders:#?}");
    assert_eq!(orders[0].state, OrderState::NotBought, "{what}");
    assert!(!orders[0].by_user, "{what}: closed by the provider");
    let rows = wait_stored(dir, "not bought", |rows| {
        rows.len() == 1 && rows[0].state == OrderState::NotBought
    });
    assert!(rows[0].is_attempt(), "{what}");
    assert!(!rows[0].by_user, "{what}");
    // In the history as "Not bought".
    t.wait_for_text("Not bought", WAIT);
}

#[test]
fn a_clear_refusal_is_not_bought_with_no_card() {
    let refusals = [
        ("NO_NUMBERS", refusal("NO_NUMBERS")),
        ("rate limited", Fault::TooManyRequests),
        // The balance shown was out of date: InstaOTP has less than the price.
        ("NO_BALANCE", refusal("NO_BALANCE")),
        ("BANNED", refusal("BANNED:'2026-12-31 23:59:59'")),
        // The price went up since the list was read.
        ("WRONG_MAX_PRICE", refusal("WRONG_MAX_PRICE:15.00")),
        // The offer went away, or the request was not what InstaOTP expects.
        ("BAD_SERVICE", refusal("BAD_SERVICE")),
        ("BAD_PARAMS", refusal("BAD_PARAMS")),
    ];
    // Each in its own app and simulator, side by side.
    std::thread::scope(|s| {
        for (what, fault) in refusals {
            std::thread::Builder::new()
                .name(what.to_owned())
                .spawn_scoped(s, move || refusal_is_not_bought(what, fault))
                .unwrap();
        }
    });
}

#[test]
fn an_order_id_instaotp_does_not_know_is_refused_in_words_and_the_card_stays() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    let attempt = buy_unconfirmed(&mut t, &sim, dir, Fault::DropAfterProcessing, "reset");
    let sold = sim.orders()[0].clone();
    let wrong = "987654";
    assert_ne!(sold.id, wrong);

    add_by_order_id(&mut t, wrong, "+919999999999");
    t.wait_for_text("InstaOTP does not know this order id", WAIT);
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.action == "getStatus"
                && r.params.get("id").map(String::as_str) == Some(wrong)),
        "the id was checked with InstaOTP"
    );
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    assert!(t.has_text("Purchase not confirmed"), "the card stays");
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0].order_id, attempt.order_id);
    assert_eq!(orders[0].state, OrderState::NotConfirmed);
    let rows = stored(dir);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].order_id, attempt.order_id);
    assert_eq!(rows[0].state, OrderState::NotConfirmed);

    // Something that is no order id at all is refused without asking.
    let status_calls = sim.count("getStatus");
    add_by_order_id(&mut t, "not an id!", "");
    t.wait_for_text("That does not look like an order id", WAIT);
    assert_eq!(sim.count("getStatus"), status_calls);
    assert_eq!(not_confirmed(&t).len(), 1);

    // The right id still works after a wrong one.
    add_by_order_id(&mut t, &sold.id, "");
    t.run_until("adopted", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == sold.id)
    });
    assert_eq!(t.app().orders().len(), 1);
    wait_stored(dir, "the adopted order", |rows| {
        rows.len() == 1 && rows[0].order_id == sold.id
    });
}

#[test]
fn the_balance_sentence_tells_a_charged_sale_from_an_uncharged_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    // A 500 page with nothing sold: unclear, so a card, but the balance did not move.
    buy_unconfirmed(&mut t, &sim, dir, Fault::ServerError, "500, not sold");
    assert!(sim.orders().is_empty());
    t.wait_for_text("it was probably not bought", WAIT);
    assert!(!t.has_text("it probably went through"));
    never_called_not_bought(&t, "500, not sold");
}

#[test]
fn an_attempt_left_by_a_killed_app_shows_its_card_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    // As a killed app leaves it: written before getNumber, never settled. The balance then was
    // one price above what the account has now: the money went.
    let offer = test_offer("WhatsApp");
    let balance: Decimal = sim.balance(KEY).unwrap() + offer.price;
    let attempt = Order::attempt(&offer, now_millis() - 60_000, Some(balance));
    OrderStore::open(&dir.join("orders.sqlite"))
        .unwrap()
        .save(&attempt)
        .unwrap();

    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("attempt loaded", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == attempt.order_id)
    });
    t.click_tab("Orders");
    t.wait_for_text("Purchase not confirmed", WAIT);
    t.wait_for_text("it probably went through", WAIT);
    assert!(t.has_text("Add it by order id"));
    assert!(t.has_text("It was not bought"));
    assert!(
        t.app()
            .visible_problems()
            .iter()
            .any(|p| p.contains("Purchase not confirmed"))
    );
    // Neither bought again nor asked about: the attempt has no order id InstaOTP knows.
    t.run_for(Duration::from_secs(4));
    assert_eq!(sim.count("getNumber"), 0);
    assert!(
        !sim.requests()
            .iter()
            .any(|r| { r.action == "getStatus" && r.params.get("id") == Some(&attempt.order_id) })
    );
    let rows = stored(dir);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, OrderState::NotConfirmed);
    never_called_not_bought(&t, "restart");
}

fn enabled(t: &TestApp, label: &str) -> bool {
    t.harness
        .query_by_label(label)
        .is_some_and(|n| !n.accesskit_node().is_disabled())
}

#[test]
fn another_keys_unconfirmed_purchase_can_be_neither_added_nor_closed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim_with(
        dir,
        SimConfig {
            accounts: vec![
                (KEY.into(), "100".parse().unwrap()),
                ("second-key".into(), "50".parse().unwrap()),
            ],
            code_delay: None,
            ..SimConfig::default()
        },
        |_| {},
    );
    let mut t = TestApp::signed_in(dir, &sim);
    let attempt = buy_unconfirmed(&mut t, &sim, dir, Fault::DropAfterProcessing, "reset");
    let sold = sim.orders()[0].id.clone();
    assert!(enabled(&t, "It was not bought"));

    t.change_key("second-key");
    t.wait_for_text("Balance: ₹50.00", WAIT);
    t.run_until("orders open", WAIT, |h| h.state().can_buy());
    t.click_tab("Orders");
    t.wait_for_text("Asked for with another key", WAIT);
    assert!(t.has_text("Purchase not confirmed"), "still shown");
    // The balance shown is the second key's: it tells nothing about this purchase.
    assert!(
        !t.has_text("Your balance"),
        "a balance sentence from another account"
    );
    for action in ["It was not bought", "Add it by order id"] {
        assert!(!enabled(&t, action), "{action} is offered to another key");
    }
    // Pressed anyway (a stale frame, a keyboard): nothing is asked with this key, nothing closed.
    let mark = sim.requests().len();
    t.click("It was not bought");
    t.click("Add it by order id");
    t.run_for(Duration::from_secs(2));
    assert!(
        !sim.requests()
            .iter()
            .skip(mark)
            .any(|r| r.params.get("id").map(String::as_str) == Some(sold.as_str())),
        "the first key's number was asked about with the second key"
    );
    let attempts = not_confirmed(&t);
    assert_eq!(attempts.len(), 1, "{attempts:#?}");
    assert_eq!(attempts[0].order_id, attempt.order_id);
    assert!(!t.has_text("Check and add"), "the form stays shut");

    // The first key back: the card can be resolved again, and the number is followed.
    t.change_key(KEY);
    let balance = format!("Balance: ₹{:.2}", sim.balance(KEY).unwrap());
    t.wait_for_text(&balance, WAIT);
    t.run_until("orders open", WAIT, |h| h.state().can_buy());
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    t.click_tab("Orders");
    t.run_until("actions back", WAIT, |h| {
        h.query_by_label("It was not bought")
            .is_some_and(|n| !n.accesskit_node().is_disabled())
    });
    let mark = sim.requests().len();
    add_by_order_id(&mut t, &sold, "");
    let until = Instant::now() + WAIT;
    while Instant::now() < until && !t.app().orders().iter().any(|o| o.order_id == sold) {
        t.run_for(Duration::from_millis(100));
    }
    assert!(
        t.app().orders().iter().any(|o| o.order_id == sold),
        "not followed: {:#?}; asked {:?}; field {:?}",
        t.app().orders(),
        sim.requests()
            .iter()
            .skip(mark)
            .map(|r| (r.action.clone(), r.params.get("id").cloned()))
            .collect::<Vec<_>>(),
        t.harness.query_by_label("Order id").and_then(|n| n.value())
    );
    assert!(not_confirmed(&t).is_empty());
}

#[test]
fn an_unknown_word_to_a_purchase_is_not_confirmed_and_shown_as_it_came() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    // A word neither InstaOTP's doc nor the family knows: it may hide a sale.
    let attempt = buy_unconfirmed(
        &mut t,
        &sim,
        dir,
        refusal("SERVER_BUSY_RETRY"),
        "unknown word",
    );
    never_called_not_bought(&t, "unknown word");
    assert_eq!(attempt.raw_reply.as_deref(), Some("SERVER_BUSY_RETRY"));
    t.wait_for_text("SERVER_BUSY_RETRY", WAIT);
    assert!(t.has_text("It was not bought"));
    t.run_for(Duration::from_secs(1));
    assert_eq!(sim.count("getNumber"), 1, "never bought again by itself");
    assert_eq!(not_confirmed(&t).len(), 1, "the card stays");
}
