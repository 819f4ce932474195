//! Polls without the window: a task per session asks the [`Poller`] what is due, sends it, keeps
//! the poller's books as answers come, and wakes the window only when an answer changes what it
//! shows. A tab whose content does not change draws no frame while orders are polled.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::poller::{PollPolicy, Poller, Turn};
use crate::api::Client;
use crate::api::active::Offered;
use crate::orders::{Millis, Order, OrderStore, now_millis};
use crate::worker::{SessionEvent, list_active_event};

/// With nothing due, the task looks again this often anyway.
const IDLE_WAKE: Duration = Duration::from_secs(60);

/// An order to poll, with its age when the window last looked (monotonic, see `OrderClock`).
pub struct Target {
    pub order: Order,
    pub seen_at: Instant,
    pub age_ms: Millis,
}

impl Target {
    fn age_at(&self, now: Instant) -> Millis {
        let since = Millis::try_from(now.saturating_duration_since(self.seen_at).as_millis())
            .unwrap_or(Millis::MAX);
        self.age_ms.saturating_add(since)
    }
}

/// What the window tells the task.
pub struct Inputs {
    pub targets: Vec<Target>,
    pub policy: PollPolicy,
    /// Orders with a status change out: not polled meanwhile.
    pub busy: HashSet<crate::orders::OrderId>,
    /// The database and account, when open: the list needs them to remember its answer.
    pub list_access: Option<(OrderStore, String)>,
    pub offered: Offered,
    /// Purchases wait unconfirmed: every list answer matters to the window.
    pub attempts_waiting: bool,
}

pub struct State {
    pub poller: Poller,
    inputs: Inputs,
    in_flight: HashSet<String>,
    list_in_flight: bool,
    /// Orders whose last answer was an error: the next good one is news (the problem goes).
    troubled: HashSet<String>,
    answers: Answers,
}

/// Answers not yet applied by the window. Those that change nothing are kept one per order (and
/// one list), the latest: a window that draws nothing for hours holds no queue.
#[derive(Default)]
struct Answers {
    news: Vec<SessionEvent>,
    /// By order id; `None` for the list.
    quiet: HashMap<Option<String>, SessionEvent>,
}

