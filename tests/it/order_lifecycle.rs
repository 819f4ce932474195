//! Orders reach an end: finished automatically some minutes after the code when asked for, ended
//! "with a code" (not refunded) once past the lifetime, and never polled again after they end,
//! across a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{KEY, TestApp, https_sim_with, sim_with, start_app};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::orders::history::{HistoryFilter, HistoryView, local_time_zone};
use instaotp_desktop::orders::{OrderState, OrderStore, now_millis};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(15);

fn sim(
    dir: &std::path::Path,
    edit: impl FnOnce(&mut instaotp_desktop::settings::Settings),
) -> Simulator {
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: Some(Duration::ZERO),
        ..SimConfig::default()
    };
    sim_with(dir, config, edit)
}

/// Buys one number and waits for its code; returns its id.
fn buy_until_code(t: &mut TestApp) -> String {
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("code", WAIT, |h| {
        h.state().orders().first().is_some_and(|o| o.code.is_some())
    });
    t.app().orders()[0].order_id.clone()
}

/// Moves the stored times of an order back by `ms` (as if the app had been closed that long).
fn age_order(dir: &std::path::Path, id: &str, ms: i64) {
    // The closed app's order writer joined when it was dropped: its writes are all on disk.
    let store = OrderStore::open(&dir.join("orders.sqlite")).unwrap();
    let mut order = store
        .load_all()
        .unwrap()
        .into_iter()
        .find(|o| o.order_id == id)
        .unwrap();
    order.bought_at -= ms;
    order.code_at = order.code_at.map(|t| t - ms);
    order.last_checked = order.last_checked.map(|t| t - ms);
    store.save(&order).unwrap();
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

fn restart(dir: &std::path::Path, sim: &Simulator) -> TestApp {
    start_app(dir, &sim.url(), Arc::new(MemoryKeychain::with_key(KEY)))
}

/// Resellers send the SMS as free text, often after a sender id in capitals: the code is shown
/// large, notified and copyable, Finish is offered, and the order counts as having its SMS (so
/// auto-cancel and replace-if-no-code leave it alone). Over HTTPS, as staff use it.
#[test]
fn an_sms_sent_as_text_after_a_sender_id_is_a_code_with_finish() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: Some(Duration::ZERO),
        ..SimConfig::default()
    };
    let sim = https_sim_with(dir.path(), config, |s| {
        s.notifications = true;
        s.auto_cancel = true;
    });
    sim.sms_as_text(Some("AMAZON: {code} is your code. Do not share it."));
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy_until_code(&mut t);
    let sold = sim.orders();
    let code = match &sold[0].state {
        instaotp_desktop::sim::SimOrderState::CodeReceived(code) => code.clone(),
        other => panic!("{other:?}"),
    };
    t.wait_for_state(&id, OrderState::CodeReceived);
    let order = t.app().orders()[0].clone();
    assert!(!order.no_sms_at_all(), "it got its SMS");
    assert!(
        order.raw_reply.is_none(),
        "not shown as a reply not understood"
    );
    t.click_tab("Orders");
    t.wait_for_text(&code, WAIT);
    assert!(
        t.notifier
            .sent()
            .iter()
            .any(|n| n.body.contains(&code) || n.summary.contains(&code)),
        "notified: {:?}",
        t.notifier.sent()
    );
    t.click("Finish");
    t.wait_for_state(&id, OrderState::Finished);
    assert!(
        asked_about(&sim, 0, &id).iter().any(|a| a == "setStatus"),
        "finished by the person"
    );
}

#[test]
fn an_order_is_finished_automatically_minutes_after_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), |s| s.auto_finish_minutes = Some(2));
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        let id = buy_until_code(&mut t);
        // Right after the code: not yet.
        t.harness.run_steps(5);
        assert!(asked_about(&sim, 0, &id).iter().all(|a| a != "setStatus"));
        id
    };
    // The code came three minutes ago: the next start finishes it, once.
    age_order(dir.path(), &id, 3 * 60_000);
    let mut t = restart(dir.path(), &sim);
    t.wait_for_state(&id, OrderState::Finished);
    let sets = asked_about(&sim, 0, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 1, "finished once");
}

