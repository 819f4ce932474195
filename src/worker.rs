//! Runs every request and every blocking call (keychain, disk, dialogs) off the UI thread as a
//! poll-promise promise, and hands the results back as typed [`Event`]s. Each task asks for a
//! repaint when it delivers, so results show at once. The worker decides no wording and logs no
//! error it passes on: the app does both, once.

use std::future::Future;
use std::path::PathBuf;
use std::sync::mpsc;

use poll_promise::Promise;

use crate::api::active::{ActiveActivation, Offered};
use crate::api::{
    ApiError, ApiKey, Balance, Client, Offer, OrderStatus, SetAction, SetStatusReply,
};
/// Tells sessions apart: every job the worker starts for a session carries its generation, and
/// an event of an earlier generation is not applied to the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Generation(pub u64);
use crate::orders::{Order, OrderStore, StoreError, now_millis};
use crate::platform::keychain::{KeychainError, SharedKeychain};
use crate::platform::notify::{NotifyError, SharedNotifier};

/// What a piece of background work is, so the UI can tell what is in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    LoadKey,
    CheckKey,
    SaveKey,
    RemoveKey,
    Balance,
    Offers,
    Purchase,
    Poll(String),
    SetStatus(String),
    /// A purchase attempt checked by an order id (pasted by the person, or found in the list of
    /// open orders).
    Adopt(String),
    /// The provider's list of open orders (`getActiveActivations`).
    ListActive,
    SaveSettings,
    OpenStore,
    ExportHistory,
    DeleteHistory,
    /// The "Save as" dialog is open.
    SaveDialog,
    StartDemo,
    /// A desktop notification, or the check whether one can be shown.
    Notify,
    /// The delivery record read from the orders database.
    Delivery,
    /// The release feed read and its signature checked.
    UpdateCheck,
}

/// Whom a result is for: the app as a whole, or one session (dropped if that session is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    App,
    Session(Generation),
}

/// A finished piece of background work.
#[derive(Debug)]
pub enum Event {
    UpdateChecked(Result<Option<crate::updates::Release>, crate::updates::UpdateError>),
    KeyLoaded(Result<Option<ApiKey>, KeychainError>),
    KeyChecked {
        key: ApiKey,
        result: Result<Balance, ApiError>,
    },
    KeySaved {
        key: ApiKey,
        result: Result<(), KeychainError>,
    },
    KeyRemoved(Result<(), KeychainError>),
    Balance(Result<Balance, ApiError>),
    Offers {
        result: Result<Vec<Offer>, ApiError>,
        /// The offers could not be kept for the next start (they are listed all the same).
        kept: Option<StoreError>,
    },
    /// A purchase reply arrived (already written to the store when `Ok`), or did not.
    Purchased(Box<PurchaseOutcome>),
    Polled {
        order_id: String,
        result: Result<OrderStatus, ApiError>,
    },
    StatusSet {
        order_id: String,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
    },
    Adopted {
        attempt_id: String,
        result: Box<AdoptResult>,
        /// Found in the provider's list of open orders, not pasted by the person.
        automatic: bool,
    },
    /// The provider's list of open orders, and what the answer says about the action.
    ActiveListed {
        result: Result<Vec<ActiveActivation>, ApiError>,
        offered: Offered,
        /// The answer could not be remembered (it is asked again next time).
        store_error: Option<StoreError>,
    },
    /// The orders database is open and its orders read.
    StoreOpened(Result<Box<OpenedStore>, StoreError>),
    /// A background write of an order failed.
    OrderNotSaved(StoreError),
    HistoryExported {
        path: PathBuf,
        count: usize,
        result: std::io::Result<()>,
    },
    HistoryDeleted(Result<usize, StoreError>),
    SettingsSaved(std::io::Result<()>),
    /// The demo's simulator runs (it binds a local port and builds its catalogue).
    DemoStarted(std::io::Result<Box<crate::sim::Simulator>>),
    /// The delivery record, read after every earlier order write.
    Delivery(Result<Box<crate::orders::delivery::Summary>, StoreError>),
    /// The system "Save as" dialog was cancelled.
    SaveDialogClosed,
    /// A task ended without a result: a bug in the app (it panicked), or the runtime stopping.
    TaskFailed {
        job: Job,
        panicked: bool,
    },
    /// This desktop has no system "Save as" dialog: the app's own opens with this name.
    SaveDialogUnavailable {
        suggested: PathBuf,
    },
    /// A notification was shown (or the service checked), or could not be.
    Notified {
        why: NotifyWhy,
        result: Result<(), NotifyError>,
    },
}

