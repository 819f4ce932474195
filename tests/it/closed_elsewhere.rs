//! Orders closed behind the app's back: cancelled on the website (ALREADY_CANCEL), or ended by
//! InstaOTP (NO_ACTIVATION, in `tests/clock.rs`, where a minute can pass at once). The order ends in words staff understand, is never asked
//! about again, and the balance is read again so the one shown is the provider's.

use std::path::Path;
use std::time::Duration;

use crate::common::{
    KEY, TestApp, balance_read_after, shown_balance, sim_with, wait_balance_read,
    wait_shown_balance,
};
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(20);

/// A 1 s cancel lock, codes only when a test delivers them, polls every 3 s.
fn sim(dir: &Path) -> Simulator {
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    sim_with(dir, config, |_| {})
}

/// Buys the first WhatsApp offer and waits until the purchase (and its balance read) is done;
/// returns the order id.
fn buy(t: &mut TestApp, sim: &Simulator) -> String {
    t.buy("whatsapp", "WhatsApp");
    t.run_until("order", WAIT, |h| {
        h.state().orders().iter().any(|o| !o.is_attempt())
    });
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    wait_shown_balance(t, sim);
    t.app().orders()[0].order_id.clone()
}

/// Requests about `id` since request number `since`.
fn asked_about(sim: &Simulator, since: usize, id: &str) -> Vec<String> {
    sim.requests()
        .iter()
        .skip(since)
        .filter(|r| r.params.get("id").map(String::as_str) == Some(id))
        .map(|r| r.action.clone())
        .collect()
}

/// The provider's status lags behind its website: polls still say "waiting", so the app learns
/// of the change only from its own cancel.
fn status_lags(sim: &Simulator) {
    sim.set_fault(
        "getStatus",
        Some(Fault::Reply {
            status: 200,
            body: "STATUS_WAIT_CODE".into(),
        }),
    );
}

#[test]
fn a_cancel_answered_already_cancel_closes_the_order_and_reads_the_balance() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    status_lags(&sim);
    let id = buy(&mut t, &sim);
    assert_eq!(shown_balance(&t), sim.balance(KEY));

    // Cancelled on the website, refunded there; the app still shows it waiting.
    assert!(sim.cancel_order(&id));
    assert_eq!(sim.balance(KEY), Some(start));
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.cancel_on_its_card();
    t.run_until("closed", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::Cancelled);
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after it"
    );
    let sets = asked_about(&sim, mark, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 1, "one cancel sent");
    // Said as what happened, not as a failure.
    let messages = t.app().message_texts();
    assert!(
        messages.iter().any(|m| m.contains("was already cancelled"))
            && !messages.iter().any(|m| m.contains("Could not")),
        "{messages:?}"
    );
}

#[test]
fn finish_answered_already_cancel_after_a_code_ends_it_with_the_code_not_refunded() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t, &sim);
    sim.deliver_code(&id, "246810");
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("246810")
    });
    let charged = sim.balance(KEY).unwrap();

    // Closed on the website after its code: not refunded there; the app has not heard.
    status_lags(&sim);
    assert!(sim.cancel_order(&id));
    assert_eq!(sim.balance(KEY), Some(charged));
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.click_tab("Orders");
    t.click("Finish");
    t.run_until("ended", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::EndedWithCode);
    assert!(!t.state_of(&id).refunded(), "a code is never refunded");
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(charged));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after it"
    );
    t.wait_for_text("Ended with a code", WAIT);
}

#[test]
fn an_order_instaotp_closes_after_its_code_ends_with_the_code_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t, &sim);
    sim.deliver_code(&id, "135790");
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("135790")
    });
    let charged = sim.balance(KEY).unwrap();
    // Its time is over at InstaOTP, which closes it (no refund: a code came). Nobody presses a
    // button: the open-orders list no longer names it, so its status is asked.
    assert!(sim.cancel_order(&id));
    t.run_until("ended by itself", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::EndedWithCode);
    assert!(!t.state_of(&id).refunded(), "a code is never refunded");
    assert_eq!(sim.count("setStatus"), 0);
    assert_eq!(sim.balance(KEY), Some(charged));
    t.wait_for_text("Ended with a code", WAIT);
}

#[test]
fn a_cancel_refunded_by_instaotp_reads_the_balance_and_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    let id = buy(&mut t, &sim);
    assert!(
        shown_balance(&t) < Some(start),
        "the purchase is shown charged"
    );
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.cancel_on_its_card();
    t.wait_for_state(&id, OrderState::Cancelled);
    assert_eq!(sim.balance(KEY), Some(start), "InstaOTP refunded it");
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after the ACCESS_CANCEL"
    );
}

#[test]
fn an_order_cancelled_on_the_website_before_a_code_is_refunded_and_the_balance_read() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    let id = buy(&mut t, &sim);
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    // Cancelled on the website: the next poll answers STATUS_CANCEL, and no code came.
    assert!(sim.cancel_order(&id));
    t.run_until("cancelled", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    let order = t.app().orders()[0].clone();
    assert_eq!(order.state, OrderState::Cancelled);
    assert!(order.state.refunded());
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "getStatus", &id),
        "a getBalance after the STATUS_CANCEL"
    );
    let sets = asked_about(&sim, mark, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 0, "the app itself cancelled nothing");
}

