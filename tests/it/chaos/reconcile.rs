//! The end of the chaos run: who bought each number the simulator sold (a desk, by the path of
//! the `getNumber` request that bought it and by its purchase record, or the website), the "not
//! confirmed" cards resolved through each desk's window as the website (the simulator's order
//! list) tells the person, every order taken to its end, then each desk's ledger and the two
//! together checked against the simulator's.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use instaotp_desktop::App;
use instaotp_desktop::app::{Command, Tab};
use instaotp_desktop::orders::history::{HistoryFilter, HistoryView};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use instaotp_desktop::sim::{LoggedRequest, SimOrder, SimOrderState, Simulator};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::driver::{
    CANCEL_AFTER_MS, Counts, DESKS, Desk, Driver, PurchaseRecord, WAIT, World, on_every_desk,
    run_for,
};
use crate::common::{KEY, TestApp};

/// The balance the account starts with.
pub const START_BALANCE: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 2);

/// Who bought a number the simulator sold on the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Buyer {
    Website,
    /// Desk `desk` (index into [`DESKS`]), by its purchase `purchase`.
    Desk {
        desk: usize,
        purchase: usize,
    },
}

/// What a desk's money looks like against the simulator's, for its orders.
#[derive(Debug, Default, Clone)]
pub struct DeskLedger {
    /// Numbers the simulator sold to the desk.
    pub sold: usize,
    /// The simulator's spent and refunded over them.
    pub sim_spent: Decimal,
    pub sim_refunded: Decimal,
    pub refunded_orders: usize,
    /// The desk's history totals.
    pub app_spent: Decimal,
    pub app_refunded: Decimal,
    /// Orders whose charge the desk learnt (from the balance or InstaOTP's list), each equal to
    /// what the simulator charged.
    pub charge_known: usize,
    /// Orders the desk counts at the list price it showed.
    pub list_price: usize,
    /// Of those, orders whose list price was not what the simulator charged (the price moved
    /// between the desk's listing and the sale), and what the desk counts too much (negative:
    /// too little) over them, spent and refunded.
    pub list_price_off: usize,
    pub list_excess_spent: Decimal,
    pub list_excess_refunded: Decimal,
}

/// The figures of one desk.
#[derive(Debug, Default, Clone)]
pub struct DeskFigures {
    pub name: &'static str,
    pub purchases: usize,
    pub bought_outright: usize,
    pub refused: usize,
    pub not_confirmed: usize,
    pub not_confirmed_sold: usize,
    /// Of those sold, found by the desk itself among the open orders before anyone resolved them.
    pub found_by_desk: usize,
    pub ledger: DeskLedger,
    pub final_states: BTreeMap<String, usize>,
    pub counts: Counts,
}

/// The figures of one run.
#[derive(Debug, Default)]
pub struct Figures {
    pub desks: Vec<DeskFigures>,
    pub world: World,
    /// Numbers sold on the key in all: to the desks and on the website.
    pub sold: usize,
    /// Website orders, and how many of them ended refunded.
    pub website_sold: usize,
    /// Sold to a desk and neither an order nor a not-confirmed card of that desk (before any
    /// card is resolved).
    pub untracked: usize,
    /// Followed by a desk that did not buy them (the other desk's, or the website's), and
    /// followed by both desks.
    pub followed_by_other: usize,
    pub followed_by_both: usize,
    pub website_followed: usize,
    /// `setStatus`/`getStatus` requests of a desk about an order it did not buy.
    pub foreign_requests: usize,
    /// Requests that came from neither desk's address.
    pub stray_requests: usize,
    /// How many kinds of fault the simulator injected.
    pub fault_kinds: usize,
    /// Faults of the TLS kinds injected (closed without `close_notify`, reset mid-body).
    pub tls_faults: u64,
}

impl Figures {
    /// The desks' ledgers added up.
    pub fn total(&self) -> DeskLedger {
        let mut t = DeskLedger::default();
        for d in &self.desks {
            let l = &d.ledger;
            t.sold += l.sold;
            t.sim_spent += l.sim_spent;
            t.sim_refunded += l.sim_refunded;
            t.refunded_orders += l.refunded_orders;
            t.app_spent += l.app_spent;
            t.app_refunded += l.app_refunded;
            t.charge_known += l.charge_known;
            t.list_price += l.list_price;
            t.list_price_off += l.list_price_off;
            t.list_excess_spent += l.list_excess_spent;
            t.list_excess_refunded += l.list_excess_refunded;
        }
        t
    }

