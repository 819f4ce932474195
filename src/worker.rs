//! Runs every request off the UI thread as a poll-promise promise, and hands the results back as
//! [`Event`]s. Each task asks for a repaint when it delivers, so results show at once.

use std::future::Future;
use std::sync::mpsc;

use poll_promise::Promise;

use crate::api::{
    ApiError, ApiKey, Balance, Client, Offer, OrderStatus, SetAction, SetStatusReply,
};
use crate::keychain::{KeychainError, SharedKeychain};
use crate::orders::{Order, OrderStore, now_millis};

/// What a piece of background work is, so the UI can tell what is in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    LoadKey,
    CheckKey,
    SaveKey,
    RemoveKey,
    Balance,
    Services,
    Purchase,
    Poll(String),
    SetStatus(String),
    SaveSettings,
    Disk,
    /// The "Save as" dialog is open.
    SaveDialog,
    StartDemo,
}

/// A finished piece of background work.
#[derive(Debug)]
pub enum Event {
    KeyLoaded(Result<Option<String>, KeychainError>),
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
    Services(Result<Vec<Offer>, ApiError>),
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
    /// A disk task finished; `Err` carries a sentence for the user.
    DiskDone(Result<String, String>),
    /// The orders database is open and its orders read.
    StoreOpened(Result<Box<(OrderStore, Vec<Order>)>, String>),
    SettingsSaved(Result<(), String>),
    /// The demo's simulator runs (it binds a local port and builds its catalogue).
    DemoStarted(Result<Box<crate::sim::Simulator>, String>),
    /// The system "Save as" dialog was cancelled.
    SaveDialogClosed,
    /// This desktop has no system "Save as" dialog: the app's own opens with this name.
    SaveDialogUnavailable {
        suggested: std::path::PathBuf,
    },
}

#[derive(Debug)]
pub struct PurchaseOutcome {
    pub offer: Offer,
    pub result: Result<Order, ApiError>,
    pub store_error: Option<String>,
}

pub struct Worker {
    ctx: egui::Context,
    pending: Vec<(Job, Promise<Event>)>,
    /// Orders to write, in order, by one writer thread.
    store_tx: Option<mpsc::Sender<Order>>,
    store_errors: Option<mpsc::Receiver<String>>,
}

impl Worker {
    pub fn new(ctx: egui::Context) -> Self {
        Self {
            ctx,
            pending: Vec::new(),
            store_tx: None,
            store_errors: None,
        }
    }

    pub fn is_busy(&self, job: &Job) -> bool {
        self.pending.iter().any(|(j, _)| j == job)
    }

    pub fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// Work the user is waiting for, for a spinner. Background polls are left out: a spinner
    /// repaints every frame, and polls must not keep the window painting.
    pub fn user_pending_count(&self) -> usize {
        self.pending
            .iter()
            .filter(|(job, _)| !matches!(job, Job::Poll(_) | Job::SaveDialog))
            .count()
    }

    /// The finished work, in the order it was started.
    pub fn poll(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let mut still = Vec::with_capacity(self.pending.len());
        for (job, promise) in self.pending.drain(..) {
            match promise.try_take() {
                Ok(event) => events.push(event),
                Err(promise) => still.push((job, promise)),
            }
        }
        self.pending = still;
        if let Some(rx) = &self.store_errors {
            events.extend(rx.try_iter().map(|e| Event::DiskDone(Err(e))));
        }
        events
    }

    /// Starts `task` on the tokio runtime. The value is delivered before the repaint is asked for,
    /// so the frame that follows always sees it.
    pub fn spawn(&mut self, job: Job, task: impl Future<Output = Event> + Send + 'static) {
        let (sender, promise) = Promise::new();
        let ctx = self.ctx.clone();
        tokio::spawn(async move {
            sender.send(task.await);
            ctx.request_repaint();
        });
        self.pending.push((job, promise));
    }

    /// Runs blocking work (keychain, disk) on tokio's blocking pool.
    pub fn spawn_blocking(&mut self, job: Job, task: impl FnOnce() -> Event + Send + 'static) {
        let (sender, promise) = Promise::new();
        let ctx = self.ctx.clone();
        tokio::task::spawn_blocking(move || {
            sender.send(task());
            ctx.request_repaint();
        });
        self.pending.push((job, promise));
    }