/// Why the notification service was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyWhy {
    /// At start, without showing anything.
    Check,
    /// "Send a test notification" in Settings.
    Test,
    /// A code arrived.
    Code,
}

/// An orders database just opened.
#[derive(Debug)]
pub struct OpenedStore {
    pub store: OrderStore,
    /// Every order, newest first.
    pub orders: Vec<Order>,
    /// Rows that could not be read (saved by a newer version): left as they are.
    pub unreadable: usize,
    /// Where a damaged database file was moved before a new one was started.
    pub set_aside: Option<PathBuf>,
    /// The offers last listed, and when (wall clock).
    pub saved_offers: Option<(crate::orders::Millis, Vec<Offer>)>,
    /// The account of the session's key (`orders::account::account_of`).
    pub account: String,
    /// Whether InstaOTP answered `getActiveActivations` for this account before.
    pub active_offered: Offered,
    /// The work the last run left undone (`app::unfinished`, as JSON).
    pub unfinished: Option<String>,
}

/// How a purchase ended, as far as this computer can tell.
#[derive(Debug)]
pub enum PurchaseResult {
    /// The provider sold this number; the attempt row became this order.
    Bought(Box<Order>),
    /// The provider clearly refused: nothing was bought.
    Refused(ApiError),
    /// No clear answer: the number may have been sold. The attempt stays "not confirmed".
    Unclear(ApiError),
    /// The attempt could not be written first, so nothing was asked.
    NotSent(StoreError),
}

#[derive(Debug)]
pub struct PurchaseOutcome {
    pub offer: Offer,
    /// The attempt row as it was left: "not bought", "not confirmed", or replaced by the order.
    pub attempt: Order,
    pub result: PurchaseResult,
    /// The database the attempt and the order were written to.
    pub store_path: PathBuf,
    /// The outcome could not be written (the attempt row is on disk and says "not confirmed").
    pub store_error: Option<StoreError>,
}

/// A purchase attempt checked against the provider by its order id.
#[derive(Debug)]
pub enum AdoptResult {
    Adopted(Box<Order>),
    Refused(ApiError),
    NotSaved(StoreError),
}

/// An event with the scope of the job that made it.
#[derive(Debug)]
pub struct Delivered {
    pub scope: Scope,
    pub event: Event,
}

struct Pending {
    scope: Scope,
    job: Job,
    promise: Promise<Event>,
}

pub struct Worker {
    ctx: egui::Context,
    pending: Vec<Pending>,
    /// The session whose jobs count as "in flight" for the screens.
    current: Option<Generation>,
}

impl Worker {
    pub fn new(ctx: egui::Context) -> Self {
        Self {
            ctx,
            pending: Vec::new(),
            current: None,
        }
    }

    /// From now on, jobs of earlier sessions no longer keep their kind busy (their results will
    /// be dropped), except a purchase: one at a time, whoever started it.
    pub fn start_session(&mut self, generation: Generation) {
        self.current = Some(generation);
    }

    /// A job of this kind is in flight for the app or the current session.
    pub fn is_busy(&self, job: &Job) -> bool {
        self.pending.iter().any(|p| {
            &p.job == job
                && (*job == Job::Purchase
                    || match p.scope {
                        Scope::App => true,
                        Scope::Session(g) => Some(g) == self.current,
                    })
        })
    }

