//! The app's polling engine as the window uses it: the session's polling task
//! ([`Polling`]: the poller, the shared request budget, per-order and batched requests) is told
//! the watched orders; its answers are applied to them as `App` applies them, the moment it asks
//! for a repaint.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use instaotp_desktop::api::active::Offered;
use instaotp_desktop::api::{ApiError, Client, OrderStatus};
use instaotp_desktop::app::PollPolicy;
use instaotp_desktop::app::poll_driver::{Inputs, Polling, Target};
use instaotp_desktop::orders::{Order, OrderStore, now_millis};
use instaotp_desktop::sim::Simulator;
use instaotp_desktop::worker::SessionEvent;

/// The poll interval of Settings' default.
pub const INTERVAL: Duration = Duration::from_secs(5);
const LIFETIME_MS: i64 = 20 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `getStatus` per order (the provider does not list open orders).
    PerOrder,
    /// `getActiveActivations` answers for every order.
    Batched,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::PerOrder, Mode::Batched];

    pub fn parse(s: &str) -> Mode {
        match s {
            "per-order" => Mode::PerOrder,
            "batched" => Mode::Batched,
            other => panic!("unknown mode {other}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::PerOrder => "per order",
            Mode::Batched => "batched",
        }
    }

    pub fn offers_list(self) -> bool {
        self == Mode::Batched
    }
}

pub struct Outcome {
    /// When the engine first had each order's code.
    pub seen: Vec<Option<Instant>>,
    pub finished: Instant,
    /// 429s the engine received.
    pub refused: usize,
    /// Requests the simulator received for orders the engine already had a code for (a list when
    /// it had every code).
    pub coded: usize,
    /// Requests for orders that had ended (none ends here: every order stays open).
    pub ended: usize,
}

/// Applies an answer to one order, as `App::poll_answered` does; notes when its code is first
/// seen.
fn apply(orders: &mut [Order], seen: &mut [Option<Instant>], id: &str, status: &OrderStatus) {
    let Some(i) = orders.iter().position(|o| o.order_id == id) else {
        return;
    };
    orders[i].apply_status(status, now_millis(), LIFETIME_MS);
    if orders[i].code.is_some() && seen[i].is_none() {
        seen[i] = Some(Instant::now());
    }
}

pub async fn drive(
    client: &Client,
    sim: &Simulator,
    mut orders: Vec<Order>,
    _mode: Mode,
    deadline: Instant,
) -> Outcome {
    let policy = PollPolicy {
        interval: INTERVAL,
        lifetime_ms: LIFETIME_MS,
        rate: client.config().requests_per_second,
    };
    // The window: woken when the polling task asks for a repaint.
    let ctx = egui::Context::default();
    let repaint = Arc::new(tokio::sync::Notify::new());
    let woken = Arc::clone(&repaint);
    ctx.set_request_repaint_callback(move |_| woken.notify_one());
    let polling = Polling::start(ctx, client.clone(), policy);
    let dir = tempfile::tempdir().unwrap();
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    // As a new account: the first list asks whether the provider offers it.
    let mut offered = Offered::Unknown;
    let mut out = Outcome {
        seen: vec![None; orders.len()],
        finished: Instant::now(),
        refused: 0,
        coded: 0,
        ended: 0,
    };
    let start = Instant::now();
    loop {
        let now = Instant::now();
        if out.seen.iter().all(Option::is_some) || now >= deadline {
            break;
        }
        let wall = now_millis();
        polling.update(Inputs {
            targets: orders
                .iter()
                .filter(|o| o.is_watched())
                .map(|o| Target {
                    order: o.clone(),
                    seen_at: now,
                    age_ms: wall - o.bought_at,
                })
                .collect(),
            policy,
            busy: Default::default(),
            list_access: Some((store.clone(), "bench".to_owned())),
            offered,
            attempts_waiting: false,
        });
        let wait = Duration::from_secs(1).min(deadline.saturating_duration_since(now));
        let _woken = tokio::time::timeout(wait, repaint.notified()).await;
        for event in polling.answers() {
            match event {
                SessionEvent::Polled { order_id, result } => match result {
                    Ok(status) => apply(&mut orders, &mut out.seen, &order_id, &status),
                    Err(e) => out.refused += usize::from(matches!(e, ApiError::RateLimited { .. })),
                },
                SessionEvent::ActiveListed {
                    result,
                    offered: said,
                    ..
                } => {
                    if said != Offered::Unknown {
                        offered = said;
                    }
                    match result {
                        Ok(list) => {
                            for listed in list {
                                let status = listed.status();
                                apply(&mut orders, &mut out.seen, &listed.order_id, &status);
                            }
                        }
                        Err(e) => {
                            out.refused += usize::from(matches!(e, ApiError::RateLimited { .. }));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.finished = Instant::now();
    drop(polling);
    // Which requests went to orders the engine already had the code of, from the simulator's log.
    let had_code = |id: &str, at: Instant| {
        orders
            .iter()
            .position(|o| o.order_id == id)
            .and_then(|i| out.seen[i])
            .is_some_and(|seen| seen < at)
    };
    for r in sim.requests().iter().filter(|r| r.at >= start) {
        out.coded += usize::from(match r.action.as_str() {
            "getStatus" => had_code(r.params.get("id").map_or("", String::as_str), r.at),
            "getActiveActivations" => orders.iter().all(|o| had_code(&o.order_id, r.at)),
            _ => false,
        });
    }
    out
}
