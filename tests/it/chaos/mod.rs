//! The ledger reconciles under chaos. Two desks share one key,
//! as offices do: two instances of the real app, each in a kittest harness on a thread of its
//! own with its own data folder and its own address (`/desk-a/handler_api.php`,
//! `/desk-b/handler_api.php`, so the simulator's log tells them apart), over HTTPS to the
//! simulator. In turn, at random from a seed, they buy numbers through their Services tab, finish
//! and cancel orders and are closed and started again over their data folder; meanwhile numbers
//! are bought (and some closed) on the website, prices move, TLS handshakes fail, and the
//! simulator puts a fault from every kind (the "sold, then the reply is lost" ones, and the TLS
//! connection closed without `close_notify` or reset mid-body, included) on 20 % of the requests.
//! Then the person at each desk resolves its "Purchase not confirmed" cards as the website tells
//! them, every order is taken to its end, and the checks run:
//!
//! - every number sold to a desk (by the path of the `getNumber` request that bought it, and by
//!   the desk's purchase record, which must agree) is followed by that desk or behind one of its
//!   cards, and after the cards by that desk as an order; no number is followed by both desks,
//!   and no website order by either;
//! - no desk sent `setStatus` or `getStatus` about an order it did not buy;
//! - each desk's orders end as the simulator's do; every refund a desk counts was made;
//! - money: where a desk learnt what InstaOTP charged (the balance fell by it with nothing else
//!   moving, or InstaOTP listed it), that charge is the simulator's, to the paisa. Where it did
//!   not, the desk counts the list price it showed, and since the price may have moved between
//!   its listing and the sale, that list price need not be the charge: no desk can know better
//!   (InstaOTP's reply to a purchase names no price). So spent and refunded, per desk and over
//!   both desks, equal the simulator's to the paisa *but for* the list-price orders whose price
//!   moved; those are counted and printed, and their difference is checked to be exactly the
//!   whole difference. Where no list price was off, the totals equal the simulator's exactly;
//! - each desk reads the account's balance, its database holds what its window shows, and all of
//!   it again after both desks start once more.
//!
//! `cargo test --test it chaos::` runs a short version with a fixed seed. The long one is run by hand:
//! `CHAOS_PURCHASES=300 CHAOS_SEED=<n> cargo test --test it chaos:: -- --ignored --nocapture`
//! (no `CHAOS_SEED`: a random seed, printed; `CHAOS_PURCHASES` counts both desks' purchases).

mod driver;
mod reconcile;

use std::time::{Duration, Instant};

use crate::common::{KEY, https_sim_with};
use instaotp_desktop::settings::Settings;
use instaotp_desktop::sim::{Chaos, SimConfig};

use driver::{DESKS, DeskHandle, Driver, Rng, desk_url, on_every_desk};

/// The share of requests that get a fault.
const FAULT_PERCENT: u8 = 20;

/// The fault kinds that happen at the TLS level (over HTTPS).
const TLS_KINDS: [&str; 2] = [
    "closed without close_notify (processed)",
    "reset mid-body (processed)",
];