    pub fn not_confirmed_sold(&self) -> usize {
        self.desks.iter().map(|d| d.not_confirmed_sold).sum()
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.desks {
            let l = &d.ledger;
            writeln!(
                f,
                "  {}: purchases {}: bought {}, refused (not bought) {}, not confirmed {} (of \
                 which sold {}, found by the desk itself {})",
                d.name,
                d.purchases,
                d.bought_outright,
                d.refused,
                d.not_confirmed,
                d.not_confirmed_sold,
                d.found_by_desk
            )?;
            writeln!(
                f,
                "    finishes {}, cancels {}, restarts {}",
                d.counts.finishes, d.counts.cancels, d.counts.restarts
            )?;
            writeln!(
                f,
                "    sold to it {}: simulator spent {} refunded {} ({} orders); the desk counts \
                 spent {} refunded {}",
                l.sold, l.sim_spent, l.sim_refunded, l.refunded_orders, l.app_spent, l.app_refunded
            )?;
            writeln!(
                f,
                "    charge known {} (each InstaOTP's), list price {} (not the charge: {}, \
                 counted {} too much spent, {} refunded)",
                l.charge_known,
                l.list_price,
                l.list_price_off,
                l.list_excess_spent,
                l.list_excess_refunded
            )?;
            writeln!(f, "    final states: {:?}", d.final_states)?;
        }
        let w = &self.world;
        writeln!(
            f,
            "  website: {} bought ({} refused: {:?}), {} closed there; price changes {}; TLS \
             handshakes failed {}; SMS pauses {}",
            self.website_sold,
            w.website_refused.len(),
            w.website_refused,
            w.website_cancels,
            w.price_changes,
            w.handshake_failures,
            w.sms_pauses
        )?;
        let t = self.total();
        writeln!(
            f,
            "  simulator sold {} on the key, {} of them to the desks: spent {}, refunded {} ({} \
             orders); the desks count spent {}, refunded {}",
            self.sold,
            t.sold,
            t.sim_spent,
            t.sim_refunded,
            t.refunded_orders,
            t.app_spent,
            t.app_refunded
        )?;
        writeln!(
            f,
            "  charge known on {} orders (= InstaOTP's), list price on {} ({} not the charge)",
            t.charge_known, t.list_price, t.list_price_off
        )?;
        write!(
            f,
            "  untracked sold numbers {}, followed by a desk that did not buy them {} (by both \
             {}, website orders {}), status requests about another's order {}, requests from \
             no desk {}",
            self.untracked,
            self.followed_by_other,
            self.followed_by_both,
            self.website_followed,
            self.foreign_requests,
            self.stray_requests
        )
    }
}

/// What a desk holds when the run stops.
struct Snapshot {
    purchases: Vec<PurchaseRecord>,
    orders: Vec<Order>,
}

fn snapshot(d: &mut Desk) -> Snapshot {
    Snapshot {
        purchases: d.purchases.clone(),
        orders: d.t().app().orders().to_vec(),
    }
}

/// The desk whose address has this path.
fn desk_of_path(path: &str) -> Option<usize> {
    DESKS
        .iter()
        .position(|name| path == format!("/{name}/handler_api.php"))
}

fn key_orders(sim: &Simulator) -> Vec<SimOrder> {
    sim.orders().into_iter().filter(|o| o.key == KEY).collect()
}