    /// From now on, orders given to [`Worker::save_order`] go to `store`.
    pub fn use_store(&mut self, store: OrderStore) {
        let (tx, rx) = mpsc::channel::<Order>();
        let (err_tx, err_rx) = mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("order-writer".into())
            .spawn(move || {
                for order in rx {
                    if let Err(e) = store.save(&order) {
                        tracing::error!("could not save order: {e}");
                        let _ = err_tx.send(format!(
                            "An order could not be saved on this computer ({e}). It is still shown; keep the window open."
                        ));
                        ctx.request_repaint();
                    }
                }
            });
        match spawned {
            Ok(_) => {
                self.store_tx = Some(tx);
                self.store_errors = Some(err_rx);
            }
            Err(e) => tracing::error!("order writer could not start: {e}"),
        }
    }

    /// Writes an order in the background, after every earlier write.
    pub fn save_order(&self, order: &Order) {
        if let Some(tx) = &self.store_tx {
            let _ = tx.send(order.clone());
        }
    }

    // --- the requests -------------------------------------------------------------------------

    pub fn load_key(&mut self, keychain: SharedKeychain) {
        self.spawn_blocking(Job::LoadKey, move || Event::KeyLoaded(keychain.load()));
    }

    pub fn check_key(&mut self, client: Client) {
        let key = client.config().key.clone();
        self.spawn(Job::CheckKey, async move {
            Event::KeyChecked {
                key,
                result: client.balance().await,
            }
        });
    }

    pub fn save_key(&mut self, keychain: SharedKeychain, key: ApiKey) {
        self.spawn_blocking(Job::SaveKey, move || {
            let result = keychain.save(key.expose());
            Event::KeySaved { key, result }
        });
    }

    pub fn remove_key(&mut self, keychain: SharedKeychain) {
        self.spawn_blocking(Job::RemoveKey, move || Event::KeyRemoved(keychain.delete()));
    }

    pub fn refresh_balance(&mut self, client: &Client) {
        if self.is_busy(&Job::Balance) {
            return;
        }
        let client = client.clone();
        self.spawn(Job::Balance, async move {
            Event::Balance(client.balance().await)
        });
    }

    pub fn refresh_services(&mut self, client: &Client) {
        if self.is_busy(&Job::Services) {
            return;
        }
        let client = client.clone();
        self.spawn(Job::Services, async move {
            Event::Services(client.services(None, None).await)
        });
    }

    /// Buys once. Refused while another purchase is in flight, so a double click buys one number.
    /// The order is written to the store the moment the reply arrives, before anything else.
    pub fn buy(&mut self, client: &Client, store: Option<OrderStore>, offer: Offer) -> bool {
        if self.is_busy(&Job::Purchase) {
            return false;
        }
        let client = client.clone();
        self.spawn(Job::Purchase, async move {
            let result = client.buy(&offer.code, &offer.country, &offer.server).await;
            let mut store_error = None;
            let result = result.map(|purchase| Order::new(&offer, purchase, now_millis()));
            if let (Ok(order), Some(store)) = (&result, store) {
                let order = order.clone();
                let saved = tokio::task::spawn_blocking(move || store.save(&order)).await;
                if let Some(e) = match saved {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(e) => Some(e.to_string()),
                } {
                    tracing::error!("could not save a new order: {e}");
                    store_error = Some(e);
                }
            }
            Event::Purchased(Box::new(PurchaseOutcome {
                offer,
                result,
                store_error,
            }))
        });
        true
    }

    /// Asks for an order's status. The window is woken only when the answer differs from `last`:
    /// an unchanged status waits for the next scheduled frame.
    pub fn poll_order(&mut self, client: &Client, order_id: String, last: Option<OrderStatus>) {
        let client = client.clone();
        let (sender, promise) = Promise::new();
        let ctx = self.ctx.clone();
        self.pending.push((Job::Poll(order_id.clone()), promise));
        tokio::spawn(async move {
            let result = client.status(&order_id).await;
            let changed = result.as_ref().ok() != last.as_ref();
            sender.send(Event::Polled { order_id, result });
            if changed {
                ctx.request_repaint();
            }
        });
    }

    pub fn set_status(&mut self, client: &Client, order_id: String, action: SetAction) {
        let client = client.clone();
        self.spawn(Job::SetStatus(order_id.clone()), async move {
            let result = client.set_status(&order_id, action).await;
            Event::StatusSet {
                order_id,
                action,
                result,
            }
        });
    }
}
