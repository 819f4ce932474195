//! The benchmark's copy of what the app does with the polling engine each frame: ask the
//! [`Poller`] what is due, send those requests, apply the answers to the orders.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use instaotp_desktop::api::active::ActiveActivation;
use instaotp_desktop::api::active::Offered;
use instaotp_desktop::api::{ApiError, Client, OrderStatus};
use instaotp_desktop::app::{PollPolicy, Poller, Turn};
use instaotp_desktop::orders::{Order, now_millis};
use instaotp_desktop::sim::Simulator;

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
    /// Requests sent for orders the engine already had a code for (a list when every order had
    /// one).
    pub coded: usize,
    /// Requests sent for orders that had ended.
    pub ended: usize,
}

enum Answer {
    Status(String, Result<OrderStatus, ApiError>),
    List(Result<Vec<ActiveActivation>, ApiError>),
}

/// Applies an answer to one order, as `App::poll_answered` does; notes when its code is first
/// seen.
fn apply(orders: &mut [Order], seen: &mut [Option<Instant>], i: usize, status: &OrderStatus) {
    let order = &mut orders[i];
    order.apply_status(status, now_millis(), LIFETIME_MS);
    if order.code.is_some() && seen[i].is_none() {
        seen[i] = Some(Instant::now());
    }
}

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
        rate: client.config().requests_per_second,
    };
    let mut poller = Poller::default();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Answer>();
    let mut in_flight: HashSet<String> = HashSet::new();
    // As a new account: the first list asks whether the provider offers it.
    let mut offered = Offered::Unknown;
    let mut list_in_flight = false;
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
        let turn = Turn {
            now,
            wall_ms: wall,
            room: client.budget().room(now),
            list: offered,
            list_in_flight,
        };
        let plan = poller.plan(
            turn,
            orders.iter(),
            &policy,
            |o| wall - o.bought_at,
            |id| in_flight.contains(id),
        );
        if plan.list {
            out.coded += usize::from(orders.iter().all(|o| o.code.is_some()));
            list_in_flight = true;
            let (client, tx) = (client.clone(), tx.clone());
            tokio::spawn(async move {
                let _sent = tx.send(Answer::List(client.active_activations().await));
            });
        }
        for id in plan.start {
            if let Some(o) = orders.iter().find(|o| o.order_id == id) {
                out.coded += usize::from(o.code.is_some());
                out.ended += usize::from(!o.is_watched());
            }
            in_flight.insert(id.clone());
            let (client, tx) = (client.clone(), tx.clone());
            tokio::spawn(async move {
                let result = client.status(&id).await;
                let _sent = tx.send(Answer::Status(id, result));
            });
        }
        let wake = plan
            .wake
            .unwrap_or(now + Duration::from_secs(1))
            .min(deadline);
        tokio::select! {
            Some(answer) = rx.recv() => match answer {
                Answer::Status(id, result) => {
                    in_flight.remove(&id);
                    let Some(i) = orders.iter().position(|o| o.order_id == id) else { continue };
                    match result {
                        Ok(status) => {
                            poller.succeeded(&id, status.clone());
                            apply(&mut orders, &mut out.seen, i, &status);
                        }
                        Err(e) => {
                            out.refused += usize::from(matches!(e, ApiError::RateLimited { .. }));
                            poller.failed(&id, e.retry_pause(), Instant::now());
                        }
                    }
                }
                Answer::List(result) => {
                    list_in_flight = false;
                    match result {
                        Ok(list) => {
                            offered = Offered::Yes;
                            poller.list_succeeded();
                            for i in 0..orders.len() {
                                if !orders[i].is_watched() {
                                    continue;
                                }
                                let id = orders[i].order_id.clone();
                                let listed = list.iter().find(|a| a.order_id == id);
                                poller.listed(&id, listed.is_some());
                                let Some(listed) = listed else { continue };
                                let status = match &listed.sms {
                                    Some(sms) => OrderStatus::Code(sms.clone()),
                                    None => OrderStatus::WaitCode,
                                };
                                poller.succeeded(&id, status.clone());
                                apply(&mut orders, &mut out.seen, i, &status);
                            }
                        }
                        Err(e) => {
                            out.refused += usize::from(matches!(e, ApiError::RateLimited { .. }));
                            match Offered::from_error(&e) {
                                Offered::No => offered = Offered::No,
                                _ => poller.list_failed(e.retry_pause(), Instant::now()),
                            }
                        }
                    }
                }
            },
            () = tokio::time::sleep_until(wake.into()) => {}
        }
    }
    out.finished = Instant::now();
    out
}