/// Who bought each number sold on the key (by order id). A desk's sale is the last `getNumber`
/// request before it, whose path names the desk; the desk's purchase is the last one (of either
/// desk: the driver works one at a time) started before the sale, and must be that desk's.
fn buyers(
    sold: &[SimOrder],
    website: &[String],
    log: &[LoggedRequest],
    desks: &[Snapshot],
) -> HashMap<String, Buyer> {
    let mut purchases: Vec<(Instant, usize, usize)> = desks
        .iter()
        .enumerate()
        .flat_map(|(desk, s)| {
            s.purchases
                .iter()
                .enumerate()
                .map(move |(i, p)| (p.started, desk, i))
        })
        .collect();
    purchases.sort();
    let sales: Vec<&LoggedRequest> = log.iter().filter(|r| r.action == "getNumber").collect();
    let mut buyers = HashMap::new();
    let mut by_purchase = HashMap::new();
    for s in sold {
        if website.contains(&s.id) {
            buyers.insert(s.id.clone(), Buyer::Website);
            continue;
        }
        let request = sales
            .iter()
            .rev()
            .find(|r| r.at <= s.created)
            .unwrap_or_else(|| panic!("sold with no getNumber before it: {s:?}"));
        let desk = desk_of_path(&request.path)
            .unwrap_or_else(|| panic!("sold to an address of no desk: {request:?}"));
        let &(_, by_record, purchase) = purchases
            .iter()
            .rev()
            .find(|(started, ..)| *started <= s.created)
            .unwrap_or_else(|| panic!("sold before any purchase: {s:?}"));
        assert_eq!(
            desk, by_record,
            "the request's path and the purchase records name different desks: {s:?}"
        );
        let earlier = by_purchase.insert((desk, purchase), s.clone());
        assert!(
            earlier.is_none(),
            "{} purchase {purchase} sold two numbers: {earlier:?}, {s:?}",
            DESKS[desk]
        );
        buyers.insert(s.id.clone(), Buyer::Desk { desk, purchase });
    }
    buyers
}

/// The numbers sold to desk `desk`, by its purchase index.
fn sold_to(
    desk: usize,
    sold: &[SimOrder],
    buyers: &HashMap<String, Buyer>,
) -> HashMap<usize, SimOrder> {
    sold.iter()
        .filter_map(|s| match buyers.get(&s.id) {
            Some(&Buyer::Desk { desk: d, purchase }) if d == desk => Some((purchase, s.clone())),
            _ => None,
        })
        .collect()
}

pub fn reconcile(d: Driver<'_>) -> Figures {
    let sim = d.sim;
    let desks = &d.desks;
    let mut figures = Figures {
        world: d.world.clone(),
        ..Figures::default()
    };
    let snapshots = on_every_desk(desks, snapshot);
    let sold = key_orders(sim);
    let buyers = buyers(&sold, &d.world.website_orders, &sim.requests(), &snapshots);
    figures.sold = sold.len();
    figures.website_sold = d.world.website_orders.len();
    let by_purchase: Vec<HashMap<usize, SimOrder>> = (0..desks.len())
        .map(|i| sold_to(i, &sold, &buyers))
        .collect();

    // What each purchase showed right away agrees with what was sold.
    for (i, snap) in snapshots.iter().enumerate() {
        let mut f = DeskFigures {
            name: DESKS[i],
            purchases: snap.purchases.len(),
            ..DeskFigures::default()
        };
        for (n, p) in snap.purchases.iter().enumerate() {
            let s = by_purchase[i].get(&n);
            match p.outcome {
                OrderState::NotBought => {
                    f.refused += 1;
                    assert!(
                        s.is_none(),
                        "{} purchase {n}: sold, yet shown as not bought: {s:?}",
                        f.name
                    );
                }
                OrderState::NotConfirmed => {
                    f.not_confirmed += 1;
                    f.not_confirmed_sold += usize::from(s.is_some());
                    f.found_by_desk += usize::from(
                        s.is_some_and(|s| snap.orders.iter().any(|o| o.order_id == s.id)),
                    );
                }
                other => {
                    f.bought_outright += 1;
                    let s = s.unwrap_or_else(|| {
                        panic!(
                            "{} purchase {n}: shown as bought ({other:?}), never sold",
                            f.name
                        )
                    });
                    assert_eq!(p.app_id, s.id, "{} purchase {n}: the order id", f.name);
                }
            }
        }
        figures.desks.push(f);
    }

    // Before anyone resolves anything: every number sold to a desk is an order or a
    // not-confirmed attempt of that desk, and no desk follows a number it did not buy.
    let untracked: Vec<(usize, SimOrder)> = (0..desks.len())
        .flat_map(|i| {
            untracked(&snapshots[i], &by_purchase[i])
                .into_iter()
                .map(move |s| (i, s))
        })
        .collect();
    figures.untracked = untracked.len();
    assert_eq!(
        figures.untracked, 0,
        "sold numbers their desk does not follow: {untracked:#?}"
    );
    let orders: Vec<Vec<Order>> = snapshots.into_iter().map(|s| s.orders).collect();
    check_followed(&orders, &buyers, &mut figures);

    for (i, desk) in desks.iter().enumerate() {
        let sold = by_purchase[i].clone();
        desk.call(move |d| resolve_cards(d, &sold));
    }
    on_every_desk(desks, settle);
    let orders = on_every_desk(desks, |d| d.t().app().orders().to_vec());
    check_followed(&orders, &buyers, &mut figures);
    check_ledgers(&d, &by_purchase, &mut figures);

    // Read back from the database by a new start of both desks: the same ledgers.
    let expected: Vec<usize> = figures
        .desks
        .iter()
        .map(|f| f.final_states.values().sum())
        .collect();
    let loaded = desks.iter().zip(expected).map(|(desk, expected)| {
        desk.ask(move |d| {
            d.restart();
            d.t().run_until("orders loaded", WAIT, |h| {
                h.state().orders().len() == expected
            });
        })
    });
    for (desk, rx) in desks.iter().zip(loaded.collect::<Vec<_>>()) {
        super::driver::answer(desk.name, &rx);
    }
    let orders = on_every_desk(desks, |d| d.t().app().orders().to_vec());
    check_followed(&orders, &buyers, &mut figures);
    check_ledgers(&d, &by_purchase, &mut figures);
    check_requests(&sim.requests(), &buyers, &mut figures);
    let counts = on_every_desk(desks, |d| d.counts.clone());
    for (f, c) in figures.desks.iter_mut().zip(counts) {
        f.counts = c;
    }
    figures
}

