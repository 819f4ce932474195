//! A purchase whose reply was lost is found among the account's open orders where InstaOTP lists
//! them (`getActiveActivations`), and followed without the person looking it up. Where it is not
//! offered (`BAD_ACTION`, as InstaOTP's doc), it is asked once per account and never again.

use std::time::Duration;

use crate::common::{TestApp, sim_with};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::orders::{OrderState, OrderStore};
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(20);

fn sim(dir: &std::path::Path) -> Simulator {
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

/// Buys WhatsApp with the reply lost after the sale and waits for the "not confirmed" card.
fn buy_with_reply_lost(t: &mut TestApp, sim: &Simulator) {
    sim.fault_once(
        "getNumber",
        Fault::AfterSale {
            status: 502,
            body: "<html><title>502 Bad Gateway</title></html>".into(),
        },
    );
    t.buy("whatsapp", "WhatsApp");
    t.wait_for_text("Purchase not confirmed", WAIT);
}

#[test]
fn a_lost_purchase_is_found_among_the_open_orders_and_followed_to_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    sim.offer_active_activations(true);
    let mut t = TestApp::signed_in(dir, &sim);
    buy_with_reply_lost(&mut t, &sim);
    let sold = sim.orders();
    assert_eq!(sold.len(), 1);
    let sold = sold[0].clone();

    t.run_until("found among the open orders", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == sold.id && o.state == OrderState::Waiting)
    });
    let orders = t.app().orders().to_vec();
    assert_eq!(orders.len(), 1, "the attempt became the order: {orders:#?}");
    assert_eq!(orders[0].phone, sold.phone.trim_start_matches('+'));
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("went through after all")),
        "the person is told: {:?}",
        t.app().message_texts()
    );
    t.run_until("card gone", WAIT, |h| {
        !h.state().orders().iter().any(|o| o.is_attempt())
    });
    assert_eq!(sim.count("getNumber"), 1, "never bought twice");
    assert!(sim.count("getActiveActivations") >= 1);

    // Followed like any other order: the code arrives on screen.
    sim.deliver_code(&sold.id, "482913");
    t.wait_for_text("482913", WAIT);
    let stored = OrderStore::open(&dir.join("orders.sqlite"))
        .unwrap()
        .load_all()
        .unwrap();
    assert!(stored.iter().all(|o| !o.is_attempt()), "{stored:#?}");

    // Nothing left to look for, and the order has its code: the list, which polls it too, is
    // asked slowly now (at most the one already planned in 4 s).
    let asked = sim.count("getActiveActivations");
    t.run_for(Duration::from_secs(4));
    assert!(sim.count("getActiveActivations") <= asked + 1);
}

#[test]
fn bad_action_is_asked_once_and_remembered_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    let mut t = TestApp::signed_in(dir, &sim);
    buy_with_reply_lost(&mut t, &sim);
    t.run_until("the list asked for", WAIT, |_| {
        sim.count("getActiveActivations") == 1
    });
    t.run_until("the answer read", WAIT, |h| {
        h.state()
            .session()
            .is_some_and(|s| s.active_offered() == instaotp_desktop::api::active::Offered::No)
    });
    // The card stays for the person to resolve.
    assert!(t.has_text("Purchase not confirmed"));
    assert!(t.has_text("Add it by order id"));
    drop(t);

    // A new start with the card still there: the account is known not to list open orders.
    let mut t = TestApp::with_saved_key(dir, &sim.url());
    t.run_until("orders database open", WAIT, |h| h.state().can_buy());
    if !t.has_text("Purchase not confirmed") {
        t.click_tab("Orders");
    }
    t.wait_for_text("Purchase not confirmed", WAIT);
    t.run_for(Duration::from_secs(5));
    assert_eq!(
        sim.count("getActiveActivations"),
        1,
        "asked once per account"
    );
    assert_eq!(sim.count("getNumber"), 1);
}