#[test]
fn auto_finish_asks_again_a_poll_interval_after_an_ask_that_got_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), |s| {
        s.auto_finish_minutes = Some(2);
        s.poll_interval_secs = 3;
    });
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        buy_until_code(&mut t)
    };
    age_order(dir.path(), &id, 3 * 60_000);
    // The first Finish never reaches InstaOTP: the connection drops.
    sim.fault_once("setStatus", Fault::Drop);
    let mut t = restart(dir.path(), &sim);
    let start = Instant::now();
    t.wait_for_state(&id, OrderState::Finished);
    let sets = asked_about(&sim, 0, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 2, "asked again once, after the lost one");
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "not asked again at once, but a poll interval later"
    );
}

#[test]
fn an_order_with_a_code_ends_after_its_lifetime_and_is_never_polled_again() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), |s| s.poll_interval_secs = 3);
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        buy_until_code(&mut t)
    };
    // Past its lifetime (20 min) and the grace (10 min), nobody pressed Finish.
    age_order(dir.path(), &id, 31 * 60_000);
    let mut t = restart(dir.path(), &sim);
    t.wait_for_state(&id, OrderState::EndedWithCode);
    assert!(
        !t.app().orders()[0].state.refunded(),
        "a code is never refunded"
    );
    drop(t);

    // Ended: a new start never asks about it again.
    let mark = sim.requests().len();
    let mut t = restart(dir.path(), &sim);
    t.run_until("orders loaded", WAIT, |h| !h.state().orders().is_empty());
    let until = Instant::now() + Duration::from_secs(7);
    t.run_until("two poll intervals", Duration::from_secs(10), |_| {
        Instant::now() > until
    });
    assert_eq!(asked_about(&sim, mark, &id), Vec::<String>::new());
    let stored = OrderStore::open(&dir.path().join("orders.sqlite"))
        .unwrap()
        .load_all()
        .unwrap();
    assert_eq!(stored[0].state, OrderState::EndedWithCode);
}

#[test]
fn an_order_left_open_over_a_long_weekend_is_looked_at_once_and_its_refund_not_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    let sim = sim_with(dir.path(), config, |s| s.poll_interval_secs = 3);
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        t.run_until("store", WAIT, |h| h.state().can_buy());
        t.buy("whatsapp", "WhatsApp");
        t.run_until("bought", WAIT, |h| {
            h.state().orders().first().is_some_and(|o| !o.is_attempt())
        });
        t.app().orders()[0].order_id.clone()
    };
    // Bought on Friday, no code; the app was closed until Monday, and InstaOTP refunded it.
    age_order(dir.path(), &id, 3 * 24 * 60 * 60_000);
    assert!(sim.cancel_order(&id));
    let mark = sim.requests().len();
    let mut t = restart(dir.path(), &sim);
    let until = Instant::now() + WAIT;
    while Instant::now() < until && !t.app().orders().iter().any(|o| o.state.is_final()) {
        t.run_for(Duration::from_millis(100));
    }
    assert!(
        t.app().orders().iter().any(|o| o.state.is_final()),
        "not ended: {:?}, asked {:?}",
        t.app().orders(),
        asked_about(&sim, mark, &id)
    );
    // InstaOTP ended it, but an SMS may have come while the app was closed: the refund is not
    // counted, and the balance is read again to show what InstaOTP has.
    let order = t.app().orders()[0].clone();
    assert_eq!(order.state, OrderState::EndedRefundUnconfirmed);
    assert!(!order.state.refunded());
    assert_eq!(asked_about(&sim, mark, &id), ["getStatus"], "asked once");
    t.run_until("the balance read after the end", WAIT, |_| {
        let log = sim.requests();
        let ended_at = log
            .iter()
            .skip(mark)
            .position(|r| r.params.get("id") == Some(&id))
            .map_or(usize::MAX, |i| i + mark);
        log.iter()
            .skip(ended_at.saturating_add(1))
            .any(|r| r.action == "getBalance")
    });
    t.click_tab("Orders");
    t.wait_for_text("Ended — refund not confirmed", WAIT);
}

/// Buys the first offer for `service` and waits for the new order; returns its id.
fn buy_one(t: &mut TestApp, search: &str, service: &str) -> String {
    let bought = t.app().orders().len();
    t.buy(search, service);
    t.run_until("order", WAIT, |h| h.state().orders().len() > bought);
    let order = &t.app().orders()[0];
    assert!(!order.is_attempt(), "{service}: bought: {order:?}");
    order.order_id.clone()
}

fn rupees(amount: Decimal) -> String {
    format!("₹{amount:.2}")
}