/// Sold numbers that are neither an order of the desk nor behind one of its not-confirmed
/// attempts.
fn untracked(desk: &Snapshot, by_purchase: &HashMap<usize, SimOrder>) -> Vec<SimOrder> {
    by_purchase
        .iter()
        .filter(|(i, s)| {
            let as_order = desk.orders.iter().any(|o| o.order_id == s.id);
            let as_attempt = desk.orders.iter().any(|o| {
                o.order_id == desk.purchases[**i].app_id && o.state == OrderState::NotConfirmed
            });
            !as_order && !as_attempt
        })
        .map(|(_, s)| s.clone())
        .collect()
}

/// No desk follows a number it did not buy: neither the other desk's nor a website order, and
/// no number is followed by both.
fn check_followed(orders: &[Vec<Order>], buyers: &HashMap<String, Buyer>, figures: &mut Figures) {
    let mut wrong = Vec::new();
    let mut followers: HashMap<&str, usize> = HashMap::new();
    for (i, desk) in orders.iter().enumerate() {
        for o in desk.iter().filter(|o| !o.is_attempt()) {
            *followers.entry(o.order_id.as_str()).or_default() += 1;
            match buyers.get(&o.order_id) {
                Some(Buyer::Desk { desk, .. }) if *desk == i => {}
                Some(buyer @ Buyer::Desk { desk, .. }) => {
                    figures.followed_by_other += 1;
                    let buyer_follows = orders[*desk].iter().any(|b| b.order_id == o.order_id);
                    wrong.push((DESKS[i], *buyer, buyer_follows, o.clone()));
                }
                Some(Buyer::Website) => {
                    figures.website_followed += 1;
                    wrong.push((DESKS[i], Buyer::Website, false, o.clone()));
                }
                // Never sold: the ledger check says so.
                None => {}
            }
        }
    }
    figures.followed_by_both += followers.values().filter(|n| **n > 1).count();
    assert!(
        wrong.is_empty() && figures.followed_by_both == 0,
        "numbers followed by a desk that did not buy them (the desk, who bought it, whether the \
         buyer follows it too, the desk's order): {wrong:#?}"
    );
}

/// No desk asked about (`getStatus`) or acted on (`setStatus`) an order it did not buy, and every
/// request came from a desk's address.
fn check_requests(log: &[LoggedRequest], buyers: &HashMap<String, Buyer>, figures: &mut Figures) {
    let mut foreign = Vec::new();
    let mut stray = Vec::new();
    for r in log {
        let Some(desk) = desk_of_path(&r.path) else {
            stray.push(r.clone());
            continue;
        };
        if r.action != "setStatus" && r.action != "getStatus" {
            continue;
        }
        let buyer = r.params.get("id").and_then(|id| buyers.get(id));
        if !matches!(buyer, Some(Buyer::Desk { desk: d, .. }) if *d == desk) {
            foreign.push((buyer.copied(), r.clone()));
        }
    }
    figures.foreign_requests = foreign.len();
    figures.stray_requests = stray.len();
    assert!(
        foreign.is_empty(),
        "requests about an order the desk did not buy: {foreign:#?}"
    );
    assert!(stray.is_empty(), "requests from no desk: {stray:#?}");
}

