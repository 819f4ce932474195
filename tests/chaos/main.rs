//! The ledger reconciles under chaos (issue 12). The real app, in a kittest harness over real
//! HTTP, buys numbers through its Services tab, finishes and cancels orders and is closed and
//! started again over the same data folder, all at random from a seed, while the simulator puts
//! a fault from every kind (the "sold, then the reply is lost" ones included) on 20 % of the
//! requests. Then the person resolves each "Purchase not confirmed" card as the website tells
//! them, every order is taken to its end, and the app's ledger must be the simulator's: every
//! number sold is followed, nothing unsold is shown as bought, every refund the app counts was
//! made, and spent and refunded equal the simulator's to the paisa.
//!
//! `cargo test --test chaos` runs a short version with a fixed seed. The long one is run by hand:
//! `CHAOS_PURCHASES=300 CHAOS_SEED=<n> cargo test --test chaos -- --ignored --nocapture`
//! (no `CHAOS_SEED`: a random seed, printed); its figures are in docs/RELIABILITY.md.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]

#[path = "../common/mod.rs"]
mod common;
mod driver;
mod reconcile;

use std::time::{Duration, Instant};

use common::{KEY, TestApp, sim_with};
use instaotp_desktop::sim::{Chaos, SimConfig};
use rust_decimal::Decimal;

use driver::{Driver, Rng};

/// The share of requests that get a fault.
const FAULT_PERCENT: u8 = 20;

/// One whole run: chaos, resolution, settling, the checks; prints its figures and returns them.
fn chaos_run(purchases: usize, seed: u64) -> reconcile::Figures {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let config = SimConfig {
        accounts: vec![(KEY.to_owned(), Decimal::new(10_000_000, 2))],
        code_delay: Some(driver::CODE_DELAY),
        cancel_lock: Duration::from_secs(1),
        expiry: Duration::from_secs(8),
        ..SimConfig::default()
    };
    let sim = sim_with(dir, config, |s| s.poll_interval_secs = 3);
    let t = TestApp::signed_in(dir, &sim);
    // Faults from here on: the first start is the one staff did once, long ago.
    sim.set_chaos(Some(Chaos::new(seed, FAULT_PERCENT)));
    let mut driver = Driver::new(t, &sim, dir, Rng::new(seed));
    driver.run(purchases);
    let chaos_time = started.elapsed();
    sim.set_chaos(None);
    let report = sim.chaos_report();
    let mut figures = reconcile::reconcile(driver);
    figures.fault_kinds = report.by_kind.len();

    println!(
        "chaos run, seed {seed}: {purchases} purchases in {:.1?} ({:.1?} under chaos, then \
         resolving, settling and checking)",
        started.elapsed(),
        chaos_time
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
    println!("{figures}");
    figures
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
    // Seed 363 puts every "sold, then the reply is lost" form on one of the first 21 purchases.
    let figures = chaos_run(30, 363);
    assert!(
        figures.not_confirmed_sold >= 3 && figures.ledger.refunded_orders >= 2,
        "the run tried too little: {figures}"
    );
}

/// The long run, by hand: `CHAOS_PURCHASES` (300) purchases, seed `CHAOS_SEED` (random).
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
    println!("CHAOS_SEED={seed} CHAOS_PURCHASES={purchases}");
    let figures = chaos_run(purchases, seed);
    assert_eq!(
        figures.fault_kinds,
        Chaos::new(seed, 1).kinds().len(),
        "every fault kind"
    );
}