    pub fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// Work the user is waiting for, for a spinner. Background work is left out: a spinner
    /// repaints every frame, and polls, or the balance read again after every purchase and
    /// cancel (it may wait its turn in the request budget for a second), must not keep the
    /// window painting. The balance says "checking…" itself when it has nothing to show.
    pub fn user_pending_count(&self) -> usize {
        self.pending
            .iter()
            .filter(|p| {
                !matches!(
                    p.job,
                    Job::Poll(_) | Job::SaveDialog | Job::Notify | Job::Delivery | Job::Balance
                )
            })
            .count()
    }

    /// The finished work, in the order it was started.
    pub fn poll(&mut self) -> Vec<Delivered> {
        let mut delivered = Vec::new();
        let mut still = Vec::with_capacity(self.pending.len());
        for pending in self.pending.drain(..) {
            let Pending {
                scope,
                job,
                promise,
            } = pending;
            match promise.try_take() {
                Ok(event) => delivered.push(Delivered { scope, event }),
                Err(promise) => still.push(Pending {
                    scope,
                    job,
                    promise,
                }),
            }
        }
        self.pending = still;
        delivered
    }

    /// Starts `task` on the tokio runtime. The value is delivered before the repaint is asked for,
    /// so the frame that follows always sees it. A task that panics delivers
    /// [`Event::TaskFailed`] instead (a promise whose sender is gone would panic the window).
    pub fn spawn(
        &mut self,
        scope: Scope,
        job: Job,
        task: impl Future<Output = Event> + Send + 'static,
    ) {
        let (sender, promise) = Promise::new();
        let ctx = self.ctx.clone();
        let failed = job.clone();
        tokio::spawn(async move {
            sender.send(event_or_failure(tokio::spawn(task).await, failed));
            ctx.request_repaint();
        });
        self.pending.push(Pending {
            scope,
            job,
            promise,
        });
    }

    /// Runs blocking work (keychain, disk, dialogs) on tokio's blocking pool.
    pub fn spawn_blocking(
        &mut self,
        scope: Scope,
        job: Job,
        task: impl FnOnce() -> Event + Send + 'static,
    ) {
        let (sender, promise) = Promise::new();
        let ctx = self.ctx.clone();
        let failed = job.clone();
        tokio::spawn(async move {
            let done = tokio::task::spawn_blocking(task).await;
            sender.send(event_or_failure(done, failed));
            ctx.request_repaint();
        });
        self.pending.push(Pending {
            scope,
            job,
            promise,
        });
    }

    // --- the requests -------------------------------------------------------------------------

    /// Shows a notification, or with `why` = [`NotifyWhy::Check`] only asks whether one could be
    /// shown (`summary` and `body` are not used then).
    pub fn notify(
        &mut self,
        notifier: SharedNotifier,
        why: NotifyWhy,
        summary: String,
        body: String,
        sound: bool,
    ) {
        self.spawn_blocking(Scope::App, Job::Notify, move || {
            let result = match why {
                NotifyWhy::Check => notifier.check(),
                NotifyWhy::Test | NotifyWhy::Code => notifier.notify(&summary, &body, sound),
            };
            Event::Notified { why, result }
        });
    }

    pub fn load_key(&mut self, keychain: SharedKeychain) {
        self.spawn_blocking(Scope::App, Job::LoadKey, move || {
            Event::KeyLoaded(keychain.load().map(|key| key.map(ApiKey::new)))
        });
    }

    pub fn check_key(&mut self, client: Client) {
        let key = client.config().key.clone();
        self.spawn(Scope::App, Job::CheckKey, async move {
            Event::KeyChecked {
                key,
                result: client.balance().await,
            }
        });
    }

    pub fn save_key(&mut self, keychain: SharedKeychain, key: ApiKey) {
        self.spawn_blocking(Scope::App, Job::SaveKey, move || {
            let result = keychain.save(key.expose());
            Event::KeySaved { key, result }
        });
    }