/// The person goes through the cards, top first, with the website open: "Add it by order id"
/// when it shows the number was sold, "It was not bought" when not.
fn resolve_cards(d: &mut Desk, by_purchase: &HashMap<usize, SimOrder>) {
    let name = d.name;
    d.t().click_tab("Orders");
    let started = Instant::now();
    while let Some(attempt) = d
        .t()
        .app()
        .orders()
        .iter()
        .find(|o| o.state == OrderState::NotConfirmed)
        .cloned()
    {
        assert!(
            started.elapsed() < WAIT * 4,
            "{name}: the cards are never resolved: {attempt:#?}; messages {:?}",
            d.t().app().message_texts()
        );
        let index = d
            .purchases
            .iter()
            .position(|p| p.app_id == attempt.order_id)
            .unwrap_or_else(|| panic!("{name}: a card no purchase made: {attempt:#?}"));
        let t = d.t();
        match by_purchase.get(&index) {
            None => {
                press_first(t, "It was not bought");
                let id = attempt.order_id.clone();
                wait_briefly(t, |h| {
                    h.state()
                        .orders()
                        .iter()
                        .any(|o| o.order_id == id && o.state == OrderState::NotBought)
                });
            }
            Some(sold) => {
                let phone = if index % 2 == 0 {
                    sold.phone.as_str()
                } else {
                    ""
                };
                add_first_by_order_id(t, &sold.id, phone);
                let (attempt_id, id) = (attempt.order_id.clone(), sold.id.clone());
                wait_briefly(t, |h| {
                    let orders = h.state().orders();
                    orders.iter().any(|o| o.order_id == id)
                        && !orders.iter().any(|o| o.order_id == attempt_id)
                });
            }
        }
        // Not resolved yet (a click that did not land): the same card again.
    }
}