#[test]
fn history_totals_count_spent_refunded_and_not_confirmed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(
        dir.path(),
        SimConfig {
            cancel_lock: Duration::from_secs(1),
            code_delay: None,
            ..SimConfig::default()
        },
        |_| {},
    );
    let mut t = TestApp::signed_in(dir.path(), &sim);
    // Finished after its code.
    let finished = buy_one(&mut t, "whatsapp", "WhatsApp");
    sim.deliver_code(&finished, "111111");
    t.wait_for_state(&finished, OrderState::CodeReceived);
    t.click_tab("Orders");
    t.click("Finish");
    t.wait_for_state(&finished, OrderState::Finished);
    // Cancelled before any code: refunded.
    let cancelled = buy_one(&mut t, "amazon", "Amazon");
    t.cancel_on_its_card();
    t.wait_for_state(&cancelled, OrderState::Cancelled);
    // A code came and nobody pressed Finish.
    let ended = buy_one(&mut t, "paytm", "Paytm");
    sim.deliver_code(&ended, "333333");
    t.wait_for_state(&ended, OrderState::CodeReceived);
    drop(t);
    // Past its lifetime and the grace: the next start ends it with its code.
    age_order(dir.path(), &ended, 31 * 60_000);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.wait_for_state(&ended, OrderState::EndedWithCode);
    // Sold, then the reply was lost: not confirmed.
    sim.fault_once("getNumber", Fault::DropAfterProcessing);
    t.buy("flipkart", "Flipkart");
    t.wait_for_text("Purchase not confirmed", WAIT);
    let attempt = t
        .app()
        .orders()
        .iter()
        .find(|o| o.state == OrderState::NotConfirmed)
        .expect("not confirmed")
        .clone();

    let price = |id: &str| sim.orders().iter().find(|o| o.id == id).unwrap().price;
    let (p_finished, p_cancelled, p_ended) = (price(&finished), price(&cancelled), price(&ended));
    let p_attempt = attempt.price;
    let sold = sim.orders();
    assert_eq!(sold.len(), 4, "{sold:#?}");
    let lost = sold
        .iter()
        .find(|o| ![&finished, &cancelled, &ended].contains(&&o.id))
        .unwrap();
    assert_eq!(lost.price, p_attempt, "the attempt's price is the sale's");
    let prices = [p_finished, p_cancelled, p_ended, p_attempt];
    for (i, a) in prices.iter().enumerate() {
        assert!(!prices[i + 1..].contains(a), "distinct prices: {prices:?}");
    }

    // Exactly, in Decimal: the ended-with-code order is spent, not refunded.
    let view = HistoryView::new(
        t.app().orders(),
        &HistoryFilter::default(),
        now_millis(),
        &local_time_zone(),
    );
    assert_eq!(view.rows.len(), 3, "closed orders only");
    assert_eq!(view.spent, p_finished + p_ended);
    assert_eq!(view.refunded, p_cancelled);
    assert_eq!(view.not_confirmed, p_attempt);
    // And as the simulator counts its money: what it kept is spent or not confirmed.
    let ledger = sim.ledger(KEY);
    assert_eq!(ledger.spent, view.spent + view.not_confirmed);
    assert_eq!(ledger.refunded, view.refunded);
    // In the words staff read.
    t.click_tab("Orders");
    let totals = format!(
        "3 orders · Paid {} · Refunded {} · Net {} · not confirmed {}",
        rupees(p_finished + p_ended + p_cancelled),
        rupees(p_cancelled),
        rupees(p_finished + p_ended),
        rupees(p_attempt)
    );
    t.wait_for_text(&totals, WAIT);
    for words in ["Finished", "Cancelled (refunded)", "Ended with a code"] {
        assert!(t.has_text(words), "{words} in the history");
    }
}