    pub fn remove_key(&mut self, keychain: SharedKeychain) {
        self.spawn_blocking(Scope::App, Job::RemoveKey, move || {
            Event::KeyRemoved(keychain.delete())
        });
    }

    pub fn refresh_balance(&mut self, generation: Generation, client: &Client) {
        if self.is_busy(&Job::Balance) {
            return;
        }
        let client = client.clone();
        self.spawn(Scope::Session(generation), Job::Balance, async move {
            Event::Balance(client.balance().await)
        });
    }

    /// Lists the offers; once listed, they are kept in the orders database (when it is open) to
    /// be shown while InstaOTP cannot be reached.
    pub fn refresh_offers(
        &mut self,
        generation: Generation,
        client: &Client,
        store: Option<OrderStore>,
    ) {
        if self.is_busy(&Job::Offers) {
            return;
        }
        let client = client.clone();
        self.spawn(Scope::Session(generation), Job::Offers, async move {
            let result = client.services(None, None).await;
            let mut kept = Ok(());
            if let (Ok(offers), Some(store)) = (&result, store) {
                let offers = offers.clone();
                kept = tokio::task::spawn_blocking(move || {
                    let json = serde_json::to_string(&offers)?;
                    store.save_offers(now_millis(), &json)
                })
                .await
                .unwrap_or_else(|join| {
                    Err(StoreError::Folder(std::io::Error::other(join.to_string())))
                });
            }
            Event::Offers {
                result,
                kept: kept.err(),
            }
        });
    }

    /// Opens the orders database of `key`'s session (a damaged file is set aside and a new one
    /// started): its orders, the account the key is, and the offers last listed.
    pub fn open_store(
        &mut self,
        generation: Generation,
        path: PathBuf,
        key: ApiKey,
        api_url: String,
    ) {
        self.spawn_blocking(Scope::Session(generation), Job::OpenStore, move || {
            let opened = OrderStore::open_or_set_aside(&path).and_then(|(store, set_aside)| {
                let secret = store.account_secret()?;
                let account = crate::orders::account::account_of(&secret, &key, &api_url);
                let loaded = store.load()?;
                let active_offered = store.active_offered(&account)?;
                let unfinished = store.unfinished_work(&account)?;
                let saved_offers = store.saved_offers()?.and_then(|(at, json)| {
                    // Written by this app; unreadable only if a newer version changed it.
                    serde_json::from_str::<Vec<Offer>>(&json)
                        .ok()
                        .map(|offers| (at, offers))
                });
                Ok(Box::new(OpenedStore {
                    store,
                    orders: loaded.orders,
                    unreadable: loaded.unreadable,
                    set_aside,
                    account,
                    active_offered,
                    unfinished,
                    saved_offers,
                }))
            });
            Event::StoreOpened(opened)
        });
    }

    /// Buys once. Refused while another purchase is in flight, so a double click buys one number.
    /// A purchase attempt is written before the request leaves, and the outcome before anything
    /// else: a lost reply or a killed app leaves a "not confirmed" row, never nothing. The
    /// request is never repeated.
    /// `attempt` is the row to write first (`Order::attempt`, with its account and the order it
    /// replaces).
    pub fn buy(
        &mut self,
        generation: Generation,
        client: &Client,
        store: OrderStore,
        offer: Offer,
        attempt: Order,
    ) -> bool {
        if self.is_busy(&Job::Purchase) {
            return false;
        }
        let client = client.clone();
        self.spawn(Scope::Session(generation), Job::Purchase, async move {
            let store_path = store.path().to_path_buf();
            let mut attempt = attempt;
            if let Err(e) = save_now(store.clone(), attempt.clone()).await {
                attempt.close(crate::orders::OrderState::NotBought, now_millis());
                return Event::Purchased(Box::new(PurchaseOutcome {
                    offer,
                    attempt,
                    result: PurchaseResult::NotSent(e),
                    store_path,
                    store_error: None,
                }));
            }
            let reply = client
                // Never more than the list showed, where the provider takes such a limit.
                .buy_at_most(
                    &offer.service_code,
                    &offer.country,
                    &offer.server,
                    Some(offer.price),
                )
                .await;
            let (result, store_error) = settle_purchase(store, &mut attempt, reply).await;
            Event::Purchased(Box::new(PurchaseOutcome {
                offer,
                attempt,
                result,
                store_path,
                store_error,
            }))
        });
        true
    }