/// Runs frames until `cond` holds, for at most 8 s.
fn wait_briefly(t: &mut TestApp, mut cond: impl FnMut(&Harness<'static, App>) -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(8) {
        t.harness.step();
        if cond(&t.harness) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The rectangle of the first node labelled exactly `label`, top to bottom.
fn first_rect(t: &TestApp, label: &str) -> Option<egui::Rect> {
    t.harness
        .query_all_by_label(label)
        .map(|n| n.rect())
        .min_by(|a, b| a.top().total_cmp(&b.top()))
}

/// Scrolls the first (topmost) node labelled `label` into view and clicks it.
fn press_first(t: &mut TestApp, label: &str) {
    let top = |t: &TestApp| {
        t.harness
            .query_all_by_label(label)
            .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .unwrap_or_else(|| panic!("no {label:?}"))
            .rect()
    };
    let first = top(t);
    t.harness
        .query_all_by_label(label)
        .find(|n| n.rect() == first)
        .unwrap()
        .scroll_to_me();
    t.harness.run_steps(2);
    let first = top(t);
    t.harness
        .query_all_by_label(label)
        .find(|n| n.rect() == first)
        .unwrap()
        .click();
    t.harness.run_steps(2);
}

/// "Add it by order id" on the top card: opens its form unless the lost reply already did,
/// types the id (and the number, when given) and checks it.
fn add_first_by_order_id(t: &mut TestApp, order_id: &str, phone: &str) {
    let card = first_rect(t, "Add it by order id").expect("a card");
    let next_card = t
        .harness
        .query_all_by_label("Add it by order id")
        .map(|n| n.rect().top())
        .filter(|top| *top > card.top())
        .fold(f32::INFINITY, f32::min);
    let form_open = first_rect(t, "Order id").is_some_and(|r| r.top() < next_card);
    if !form_open {
        press_first(t, "Add it by order id");
    }
    type_first(t, "Order id", order_id);
    if !phone.is_empty() {
        type_first(t, "Number (optional)", phone);
    }
    press_first(t, "Check and add");
}

/// Replaces the text of the topmost field labelled `label`.
fn type_first(t: &mut TestApp, label: &str, text: &str) {
    let first = first_rect(t, label).unwrap_or_else(|| panic!("no {label:?} field"));
    t.harness
        .query_all_by_label(label)
        .find(|n| n.rect() == first)
        .unwrap()
        .focus();
    t.harness.run_steps(2);
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    let first = first_rect(t, label).unwrap();
    t.harness
        .query_all_by_label(label)
        .find(|n| n.rect() == first)
        .unwrap()
        .type_text(text);
    t.harness.run_steps(2);
}

/// Takes every order to its end, as staff would: Finish once the code is there, Cancel while
/// there is none (the code may come first; then Finish).
fn settle(d: &mut Desk) {
    let name = d.name;
    let t = d.t();
    let started = Instant::now();
    loop {
        let open: Vec<Order> = t
            .app()
            .orders()
            .iter()
            .filter(|o| o.is_active())
            .cloned()
            .collect();
        if open.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < WAIT * 4,
            "{name}: orders never ended: {open:#?}; messages {:?}",
            t.app().message_texts()
        );
        let now = now_millis();
        for o in open {
            let command = match o.state {
                OrderState::CodeReceived | OrderState::WaitingRetry => Command::Finish(o.id()),
                OrderState::Waiting if now - o.bought_at > CANCEL_AFTER_MS => {
                    Command::Cancel(o.id())
                }
                _ => continue,
            };
            t.harness.state_mut().run_command(command);
        }
        run_for(t, Duration::from_millis(500));
    }
}

/// Each desk's ledger against the simulator's for the numbers sold to it, then the account:
/// the balance is what the simulator charged for every sale (the website's too), and each desk
/// reads it.
fn check_ledgers(d: &Driver<'_>, by_purchase: &[HashMap<usize, SimOrder>], figures: &mut Figures) {
    let sim = d.sim;
    let sold = key_orders(sim);
    let spent: Decimal = sold
        .iter()
        .filter(|s| s.state != (SimOrderState::Cancelled { refunded: true }))
        .map(|s| s.price)
        .sum();
    let balance = sim.balance(KEY).unwrap();
    assert_eq!(balance, START_BALANCE - spent, "the simulator's own books");
    let website_refunded = sold
        .iter()
        .filter(|s| d.world.website_orders.contains(&s.id))
        .filter(|s| s.state == (SimOrderState::Cancelled { refunded: true }))
        .count();
    assert!(website_refunded <= d.world.website_cancels);
    for (i, desk) in d.desks.iter().enumerate() {
        // Fresh from the simulator: the states the desks' orders ended in.
        let ids: HashSet<String> = by_purchase[i].values().map(|s| s.id.clone()).collect();
        let sold_here: Vec<SimOrder> = sold
            .iter()
            .filter(|s| ids.contains(&s.id))
            .cloned()
            .collect();
        let sold_by: HashMap<usize, SimOrder> = by_purchase[i].clone();
        let (ledger, final_states) =
            desk.call(move |d| desk_ledger(d, &sold_here, &sold_by, balance));
        figures.desks[i].ledger = ledger;
        figures.desks[i].final_states = final_states;
    }
    // The desks together: every charge a desk knows is the simulator's, so where no list price
    // was off, spent and refunded over both desks equal the simulator's to the paisa.
    let t = figures.total();
    assert_eq!(
        (t.app_spent, t.app_refunded),
        (
            t.sim_spent + t.list_excess_spent,
            t.sim_refunded + t.list_excess_refunded
        ),
        "the desks' totals vs the simulator's"
    );
    if t.list_price_off == 0 {
        assert_eq!(
            (t.app_spent, t.app_refunded),
            (t.sim_spent, t.sim_refunded),
            "the desks' totals vs the simulator's"
        );
    }
}

/// One desk's ledger against the simulator's: `sold` are the numbers sold to it (`by_purchase`
/// the same by purchase), `balance` the account's balance now.
fn desk_ledger(
    d: &mut Desk,
    sold: &[SimOrder],
    by_purchase: &HashMap<usize, SimOrder>,
    balance: Decimal,
) -> (DeskLedger, BTreeMap<String, usize>) {
    let name = d.name;
    let app_orders = d.t().app().orders().to_vec();
    let find = |id: &str| app_orders.iter().find(|o| o.order_id == id);
    let mut l = DeskLedger {
        sold: sold.len(),
        ..DeskLedger::default()
    };

    // Every number sold is followed to an end that matches the simulator's, at InstaOTP's charge
    // where the desk learnt it, else at the list price it showed.
    for s in sold {
        let o = find(&s.id).unwrap_or_else(|| panic!("{name}: sold to it, not in the app: {s:?}"));
        assert_eq!(o.service_code, s.service, "{name}: {s:?} vs {o:#?}");
        let refunded = s.state == (SimOrderState::Cancelled { refunded: true });
        assert_eq!(
            o.state.refunded(),
            refunded,
            "{name}: refund of {s:?} vs {o:#?}"
        );
        if o.state == OrderState::Finished {
            assert!(
                matches!(s.state, SimOrderState::Finished(_)),
                "{name}: {s:?} vs {o:#?}"
            );
        }
        assert!(o.state.is_final(), "{name}: {o:#?}");
        if refunded {
            l.refunded_orders += 1;
            l.sim_refunded += s.price;
        } else {
            l.sim_spent += s.price;
        }
        match o.charged {
            Some(charged) => {
                assert_eq!(
                    charged, s.price,
                    "{name}: the charge the desk learnt is not InstaOTP's: {s:?} vs {o:#?}"
                );
                l.charge_known += 1;
            }
            None => {
                l.list_price += 1;
                if o.price != s.price {
                    l.list_price_off += 1;
                    if refunded {
                        l.list_excess_refunded += o.price - s.price;
                    } else {
                        l.list_excess_spent += o.price - s.price;
                    }
                }
            }
        }
    }
    // Nothing shown as bought that was not sold to this desk; every attempt left is "not bought"
    // and sold nothing.
    for o in &app_orders {
        if o.is_attempt() {
            assert_eq!(o.state, OrderState::NotBought, "{name}: {o:#?}");
            let i = d.purchases.iter().position(|p| p.app_id == o.order_id);
            let i = i.unwrap_or_else(|| panic!("{name}: an attempt no purchase made: {o:#?}"));
            assert!(
                !by_purchase.contains_key(&i),
                "{name}: sold, closed as not bought: {o:#?}"
            );
        } else {
            assert!(
                sold.iter().any(|s| s.id == o.order_id),
                "{name}: never sold to this desk: {o:#?}"
            );
        }
    }
    assert_eq!(
        app_orders.len(),
        d.purchases.len(),
        "{name}: one order per purchase"
    );

    // The totals, as the history computes and shows them: the simulator's, but for list prices
    // that were not the charge.
    let view = HistoryView::new(
        &app_orders,
        &HistoryFilter::default(),
        now_millis(),
        &TimeZone::UTC,
    );
    assert_eq!(view.not_confirmed, Decimal::ZERO, "{name}");
    assert_eq!(
        (view.spent, view.refunded),
        (
            l.sim_spent + l.list_excess_spent,
            l.sim_refunded + l.list_excess_refunded
        ),
        "{name}: the desk's totals vs the simulator's"
    );
    (l.app_spent, l.app_refunded) = (view.spent, view.refunded);
    let t = d.t();
    if t.app().tab() != Tab::Orders {
        t.click_tab("Orders");
    }
    t.wait_for_text(
        &format!(
            "Paid ₹{} · Refunded ₹{} · Net ₹{}",
            money(view.spent + view.refunded),
            money(view.refunded),
            money(view.spent)
        ),
        WAIT,
    );
    // The balance the desk reads is the account's.
    t.harness.state_mut().run_command(Command::RefreshBalance);
    t.run_until("the balance read", WAIT, |h| {
        h.state()
            .session()
            .and_then(|s| s.balance())
            .is_some_and(|(b, _)| b.amount == balance)
    });
    // The database holds what the window shows.
    let dir = d.dir.clone();
    let shown: BTreeMap<String, OrderState> = app_orders
        .iter()
        .map(|o| (o.order_id.clone(), o.state))
        .collect();
    let started = Instant::now();
    loop {
        let stored: BTreeMap<String, OrderState> = OrderStore::open(&dir.join("orders.sqlite"))
            .unwrap()
            .load_all()
            .unwrap()
            .into_iter()
            .map(|o| (o.order_id, o.state))
            .collect();
        if stored == shown {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "{name}: database {stored:#?} vs window {shown:#?}"
        );
        run_for(d.t(), Duration::from_millis(100));
    }
    let mut final_states = BTreeMap::new();
    for o in &app_orders {
        *final_states.entry(format!("{:?}", o.state)).or_default() += 1;
    }
    (l, final_states)
}

/// An amount as the history shows it: at least two decimals.
fn money(mut amount: Decimal) -> String {
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}
