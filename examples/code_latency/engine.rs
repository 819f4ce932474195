//! The benchmark's copy of what the app does with the polling engine each frame: ask the
//! [`Poller`] what is due, send those requests, apply the answers to the orders.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use instaotp_desktop::api::{ApiError, Client, OrderStatus};
use instaotp_desktop::app::{PollPolicy, Poller};
use instaotp_desktop::orders::{Order, now_millis};
use instaotp_desktop::sim::Simulator;

/// The poll interval of Settings' default.
pub const INTERVAL: Duration = Duration::from_secs(5);
const LIFETIME_MS: i64 = 20 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `getStatus` per order (the provider does not list open orders).
    PerOrder,
}

impl Mode {
    pub const ALL: [Mode; 1] = [Mode::PerOrder];

    pub fn parse(s: &str) -> Mode {
        match s {
            "per-order" => Mode::PerOrder,
            other => panic!("unknown mode {other}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::PerOrder => "per order",
        }
    }

    pub fn offers_list(self) -> bool {
        false
    }
}

pub struct Outcome {
    /// When the engine first had each order's code.
    pub seen: Vec<Option<Instant>>,
    pub finished: Instant,
    /// 429s the engine received.
    pub refused: usize,
    /// Requests sent for orders the engine already had a code for.
    pub coded: usize,
    /// Requests sent for orders that had ended.
    pub ended: usize,
}

type Answer = (String, Result<OrderStatus, ApiError>);

pub async fn drive(
    client: &Client,
    _sim: &Simulator,
    mut orders: Vec<Order>,
    _mode: Mode,
    deadline: Instant,
) -> Outcome {
    let policy = PollPolicy {
        interval: INTERVAL,
        lifetime_ms: LIFETIME_MS,
    };
    let mut poller = Poller::default();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Answer>();
    let mut in_flight: HashSet<String> = HashSet::new();
    let mut out = Outcome {
        seen: vec![None; orders.len()],
        finished: Instant::now(),
        refused: 0,
        coded: 0,
        ended: 0,
    };
    loop {
        let now = Instant::now();
        if out.seen.iter().all(Option::is_some) || now >= deadline {
            break;
        }
        let wall = now_millis();
        let plan = poller.plan(
            now,
            orders.iter(),
            &policy,
            |o| wall - o.bought_at,
            |id| in_flight.contains(id),
        );
        for id in plan.start {
            if let Some(o) = orders.iter().find(|o| o.order_id == id) {
                out.coded += usize::from(o.code.is_some());
                out.ended += usize::from(!o.is_watched());
            }
            in_flight.insert(id.clone());
            let (client, tx) = (client.clone(), tx.clone());
            tokio::spawn(async move {
                let result = client.status(&id).await;
                let _sent = tx.send((id, result));
            });
        }
        let wake = plan
            .wake
            .unwrap_or(now + Duration::from_secs(1))
            .min(deadline);
        tokio::select! {
            Some((id, result)) = rx.recv() => {
                in_flight.remove(&id);
                let Some(i) = orders.iter().position(|o| o.order_id == id) else { continue };
                match result {
                    Ok(status) => {
                        poller.succeeded(&id, status.clone());
                        let order = &mut orders[i];
                        order.apply_status(&status, now_millis(), LIFETIME_MS);
                        if order.code.is_some() && out.seen[i].is_none() {
                            out.seen[i] = Some(Instant::now());
                        }
                    }
                    Err(e) => {
                        out.refused += usize::from(matches!(e, ApiError::RateLimited { .. }));
                        poller.failed(&id, e.retry_pause(), Instant::now());
                    }
                }
            }
            () = tokio::time::sleep_until(wake.into()) => {}
        }
    }
    out.finished = Instant::now();
    out
}