    /// Checks an order id for a purchase attempt (pasted by the person, or found in the list of
    /// open orders: `automatic`) and, when the provider knows it, writes the order in the
    /// attempt's place.
    #[allow(clippy::too_many_arguments)] // one job's inputs, each used once
    pub fn adopt(
        &mut self,
        generation: Generation,
        client: &Client,
        store: OrderStore,
        attempt: Order,
        purchase: crate::api::Purchase,
        lifetime_ms: i64,
        automatic: bool,
    ) {
        let client = client.clone();
        let job = Job::Adopt(attempt.order_id.clone());
        self.spawn(Scope::Session(generation), job, async move {
            let attempt_id = attempt.order_id.clone();
            let result = match client.status(&purchase.order_id).await {
                Err(e) => AdoptResult::Refused(e),
                Ok(status) => {
                    let mut order = attempt.adopted(purchase);
                    order.apply_status(&status, now_millis(), lifetime_ms);
                    match replace_now(store, attempt_id.clone(), order).await {
                        Ok(kept) => AdoptResult::Adopted(Box::new(kept)),
                        Err(e) => AdoptResult::NotSaved(e),
                    }
                }
            };
            Event::Adopted {
                attempt_id,
                result: Box::new(result),
                automatic,
            }
        });
    }

    /// Asks for the account's open orders, once, and remembers whether the provider offers the
    /// action at all (an account without it is never asked again).
    pub fn list_active(
        &mut self,
        generation: Generation,
        client: &Client,
        store: OrderStore,
        account: String,
        known: Offered,
    ) {
        if self.is_busy(&Job::ListActive) {
            return;
        }
        let client = client.clone();
        self.spawn(
            Scope::Session(generation),
            Job::ListActive,
            list_active_event(client, store, account, known),
        );
    }

    /// Reads the delivery record once the order writes given so far are on disk (`written`).
    pub fn delivery(
        &mut self,
        generation: Generation,
        store: OrderStore,
        written: mpsc::Receiver<()>,
    ) {
        self.spawn_blocking(Scope::Session(generation), Job::Delivery, move || {
            // An error means the writer is gone: nothing more will be written.
            let _done = written.recv().is_ok();
            Event::Delivery(store.delivery_summary(now_millis()).map(Box::new))
        });
    }

    pub fn set_status(
        &mut self,
        generation: Generation,
        client: &Client,
        order_id: String,
        action: SetAction,
    ) {
        let client = client.clone();
        let job = Job::SetStatus(order_id.clone());
        self.spawn(Scope::Session(generation), job, async move {
            let result = client.set_status(&order_id, action).await;
            Event::StatusSet {
                order_id,
                action,
                result,
            }
        });
    }
}

/// The task's event, or [`Event::TaskFailed`] when it panicked or was cancelled.
fn event_or_failure(done: Result<Event, tokio::task::JoinError>, job: Job) -> Event {
    match done {
        Ok(event) => event,
        Err(e) => Event::TaskFailed {
            job,
            panicked: e.is_panic(),
        },
    }
}