/// Prices move during the day: the list said one price, InstaOTP charged another. The order keeps
/// what InstaOTP took (read from the balance after the purchase, nothing else having moved it),
/// the card shows it, and the history's "spent" is the simulator's charge to the paisa. Over
/// HTTPS, as staff use it.
#[test]
fn the_charge_kept_is_what_instaotp_took_not_the_list_price() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    // Only this computer uses the key: a balance drop with nothing else moving is the charge.
    let sim = https_sim_with(dir.path(), config, |s| s.key_only_here = true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    // The list is read; then every WhatsApp offer costs 1.30 more.
    let rise = Decimal::new(130, 2);
    for o in sim.offers().iter().filter(|o| o.name == "WhatsApp") {
        sim.set_price(&o.id, &o.country, &o.server, o.price + rise);
    }
    let id = buy_one(&mut t, "whatsapp", "WhatsApp");
    t.run_until("the charge read", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.charged.is_some())
    });
    let sold = sim.orders().into_iter().find(|o| o.id == id).unwrap();
    let order = t.app().orders()[0].clone();
    assert_eq!(order.charged, Some(sold.price), "what InstaOTP took");
    assert_eq!(order.price + rise, sold.price, "the list said less");
    assert_eq!(order.charge(), sold.price);
    t.click_tab("Orders");
    t.wait_for_text(&rupees(sold.price), WAIT);

    // Finished: the history counts what was charged.
    sim.deliver_code(&id, "909090");
    t.wait_for_state(&id, OrderState::CodeReceived);
    t.click("Finish");
    t.wait_for_state(&id, OrderState::Finished);
    let view = HistoryView::new(
        t.app().orders(),
        &HistoryFilter::default(),
        now_millis(),
        &local_time_zone(),
    );
    assert_eq!(view.spent, sold.price);
    assert_eq!(sim.ledger(KEY).spent, view.spent);
}

/// One key on several buyers (the default): a number bought on the website between this desk's
/// balance read and its purchase lowers the balance too, so the drop is never kept as this
/// desk's charge; the list price is kept, marked as such.
#[test]
fn a_drop_someone_else_may_explain_is_never_taken_for_the_charge() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    let sim = https_sim_with(dir.path(), config, |_| {});
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let amazon = sim
        .offers()
        .into_iter()
        .find(|o| o.name == "Amazon" && o.qty > 0)
        .unwrap();
    sim.buy_on_website(KEY, &amazon.id, &amazon.country, &amazon.server)
        .unwrap();
    let reads = sim.count("getBalance");
    let id = buy_one(&mut t, "whatsapp", "WhatsApp");
    let truth = sim.balance(KEY).unwrap();
    t.run_until("the balance read after the purchase", WAIT, |h| {
        sim.count("getBalance") > reads
            && h.state()
                .session()
                .and_then(|s| s.balance())
                .is_some_and(|(b, _)| b.amount == truth)
    });
    t.run_for(Duration::from_millis(300));
    let order = t
        .app()
        .orders()
        .iter()
        .find(|o| o.order_id == id)
        .unwrap()
        .clone();
    assert_eq!(order.charged, None, "{order:#?}");
    t.click_tab("Orders");
    t.wait_for_text("(list price)", WAIT);
}

/// A provider whose cancel lock is longer than InstaOTP's usual: its `EARLY_CANCEL_DENIED` is
/// learnt, said in words, and no cancel goes out again before the longer lock is over.
#[test]
fn a_longer_cancel_lock_is_learnt_and_no_cancel_goes_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        cancel_lock: Duration::from_secs(6),
        code_delay: None,
        ..SimConfig::default()
    };
    // The app believes the usual lock is 1 s; this provider's is 6 s.
    let sim = sim_with(dir.path(), config, |s| s.cancel_lock_secs = 1);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| {
        h.state().orders().iter().any(|o| o.is_watched())
    });
    let id = t.app().orders()[0].order_id.clone();
    // Well past the lock believed (a refusal just after it teaches nothing: the provider dates
    // a sale a moment later).
    t.run_for(Duration::from_millis(3200));
    t.cancel_on_its_card();
    t.wait_for_text("its cancel lock is longer than usual", WAIT);
    assert_eq!(t.state_of(&id), OrderState::Waiting, "nothing happened");
    assert_eq!(sim.count("setStatus"), 1);
    let locked = |t: &TestApp| {
        t.harness
            .query_by_label("Cancel")
            .is_some_and(|n| n.accesskit_node().is_disabled())
    };
    assert!(locked(&t), "Cancel locked again");
    t.run_for(Duration::from_secs(2));
    assert!(locked(&t), "still locked past the provider's refusal");
    assert_eq!(sim.count("setStatus"), 1, "no second early cancel");
    // Past the lock learnt: the cancel goes, once, and is refunded.
    t.cancel_on_its_card();
    t.wait_for_state(&id, OrderState::Cancelled);
    assert_eq!(sim.count("setStatus"), 2);
}
