//! The end of the chaos run: which purchase sold which number, the "not confirmed" cards
//! resolved through the window as the website (the simulator's order list) tells the person,
//! every order taken to its end, then the app's ledger checked against the simulator's.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use instaotp_desktop::App;
use instaotp_desktop::app::{Command, Tab};
use instaotp_desktop::orders::history::{HistoryFilter, HistoryView};
use instaotp_desktop::orders::{Order, OrderState, OrderStore, now_millis};
use instaotp_desktop::sim::{SimLedger, SimOrder, SimOrderState};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use crate::common::{KEY, TestApp};
use crate::driver::{CANCEL_AFTER_MS, Counts, Driver, WAIT, run_for};

/// The figures of one run.
#[derive(Debug, Default)]
pub struct Figures {
    pub purchases: usize,
    pub bought_outright: usize,
    pub refused: usize,
    pub not_confirmed: usize,
    pub not_confirmed_sold: usize,
    pub untracked: usize,
    pub ledger: SimLedger,
    pub final_states: BTreeMap<String, usize>,
    pub counts: Counts,
    /// How many kinds of fault the simulator injected.
    pub fault_kinds: usize,
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.ledger;
        writeln!(
            f,
            "  purchases {}: bought {}, refused (not bought) {}, not confirmed {} (of which sold {})",
            self.purchases,
            self.bought_outright,
            self.refused,
            self.not_confirmed,
            self.not_confirmed_sold
        )?;
        writeln!(
            f,
            "  finishes {}, cancels {}, restarts {}, SMS pauses {}",
            self.counts.finishes, self.counts.cancels, self.counts.restarts, self.counts.sms_pauses
        )?;
        writeln!(
            f,
            "  simulator sold {}, spent {}, refunded {} ({} orders); the app's totals equal",
            l.sold, l.spent, l.refunded, l.refunded_orders
        )?;
        writeln!(f, "  final states in the app: {:?}", self.final_states)?;
        write!(f, "  untracked sold numbers: {}", self.untracked)
    }
}

/// The purchase (index) that sold each number: the last one started before the sale.
fn sold_by_purchase(d: &Driver<'_>, sold: &[SimOrder]) -> HashMap<usize, SimOrder> {
    let mut by = HashMap::new();
    for s in sold {
        let i = d
            .purchases
            .iter()
            .rposition(|p| p.started <= s.created)
            .unwrap_or_else(|| panic!("sold before any purchase: {s:?}"));
        let earlier = by.insert(i, s.clone());
        assert!(
            earlier.is_none(),
            "purchase {i} sold two numbers: {earlier:?}, {s:?}"
        );
    }
    by
}

fn key_orders(d: &Driver<'_>) -> Vec<SimOrder> {
    d.sim
        .orders()
        .into_iter()
        .filter(|o| o.key == KEY)
        .collect()
}

pub fn reconcile(mut d: Driver<'_>) -> Figures {
    let mut figures = Figures {
        purchases: d.purchases.len(),
        ..Figures::default()
    };
    let sold = key_orders(&d);
    let by_purchase = sold_by_purchase(&d, &sold);

    // What each purchase showed right away agrees with what was sold.
    for (i, p) in d.purchases.iter().enumerate() {
        let s = by_purchase.get(&i);
        match p.outcome {
            OrderState::NotBought => {
                figures.refused += 1;
                assert!(
                    s.is_none(),
                    "purchase {i}: sold, yet shown as not bought: {s:?}"
                );
            }
            OrderState::NotConfirmed => {
                figures.not_confirmed += 1;
                figures.not_confirmed_sold += usize::from(s.is_some());
            }
            other => {
                figures.bought_outright += 1;
                let s = s.unwrap_or_else(|| {
                    panic!("purchase {i}: shown as bought ({other:?}), never sold")
                });
                assert_eq!(p.app_id, s.id, "purchase {i}: the order id");
            }
        }
    }

    // Before anyone resolves anything: every number sold is an order or a not-confirmed attempt.
    let app_orders = d.t().app().orders().to_vec();
    figures.untracked = untracked(&d, &app_orders, &sold, &by_purchase).len();
    assert_eq!(
        figures.untracked,
        0,
        "sold numbers the app does not follow: {:#?}",
        untracked(&d, &app_orders, &sold, &by_purchase)
    );

    resolve_cards(&mut d, &by_purchase);
    settle(&mut d);
    check_ledger(&mut d, &by_purchase, &mut figures);
    // Read back from the database by a new start: the same ledger.
    d.restart();
    let expected = figures.final_states.values().sum::<usize>();
    d.t().run_until("orders loaded", WAIT, |h| {
        h.state().orders().len() == expected
    });
    check_ledger(&mut d, &by_purchase, &mut figures);
    figures.counts = d.counts.clone();
    figures
}