/// The account's open orders, and whether the provider offers the list at all, remembered in the
/// database when the answer is new.
pub async fn list_active_event(
    client: Client,
    store: OrderStore,
    account: String,
    known: Offered,
) -> Event {
    let result = client.active_activations().await;
    let offered = match &result {
        Ok(_) => Offered::Yes,
        Err(e) => Offered::from_error(e),
    };
    let mut store_error = None;
    if offered != Offered::Unknown && offered != known {
        let remembered =
            tokio::task::spawn_blocking(move || store.set_active_offered(&account, offered)).await;
        store_error = match remembered {
            Ok(saved) => saved.err(),
            Err(join) => Some(StoreError::Folder(std::io::Error::other(join.to_string()))),
        };
    }
    Event::ActiveListed {
        result,
        offered,
        store_error,
    }
}

impl Worker {
    /// The orders with a status change in flight.
    pub fn orders_being_set(&self) -> std::collections::HashSet<String> {
        self.pending
            .iter()
            .filter_map(|p| match &p.job {
                Job::SetStatus(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Writes what the purchase reply means for the attempt: the order in its place, "not bought",
/// or "not confirmed" with the reply kept.
async fn settle_purchase(
    store: OrderStore,
    attempt: &mut Order,
    reply: Result<crate::api::Purchase, ApiError>,
) -> (PurchaseResult, Option<StoreError>) {
    use crate::orders::outcome::{PurchaseVerdict, purchase_verdict};
    let verdict = purchase_verdict(&reply);
    match (reply, verdict) {
        (Ok(purchase), _) => {
            let order = attempt.adopted(purchase);
            match replace_now(store, attempt.order_id.clone(), order.clone()).await {
                Ok(kept) => (PurchaseResult::Bought(Box::new(kept)), None),
                // Bought all the same: followed, and the person told it was not saved.
                Err(e) => (PurchaseResult::Bought(Box::new(order)), Some(e)),
            }
        }
        (Err(e), PurchaseVerdict::NotBought) => {
            attempt.close(crate::orders::OrderState::NotBought, now_millis());
            let saved = save_now(store, attempt.clone()).await;
            (PurchaseResult::Refused(e), saved.err())
        }
        (Err(e), _) => {
            attempt.raw_reply = e.raw_reply();
            let saved = save_now(store, attempt.clone()).await;
            (PurchaseResult::Unclear(e), saved.err())
        }
    }
}

async fn replace_now(store: OrderStore, old_id: String, order: Order) -> Result<Order, StoreError> {
    match tokio::task::spawn_blocking(move || store.replace(&old_id, &order)).await {
        Ok(saved) => saved,
        Err(join) => Err(StoreError::Folder(std::io::Error::other(join.to_string()))),
    }
}

/// Writes one order on the blocking pool and waits for it.
async fn save_now(store: OrderStore, order: Order) -> Result<(), StoreError> {
    match tokio::task::spawn_blocking(move || store.save(&order)).await {
        Ok(saved) => saved,
        Err(join) => Err(StoreError::Folder(std::io::Error::other(join.to_string()))),
    }
}

/// What the writer thread is given: an order to write, or a note to send once every earlier
/// write is done.
enum Write {
    Order(Box<Order>),
    /// The work left undone of an account (`app::unfinished`), or `None` when there is none.
    Unfinished {
        account: String,
        json: Option<String>,
    },
    Barrier(mpsc::Sender<()>),
}

/// Writes orders in the background, in the order they were given, on one thread per session.
/// When the session is dropped, the writes already given still finish.
pub struct OrderWriter {
    tx: Option<mpsc::Sender<Write>>,
    errors: mpsc::Receiver<StoreError>,
    /// The writer thread: joined when the writer is dropped, so the last writes of a session are
    /// on disk before the next session (or the app's exit) goes on.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for OrderWriter {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once the writes before it are done.
        drop(self.tx.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the order writer stopped with a panic");
        }
    }
}

impl OrderWriter {
    pub fn start(ctx: egui::Context, store: OrderStore) -> Self {
        let (tx, rx) = mpsc::channel::<Write>();
        let (err_tx, errors) = mpsc::channel();
        let thread_err_tx = err_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("order-writer".into())
            .spawn(move || {
                for write in rx {
                    let written = match write {
                        Write::Order(order) => store.save(&order),
                        Write::Unfinished { account, json } => {
                            store.set_unfinished_work(&account, json.as_deref())
                        }
                        Write::Barrier(done) => {
                            // Nobody waits any more when the receiver is gone.
                            let _sent = done.send(()).is_ok();
                            continue;
                        }
                    };
                    if let Err(e) = written {
                        // Fails only once the session is gone: nobody to tell then.
                        if thread_err_tx.send(e).is_ok() {
                            ctx.request_repaint();
                        }
                    }
                }
            });
        let (tx, thread) = match spawned {
            Ok(thread) => (Some(tx), Some(thread)),
            Err(e) => {
                // No writer: say so once rather than lose writes silently.
                let _told = err_tx.send(StoreError::Folder(e)).is_ok();
                (None, None)
            }
        };
        Self { tx, errors, thread }
    }

    /// Waits until every write given so far is on disk (at most `limit`); `false` when it was not
    /// in time or there is no writer.
    pub fn flush(&self, limit: std::time::Duration) -> bool {
        self.barrier().recv_timeout(limit).is_ok()
    }

    /// Writes an order after every earlier write.
    pub fn save(&self, order: &Order) {
        if let Some(tx) = &self.tx {
            // The thread ends only when the writer is dropped.
            let _sent = tx.send(Write::Order(Box::new(order.clone()))).is_ok();
        }
    }

    /// Keeps the work left undone of `account` (`None`: there is none), after every earlier
    /// write.
    pub fn save_unfinished(&self, account: &str, json: Option<String>) {
        if let Some(tx) = &self.tx {
            let account = account.to_owned();
            let _sent = tx.send(Write::Unfinished { account, json }).is_ok();
        }
    }

    /// Receives `()` once every write given so far is done (or an error at once when there is
    /// no writer thread).
    pub fn barrier(&self) -> mpsc::Receiver<()> {
        let (done, written) = mpsc::channel();
        if let Some(tx) = &self.tx {
            let _sent = tx.send(Write::Barrier(done)).is_ok();
        }
        written
    }

    /// The writes that failed since the last call.
    pub fn failures(&self) -> Vec<StoreError> {
        self.errors.try_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    /// Dropping the writer waits for its writes: the next reader finds them all, with no wait.
    #[test]
    fn a_dropped_writer_has_written_everything_given_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        let writer = OrderWriter::start(egui::Context::default(), store);
        for i in 0..50 {
            writer.save(&crate::orders::test_support::order(
                &i.to_string(),
                "WhatsApp",
                i,
            ));
        }
        assert!(
            writer.flush(std::time::Duration::from_secs(10)),
            "flushed in time"
        );
        writer.save(&crate::orders::test_support::order("last", "WhatsApp", 99));
        drop(writer);
        let kept = OrderStore::open(&path).unwrap().load_all().unwrap();
        assert_eq!(kept.len(), 51);
    }

    /// A task that panics becomes an event: the window never polls a promise whose sender is
    /// gone (that would panic the UI thread).
    #[test]
    fn a_panicking_task_delivers_a_failure_not_a_crash() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let _enter = runtime.enter();
        let mut worker = Worker::new(egui::Context::default());
        worker.spawn(Scope::App, Job::Balance, async {
            panic!("a bug in a request")
        });
        worker.spawn_blocking(Scope::App, Job::SaveSettings, || panic!("a bug on disk"));
        let mut delivered = Vec::new();
        let start = std::time::Instant::now();
        while delivered.len() < 2 && start.elapsed() < std::time::Duration::from_secs(10) {
            delivered.extend(worker.poll());
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let jobs: Vec<_> = delivered
            .into_iter()
            .map(|d| match d.event {
                Event::TaskFailed { job, panicked } => {
                    assert!(panicked);
                    job
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert!(
            jobs.contains(&Job::Balance) && jobs.contains(&Job::SaveSettings),
            "{jobs:?}"
        );
        assert!(worker.is_idle());
    }
}