/// One key, several buyers: right after this desk's purchase whose reply was lost, the website
/// buys the same service. Two open orders fit, so neither is taken by itself: the card lists
/// both, says the balance proves nothing (another purchase may explain the drop), and the person
/// says which is theirs. The other number is never asked about, cancelled or finished from here.
/// Over HTTPS, as staff use it.
#[test]
fn with_a_purchase_on_the_website_the_person_chooses_which_number_is_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = crate::common::https_sim_with(
        dir,
        SimConfig {
            code_delay: None,
            ..SimConfig::default()
        },
        |_| {},
    );
    sim.offer_active_activations(true);
    let mut t = TestApp::signed_in(dir, &sim);
    buy_with_reply_lost(&mut t, &sim);
    let ours = sim.orders()[0].clone();
    let website = sim
        .buy_on_website(
            crate::common::KEY,
            &ours.service,
            &ours.country,
            &ours.server,
        )
        .unwrap();
    t.wait_for_text("InstaOTP lists open orders that may be this purchase", WAIT);
    let theirs = sim.orders().into_iter().find(|o| o.id == website).unwrap();
    for phone in [&ours.phone, &theirs.phone] {
        let digits = phone.trim_start_matches('+');
        assert!(
            t.harness
                .query_all_by_label_contains(digits)
                .next()
                .is_some(),
            "{digits} listed"
        );
    }
    t.wait_for_text("other purchases on this account", WAIT);
    assert!(
        !t.has_text("it probably went through"),
        "the drop proves nothing here"
    );
    // A few looks later: still the person's to say.
    t.run_for(Duration::from_secs(4));
    assert!(
        t.app().orders().iter().all(|o| o.is_attempt()),
        "nothing taken by itself: {:#?}",
        t.app().orders()
    );

    // The first listed is this desk's (the older id): "This one is mine".
    t.harness
        .query_all_by_label("This one is mine")
        .next()
        .unwrap()
        .click();
    t.run_until("followed", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == ours.id)
    });
    assert!(t.app().orders().iter().all(|o| o.order_id != website));
    sim.deliver_code(&ours.id, "246813");
    t.wait_for_text("246813", WAIT);
    let about_theirs: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.params.get("id") == Some(&website))
        .map(|r| r.action)
        .collect();
    assert!(
        about_theirs.is_empty(),
        "asked about the website's number: {about_theirs:?}"
    );
}

/// A sale InstaOTP named only by its id: where InstaOTP lists the account's open orders, the
/// number is filled in from there, and what InstaOTP says it charged (`activationCost`) replaces
/// the list price.
#[test]
fn the_number_and_the_charge_come_from_the_open_orders_list() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = sim(dir);
    sim.offer_active_activations(true);
    let mut t = TestApp::signed_in(dir, &sim);
    sim.fault_once(
        "getNumber",
        Fault::AfterSale {
            status: 200,
            body: "ACCESS_NUMBER:{id}".into(),
        },
    );
    t.buy("whatsapp", "WhatsApp");
    t.run_until("sold", WAIT, |_| sim.orders().len() == 1);
    let sold = sim.orders()[0].clone();
    t.run_until("the number filled in", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == sold.id && !o.phone.is_empty())
    });
    let order = t.app().orders()[0].clone();
    assert_eq!(order.phone, sold.phone.trim_start_matches('+'));
    assert_eq!(order.charge(), sold.price);
    t.click_tab("Orders");
    assert!(!t.has_text("see it on the InstaOTP website"));
}

/// A purchase whose connection dropped before InstaOTP did anything (nothing sold), then the
/// website buys the same offer: the website's number is never taken for this desk's, not even as
/// the single open order that fits; the card lists it and the person says.
#[test]
fn a_website_order_is_never_taken_for_a_purchase_that_was_not_sold() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let sim = crate::common::https_sim_with(
        dir,
        SimConfig {
            code_delay: None,
            ..SimConfig::default()
        },
        |_| {},
    );
    sim.offer_active_activations(true);
    let mut t = TestApp::signed_in(dir, &sim);
    sim.fault_once("getNumber", Fault::Drop);
    t.buy("whatsapp", "WhatsApp");
    t.wait_for_text("Purchase not confirmed", WAIT);
    assert!(sim.orders().is_empty(), "nothing sold");
    let offer = sim
        .offers()
        .into_iter()
        .find(|o| o.name == "WhatsApp" && o.server == "1" && o.country == "22")
        .unwrap();
    let website = sim
        .buy_on_website(crate::common::KEY, &offer.id, &offer.country, &offer.server)
        .unwrap();
    t.wait_for_text("InstaOTP lists open orders that may be this purchase", WAIT);
    t.run_for(Duration::from_secs(5));
    assert!(
        t.app().orders().iter().all(|o| o.order_id != website),
        "the website's number taken: {:#?}",
        t.app().orders()
    );
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.params.get("id") != Some(&website)),
        "asked about the website's number"
    );
}
