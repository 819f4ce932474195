//! Code-latency benchmark: how long after the simulator has an SMS does the polling engine see the
//! code, with N orders open at once and a provider that allows 4 requests a second (429 with
//! Retry-After above it). Real HTTP, real time (the simulator's clock is not injectable, so no
//! speed-up): every configuration runs at the same time, each against its own simulator.
//!
//!     cargo run --release --example code_latency -- [--seconds 300] [--n 1,10,50] [--seed 7]
//!
//! Run by hand (`scripts/code_latency.sh`), never in CI. Prints one Markdown row per
//! configuration: code latency p50 / p95 / max, requests a second, 429s received, requests spent
//! on orders that already had a code, and requests to orders that had ended.

// Tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::too_many_lines
)]

mod engine;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use instaotp_desktop::api::{ApiKey, Client, ClientConfig, Offer};
use instaotp_desktop::orders::{Order, now_millis};
use instaotp_desktop::sim::{SimConfig, Simulator};
use rust_decimal::Decimal;

/// The provider's limit the simulator enforces.
const PROVIDER_RATE: usize = 4;
const KEY: &str = "bench-key";

struct Args {
    seconds: u64,
    sizes: Vec<usize>,
    seed: u64,
    modes: Vec<engine::Mode>,
}

fn args() -> Args {
    let mut out = Args {
        seconds: 300,
        sizes: vec![1, 10, 50],
        seed: 7,
        modes: engine::Mode::ALL.to_vec(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let v = it.next().unwrap_or_default();
        match a.as_str() {
            "--seconds" => out.seconds = v.parse().unwrap(),
            "--seed" => out.seed = v.parse().unwrap(),
            "--n" => out.sizes = v.split(',').map(|s| s.parse().unwrap()).collect(),
            "--mode" => out.modes = v.split(',').map(engine::Mode::parse).collect(),
            other => panic!("unknown argument {other}"),
        }
    }
    out
}

/// splitmix64: a reproducible spread of arrival times without a dependency.
fn random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub struct Report {
    pub n: usize,
    pub mode: engine::Mode,
    pub latencies: Vec<Duration>,
    pub missed: usize,
    pub elapsed: Duration,
    pub requests: usize,
    pub refused_by_sim: usize,
    pub refused_seen: usize,
    pub coded: usize,
    pub ended: usize,
}

async fn run(n: usize, mode: engine::Mode, window: Duration, seed: u64) -> Report {
    let sim = Arc::new(
        Simulator::start(SimConfig {
            accounts: vec![(KEY.to_owned(), Decimal::new(1_000_000, 2))],
            code_delay: None,
            ..SimConfig::default()
        })
        .unwrap(),
    );
    sim.offer_active_activations(mode.offers_list());
    let offer = Offer {
        server: "1".into(),
        service_code: "vk".into(),
        name: "VK".into(),
        price: Decimal::new(312, 2),
        price_sent: None,
        qty: 1000,
        country: "22".into(),
        provider: "1".into(),
    };
    // The purchases come before the rate limit is switched on; the clock starts after them.
    let setup = Client::new(ClientConfig::new(sim.url(), ApiKey::new(KEY))).unwrap();
    let mut orders = Vec::new();
    for _ in 0..n {
        let purchase = setup.buy("vk", "22", "1").await.unwrap();
        orders.push(Order::new(&offer, purchase, now_millis()));
    }
    sim.limit_rate(Some(PROVIDER_RATE));
    let client = Client::new(ClientConfig::new(sim.url(), ApiKey::new(KEY))).unwrap();

    let mut rng = seed ^ (n as u64) << 32;
    let arrivals: Vec<Duration> = (0..n)
        .map(|_| Duration::from_millis(random(&mut rng) % window.as_millis() as u64))
        .collect();
    let delivered: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; n]));
    let start = Instant::now();
    let deliver = {
        let (sim, delivered) = (Arc::clone(&sim), Arc::clone(&delivered));
        let ids: Vec<String> = orders.iter().map(|o| o.order_id.clone()).collect();
        let mut plan: Vec<(Duration, usize)> =
            arrivals.iter().copied().zip(0..).collect::<Vec<_>>();
        plan.sort();
        tokio::spawn(async move {
            for (at, i) in plan {
                tokio::time::sleep_until((start + at).into()).await;
                sim.deliver_code(&ids[i], &format!("{:06}", 100_000 + i));
                delivered.lock().unwrap()[i] = Some(Instant::now());
            }
        })
    };
    let deadline = start + window + Duration::from_secs(60);
    let outcome = engine::drive(&client, &sim, orders, mode, deadline).await;
    deliver.abort();
    let elapsed = outcome.finished.saturating_duration_since(start);
    let delivered = delivered.lock().unwrap().clone();
    let mut latencies = Vec::new();
    let mut missed = 0;
    for (seen, got) in outcome.seen.iter().zip(&delivered) {
        match (seen, got) {
            (Some(seen), Some(got)) => latencies.push(seen.saturating_duration_since(*got)),
            _ => missed += 1,
        }
    }
    latencies.sort();
    Report {
        n,
        mode,
        latencies,
        missed,
        elapsed,
        requests: sim.requests().iter().filter(|r| r.at >= start).count(),
        refused_by_sim: sim.rate_limited_count(),
        refused_seen: outcome.refused,
        coded: outcome.coded,
        ended: outcome.ended,
    }
}

fn pct(sorted: &[Duration], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (sorted.len() * p).div_ceil(100).max(1) - 1;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = args();
    let window = Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for &mode in &args.modes {
        for &n in &args.sizes {
            tasks.push(tokio::spawn(run(n, mode, window, args.seed)));
        }
    }
    println!(
        "codes over {} s, provider limit {PROVIDER_RATE} req/s, poll interval {} s, real time",
        args.seconds,
        engine::INTERVAL.as_secs()
    );
    println!(
        "| polling | N | p50 | p95 | max | missed | req/s | 429 (sim / seen) | on orders with a code | to ended orders |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for task in tasks {
        let r = task.await.unwrap();
        let secs = r.elapsed.as_secs_f64();
        println!(
            "| {} | {} | {:.1} s | {:.1} s | {:.1} s | {} | {:.2} | {} / {} | {} of {} ({:.1} %) | {} |",
            r.mode.name(),
            r.n,
            pct(&r.latencies, 50),
            pct(&r.latencies, 95),
            r.latencies.last().map_or(f64::NAN, Duration::as_secs_f64),
            r.missed,
            r.requests as f64 / secs,
            r.refused_by_sim,
            r.refused_seen,
            r.coded,
            r.requests,
            100.0 * r.coded as f64 / r.requests.max(1) as f64,
            r.ended,
        );
    }
}