/// The session's polling: the shared state, the answers for the window, the task.
pub struct Polling {
    state: Arc<Mutex<State>>,
    notify: Arc<Notify>,
    task: Option<tokio::task::JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Polling {
    /// Starts the task on the current tokio runtime; without one (a test of screens only),
    /// nothing is polled.
    pub fn start(ctx: egui::Context, client: Client, policy: PollPolicy) -> Self {
        let state = Arc::new(Mutex::new(State {
            poller: Poller::default(),
            inputs: Inputs {
                targets: Vec::new(),
                policy,
                busy: HashSet::new(),
                list_access: None,
                offered: Offered::No,
                attempts_waiting: false,
            },
            in_flight: HashSet::new(),
            list_in_flight: false,
            troubled: HashSet::new(),
            answers: Answers::default(),
        }));
        let notify = Arc::new(Notify::new());
        let task = tokio::runtime::Handle::try_current().ok().map(|rt| {
            let driver = Driver {
                state: Arc::clone(&state),
                notify: Arc::clone(&notify),
                client,
                ctx,
            };
            rt.spawn(driver.run())
        });
        Self {
            state,
            notify,
            task,
        }
    }

    /// The poller, for the window's own books (auto-finish, typical delays, recovery).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// What to poll, as the window sees it now; the task plans again at once.
    pub fn update(&self, inputs: Inputs) {
        lock(&self.state).inputs = inputs;
        self.notify.notify_one();
    }

    /// The answers that came since the last call.
    pub fn answers(&self) -> Vec<SessionEvent> {
        let answers = std::mem::take(&mut lock(&self.state).answers);
        answers
            .news
            .into_iter()
            .chain(answers.quiet.into_values())
            .collect()
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

struct Driver {
    state: Arc<Mutex<State>>,
    notify: Arc<Notify>,
    client: Client,
    ctx: egui::Context,
}

impl Driver {
    async fn run(self) {
        let this = Arc::new(self);
        loop {
            let wake = this.plan_and_send();
            tokio::select! {
                () = tokio::time::sleep_until(wake.into()) => {}
                () = this.notify.notified() => {}
            }
        }
    }

    /// Plans, starts what is due, and says when to plan again.
    fn plan_and_send(self: &Arc<Self>) -> Instant {
        let now = Instant::now();
        let (plan, list) = {
            let mut guard = lock(&self.state);
            let s = &mut *guard;
            let turn = Turn {
                now,
                wall_ms: now_millis(),
                room: self.client.budget().room(now),
                list: match s.inputs.list_access {
                    Some(_) => s.inputs.offered,
                    None => Offered::No,
                },
                list_in_flight: s.list_in_flight,
            };
            let targets = &s.inputs.targets;
            let (in_flight, busy) = (&s.in_flight, &s.inputs.busy);
            let plan = s.poller.plan(
                turn,
                targets.iter().map(|t| &t.order),
                &s.inputs.policy,
                |o| {
                    targets
                        .iter()
                        .find(|t| t.order.order_id == o.order_id)
                        .map_or(0, |t| t.age_at(now))
                },
                |id| in_flight.contains(id) || busy.contains(id),
            );
            s.in_flight.extend(plan.start.iter().cloned());
            let list = if plan.list {
                s.list_in_flight = true;
                s.inputs
                    .list_access
                    .clone()
                    .map(|(store, account)| (store, account, s.inputs.offered))
            } else {
                None
            };
            (plan, list)
        };
        for id in plan.start {
            tokio::spawn(Arc::clone(self).poll(id));
        }
        if let Some((store, account, known)) = list {
            tokio::spawn(Arc::clone(self).list(store, account, known));
        }
        plan.wake.unwrap_or(now + IDLE_WAKE)
    }

    async fn poll(self: Arc<Self>, order_id: String) {
        let result = self.client.status(&order_id).await;
        let changed = {
            let mut s = lock(&self.state);
            s.in_flight.remove(&order_id);
            let mut changed = result.as_ref().ok() != s.poller.last_status.get(&order_id);
            match &result {
                Ok(status) => {
                    changed |= s.troubled.remove(&order_id);
                    s.poller.succeeded(&order_id, status.clone());
                }
                Err(e) => {
                    s.troubled.insert(order_id.clone());
                    s.poller.failed(&order_id, e.retry_pause(), Instant::now());
                }
            }
            changed
        };
        let key = Some(order_id.clone());
        let order_id = crate::orders::OrderId::new(order_id);
        self.deliver(SessionEvent::Polled { order_id, result }, changed, key);
    }

    async fn list(self: Arc<Self>, store: OrderStore, account: String, known: Offered) {
        let event = list_active_event(self.client.clone(), store, account, known).await;
        let changed = {
            let mut guard = lock(&self.state);
            let s = &mut *guard;
            s.list_in_flight = false;
            match &event {
                SessionEvent::ActiveListed {
                    result: Ok(list),
                    offered,
                    ..
                } => {
                    let mut changed = s.inputs.attempts_waiting || *offered != known;
                    s.inputs.offered = *offered;
                    s.poller.list_succeeded();
                    for target in &s.inputs.targets {
                        let id = &target.order.order_id;
                        let named = list.iter().find(|a| &a.order_id == id);
                        s.poller.listed(id, named.is_some());
                        if let Some(named) = named {
                            let status = named.status();
                            changed |= s.poller.last_status.get(id) != Some(&status);
                            s.poller.succeeded(id, status);
                        }
                    }
                    changed
                }
                SessionEvent::ActiveListed {
                    result: Err(e),
                    offered,
                    ..
                } => {
                    if *offered == Offered::No {
                        s.inputs.offered = Offered::No;
                    } else {
                        s.poller.list_failed(e.retry_pause(), Instant::now());
                    }
                    true
                }
                _ => false,
            }
        };
        self.deliver(event, changed, None);
    }

    /// Hands an answer to the window, woken only when it changes something; plans again.
    fn deliver(&self, event: SessionEvent, changed: bool, key: Option<String>) {
        {
            let mut s = lock(&self.state);
            if changed {
                s.answers.quiet.remove(&key);
                s.answers.news.push(event);
            } else {
                s.answers.quiet.insert(key, event);
            }
        }
        if changed {
            self.ctx.request_repaint();
        }
        self.notify.notify_one();
    }
}