/// One whole run: chaos, resolution, settling, the checks; prints its figures and returns them.
/// With `open_orders` the simulator lists the account's open orders (`getActiveActivations`, as
/// some of InstaOTP's family do; InstaOTP's documented API answers `BAD_ACTION`): the desks then
/// look for their unconfirmed purchases there and learn what each order cost.
fn chaos_run(purchases: usize, seed: u64, open_orders: bool) -> reconcile::Figures {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let dirs: Vec<_> = DESKS.iter().map(|name| dir.path().join(name)).collect();
    for d in &dirs {
        std::fs::create_dir_all(d).unwrap();
    }
    let config = SimConfig {
        accounts: vec![(KEY.to_owned(), reconcile::START_BALANCE)],
        code_delay: Some(driver::CODE_DELAY),
        cancel_lock: Duration::from_secs(1),
        expiry: Duration::from_secs(8),
        ..SimConfig::default()
    };
    let sim = https_sim_with(&dirs[0], config, |s| s.poll_interval_secs = 3);
    sim.offer_active_activations(open_orders);
    // The other desk is set up alike.
    let (settings, _) = Settings::load(&dirs[0]);
    for d in &dirs[1..] {
        settings.save(d).unwrap();
    }
    let urls: Vec<String> = DESKS.iter().map(|name| desk_url(&sim, name)).collect();
    let (figures, chaos_time) = std::thread::scope(|scope| {
        let desks: Vec<DeskHandle<'_>> = DESKS
            .iter()
            .zip(&dirs)
            .zip(&urls)
            .map(|((name, dir), url)| DeskHandle::spawn(scope, name, dir.clone(), url.clone()))
            .collect();
        on_every_desk(&desks, driver::Desk::start);
        // Faults from here on: the first start is the one staff did once, long ago.
        sim.set_chaos(Some(Chaos::new(seed, FAULT_PERCENT)));
        let mut driver = Driver::new(&sim, desks, Rng::new(seed));
        driver.run(purchases);
        let chaos_time = started.elapsed();
        sim.set_chaos(None);
        (reconcile::reconcile(driver), chaos_time)
    });
    let mut figures = figures;
    let report = sim.chaos_report();
    figures.fault_kinds = report.by_kind.len();
    figures.tls_faults = tls_faults(&report);

    println!(
        "chaos run, seed {seed}: {purchases} purchases by {} desks in {:.1?} ({:.1?} under chaos, \
         then resolving, settling and checking); open orders {}",
        DESKS.len(),
        started.elapsed(),
        chaos_time,
        if open_orders {
            "listed (getActiveActivations)"
        } else {
            "not listed (BAD_ACTION, as InstaOTP)"
        }
    );
    println!(
        "  requests {}, faults {} ({:.1} %)",
        report.requests,
        report.faults(),
        percent(report.faults(), report.requests)
    );
    println!("  faults by kind (all requests / purchases):");
    for (kind, n) in &report.by_kind {
        let on_purchase = report.on_purchase.get(kind).copied().unwrap_or(0);
        println!("    {kind}: {n} / {on_purchase}");
    }
    println!(
        "  TLS faults: {} (closed without close_notify / reset mid-body, all requests), {} \
         handshakes failed",
        figures.tls_faults, figures.world.handshake_failures
    );
    println!("{figures}");
    figures
}

/// The faults of the TLS kinds injected.
fn tls_faults(report: &instaotp_desktop::sim::ChaosReport) -> u64 {
    TLS_KINDS
        .iter()
        .map(|k| report.by_kind.get(k).copied().unwrap_or(0))
        .sum()
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let share = part as f64 * 100.0 / whole as f64;
    share
}

#[test]
fn the_ledger_reconciles_under_chaos() {
    let figures = chaos_run(SHORT_PURCHASES, SHORT_SEED, false);
    let total = figures.total();
    assert!(
        figures.not_confirmed_sold() >= 2
            && total.refunded_orders >= 2
            && figures.desks.iter().all(|d| d.ledger.sold >= 3)
            && figures.website_sold >= 1
            && figures.world.price_changes >= 1
            && figures.tls_faults >= 1
            && figures.world.handshake_failures >= 1,
        "the run tried too little: {figures}"
    );
}

/// The short run: its seed and purchases (both desks together). Seed 2516 puts seven "sold,
/// then the reply is lost" faults on the 30 purchases, on both desks and of both TLS kinds among
/// them, and draws three website purchases, five price changes and a failed handshake.
const SHORT_SEED: u64 = 2516;
const SHORT_PURCHASES: usize = 30;

/// The long run, by hand: `CHAOS_PURCHASES` (300) purchases, seed `CHAOS_SEED` (random), the
/// open orders listed with `CHAOS_OPEN_ORDERS=1`.
#[test]
#[ignore = "long: run by hand, see the module documentation"]
fn the_ledger_reconciles_under_long_chaos() {
    let purchases = std::env::var("CHAOS_PURCHASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let open_orders = std::env::var("CHAOS_OPEN_ORDERS").is_ok_and(|v| v == "1");
    println!(
        "CHAOS_SEED={seed} CHAOS_PURCHASES={purchases} CHAOS_OPEN_ORDERS={}",
        u8::from(open_orders)
    );
    let figures = chaos_run(purchases, seed, open_orders);
    assert_eq!(
        figures.fault_kinds,
        Chaos::new(seed, 1).kinds().len(),
        "every fault kind"
    );
}