/// Orders belong to the address and the account they were bought at: opened at another address
/// (another provider, or an address typed by mistake), the app asks nothing about them there and
/// ends none of them; back at the first address they are followed again.
#[test]
fn another_address_ends_no_order_and_asks_nothing_about_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = sim(dir.path());
    let elsewhere = Simulator::start(SimConfig::default()).unwrap();
    let mut t = TestApp::signed_in(dir.path(), &first);
    let id = buy(&mut t, &first);
    drop(t);

    let mut t = TestApp::signed_in(dir.path(), &elsewhere);
    t.run_until("orders loaded", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == id)
    });
    t.run_for(Duration::from_secs(7));
    assert_eq!(t.state_of(&id), OrderState::Waiting, "nothing ended");
    assert!(
        !t.app().session().unwrap().is_ours(&t.app().orders()[0]),
        "not followed at another address"
    );
    let asked: Vec<_> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| r.params.contains_key("id"))
        .collect();
    assert!(
        asked.is_empty(),
        "asked about an order bought elsewhere: {asked:?}"
    );
    drop(t);

    let mut t = TestApp::signed_in(dir.path(), &first);
    first.deliver_code(&id, "424242");
    t.run_until("followed again", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("424242")
    });
}

/// An order of a key no longer used (a key replaced on the account page, or an address no longer
/// used) is never asked about with the key signed in now: the person can end it here ("I no
/// longer use this key"), and it ends by itself after its lifetime and the grace. Either way its
/// refund is not counted, and nothing is sent to InstaOTP about it.
#[test]
fn an_order_of_a_key_no_longer_used_can_be_left_and_ends_by_itself_after_its_lifetime() {
    let dir = tempfile::tempdir().unwrap();
    let first = sim(dir.path());
    let elsewhere = Simulator::start(SimConfig::default()).unwrap();
    let (recent, old) = {
        let mut t = TestApp::signed_in(dir.path(), &first);
        let recent = buy(&mut t, &first);
        let old = buy(&mut t, &first);
        (recent, old)
    };
    // The second was bought 31 minutes ago: past its lifetime and the grace.
    let store =
        instaotp_desktop::orders::OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let mut aged = store
        .load_all()
        .unwrap()
        .into_iter()
        .find(|o| o.order_id == old)
        .unwrap();
    aged.bought_at -= 31 * 60_000;
    store.save(&aged).unwrap();
    drop(store);

    let mut t = TestApp::signed_in(dir.path(), &elsewhere);
    t.wait_for_state(&old, OrderState::EndedRefundUnconfirmed);
    assert_eq!(t.state_of(&recent), OrderState::Waiting);
    t.click_tab("Orders");
    t.click("I no longer use this key");
    t.wait_for_state(&recent, OrderState::EndedRefundUnconfirmed);
    for order in t.app().orders() {
        assert!(!order.state.refunded(), "{order:?}");
    }
    assert!(
        t.app()
            .orders()
            .iter()
            .any(|o| o.order_id == recent && o.by_user)
    );
    t.wait_for_text("Ended — refund not confirmed", WAIT);
    let asked: Vec<_> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| r.params.contains_key("id"))
        .collect();
    assert!(asked.is_empty(), "{asked:?}");
}

/// InstaOTP's order ids are not promised unique: two accounts get the same id. The order bought
/// with the second key never overwrites the first key's in the orders database; both are kept,
/// each followed only with its own key.
#[test]
fn the_same_order_id_on_two_accounts_keeps_both_orders() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        accounts: vec![
            (crate::common::KEY.to_owned(), Decimal::new(10_000, 2)),
            ("key-b".to_owned(), Decimal::new(10_000, 2)),
        ],
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    let sim = sim_with(dir.path(), config, |_| {});
    sim.ids_per_account(true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let first = buy(&mut t, &sim);
    t.change_key("key-b");
    t.run_until("signed in with the second key", WAIT, |h| {
        h.state().can_buy() && h.state().orders().iter().any(|o| o.order_id == first)
    });
    t.click_tab("Services");
    t.wait_for_offers();
    t.buy("whatsapp", "WhatsApp");
    t.run_until("the second order", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .filter(|o| o.order_id == first && !o.is_attempt())
            .count()
            == 2
    });
    let sold = sim.orders();
    assert_eq!(sold.len(), 2);
    assert_eq!(sold[0].id, sold[1].id, "the same id on two accounts");
    drop(t);
    let stored = instaotp_desktop::orders::OrderStore::open(&dir.path().join("orders.sqlite"))
        .unwrap()
        .load_all()
        .unwrap();
    let phones: Vec<&str> = stored
        .iter()
        .filter(|o| o.order_id == first)
        .map(|o| o.phone.as_str())
        .collect();
    assert_eq!(phones.len(), 2, "both kept: {stored:#?}");
    assert_ne!(phones[0], phones[1]);
}