/// Sold numbers that are neither an order in the app nor behind a not-confirmed attempt.
fn untracked(
    d: &Driver<'_>,
    app_orders: &[Order],
    sold: &[SimOrder],
    by_purchase: &HashMap<usize, SimOrder>,
) -> Vec<SimOrder> {
    sold.iter()
        .filter(|s| {
            let as_order = app_orders.iter().any(|o| o.order_id == s.id);
            let as_attempt = by_purchase.iter().any(|(i, b)| {
                b.id == s.id
                    && app_orders.iter().any(|o| {
                        o.order_id == d.purchases[*i].app_id && o.state == OrderState::NotConfirmed
                    })
            });
            !as_order && !as_attempt
        })
        .cloned()
        .collect()
}

/// The person goes through the cards, top first, with the website open: "Add it by order id"
/// when it shows the number was sold, "It was not bought" when not.
fn resolve_cards(d: &mut Driver<'_>, by_purchase: &HashMap<usize, SimOrder>) {
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
            "the cards are never resolved: {attempt:#?}; messages {:?}",
            d.t().app().message_texts()
        );
        let index = d
            .purchases
            .iter()
            .position(|p| p.app_id == attempt.order_id)
            .unwrap_or_else(|| panic!("a card no purchase made: {attempt:#?}"));
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
fn settle(d: &mut Driver<'_>) {
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
            "orders never ended: {open:#?}; messages {:?}",
            t.app().message_texts()
        );
        let now = now_millis();
        for o in open {
            let command = match o.state {
                OrderState::CodeReceived | OrderState::WaitingRetry => Command::Finish(o.order_id),
                OrderState::Waiting if now - o.bought_at > CANCEL_AFTER_MS => {
                    Command::Cancel(o.order_id)
                }
                _ => continue,
            };
            t.harness.state_mut().run_command(command);
        }
        run_for(t, Duration::from_millis(500));
    }
}

/// The app's ledger equals the simulator's.
fn check_ledger(d: &mut Driver<'_>, by_purchase: &HashMap<usize, SimOrder>, figures: &mut Figures) {
    let sold = key_orders(d);
    let ledger = d.sim.ledger(KEY);
    let app_orders = d.t().app().orders().to_vec();
    let find = |id: &str| app_orders.iter().find(|o| o.order_id == id);

    // Every number sold is followed, at its price, to an end that matches the simulator's.
    for s in &sold {
        let o = find(&s.id).unwrap_or_else(|| panic!("sold, not in the app: {s:?}"));
        assert_eq!((o.price, &o.service_code), (s.price, &s.service), "{s:?}");
        let refunded = s.state == (SimOrderState::Cancelled { refunded: true });
        assert_eq!(o.state.refunded(), refunded, "refund of {s:?} vs {o:#?}");
        if o.state == OrderState::Finished {
            assert!(
                matches!(s.state, SimOrderState::Finished(_)),
                "{s:?} vs {o:#?}"
            );
        }
        assert!(o.state.is_final(), "{o:#?}");
    }
    // Nothing shown as bought that was not sold; every attempt left is "not bought" and sold
    // nothing.
    for o in &app_orders {
        if o.is_attempt() {
            assert_eq!(o.state, OrderState::NotBought, "{o:#?}");
            let i = d.purchases.iter().position(|p| p.app_id == o.order_id);
            let i = i.unwrap_or_else(|| panic!("an attempt no purchase made: {o:#?}"));
            assert!(
                !by_purchase.contains_key(&i),
                "sold, closed as not bought: {o:#?}"
            );
        } else {
            assert!(
                sold.iter().any(|s| s.id == o.order_id),
                "never sold: {o:#?}"
            );
        }
    }
    assert_eq!(
        app_orders.len(),
        d.purchases.len(),
        "one order per purchase"
    );

    // The totals, as the history computes and shows them, to the paisa.
    let view = HistoryView::new(
        &app_orders,
        &HistoryFilter::default(),
        now_millis(),
        &TimeZone::UTC,
    );
    assert_eq!(
        (view.spent, view.refunded, view.not_confirmed),
        (ledger.spent, ledger.refunded, Decimal::ZERO),
        "the app's totals vs the simulator's"
    );
    let t = d.t();
    if t.app().tab() != Tab::Orders {
        t.click_tab("Orders");
    }
    t.wait_for_text(
        &format!(
            "spent ₹{} · refunded ₹{}",
            money(ledger.spent),
            money(ledger.refunded)
        ),
        WAIT,
    );
    // The balance the app reads is what the simulator charged.
    let balance = d.sim.balance(KEY).unwrap();
    assert_eq!(balance, Decimal::new(10_000_000, 2) - ledger.spent);
    let t = d.t();
    t.harness.state_mut().run_command(Command::RefreshBalance);
    t.run_until("the balance read", WAIT, |h| {
        h.state()
            .session()
            .and_then(|s| s.balance.as_ref())
            .is_some_and(|(b, _)| b.amount == balance)
    });
    // The database holds what the window shows.
    let dir = d.dir.to_path_buf();
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
            "database {stored:#?} vs window {shown:#?}"
        );
        run_for(d.t(), Duration::from_millis(100));
    }
    figures.ledger = ledger;
    figures.final_states = BTreeMap::new();
    for o in &app_orders {
        *figures
            .final_states
            .entry(format!("{:?}", o.state))
            .or_default() += 1;
    }
}

/// An amount as the history shows it: at least two decimals.
fn money(mut amount: Decimal) -> String {
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}
