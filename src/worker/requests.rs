//! The requests and blocking calls the app starts, one method each.

use std::path::PathBuf;
use std::sync::mpsc;

use crate::api::active::Offered;
use crate::api::{ApiKey, Client, Offer, SetAction};
use crate::orders::purchase::{buy_once, replace_now};
use crate::orders::{Order, OrderId, OrderStore, StoreError, now_millis};
use crate::platform::keychain::SharedKeychain;
use crate::platform::notify::SharedNotifier;
use crate::settings::ProviderEntry;

use super::{AdoptResult, AppEvent, Generation, Job, NotifyWhy, OpenedStore, SessionEvent, Worker};

impl Worker {
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
        self.spawn_app_blocking(Job::Notify, move || {
            let result = match why {
                NotifyWhy::Check => notifier.check(),
                NotifyWhy::Test | NotifyWhy::Code => notifier.notify(&summary, &body, sound),
            };
            AppEvent::Notified { why, result }
        });
    }

    pub fn load_key(&mut self, keychain: SharedKeychain) {
        self.spawn_app_blocking(Job::LoadKey, move || {
            AppEvent::KeyLoaded(keychain.load().map(|key| key.map(ApiKey::new)))
        });
    }

    pub fn check_key(&mut self, client: Client) {
        let key = client.config().key.clone();
        self.spawn_app(Job::CheckKey, async move {
            AppEvent::KeyChecked {
                key,
                result: client.balance().await,
            }
        });
    }

    pub fn save_key(&mut self, keychain: SharedKeychain, key: ApiKey) {
        self.spawn_app_blocking(Job::SaveKey, move || {
            let result = keychain.save(key.expose());
            AppEvent::KeySaved { key, result }
        });
    }

    pub fn remove_key(&mut self, keychain: SharedKeychain) {
        self.spawn_app_blocking(Job::RemoveKey, move || {
            AppEvent::KeyRemoved(keychain.delete())
        });
    }

    pub fn load_provider_key(&mut self, keychain: SharedKeychain, entry: ProviderEntry) {
        self.spawn_app_blocking(Job::ProviderKey(entry.id.clone()), move || {
            let result = keychain.load().map(|key| key.map(ApiKey::new));
            AppEvent::ProviderKeyLoaded { entry, result }
        });
    }

    pub fn check_provider(&mut self, client: Client, entry: ProviderEntry) {
        let key = client.config().key.clone();
        self.spawn_app(Job::CheckProvider, async move {
            AppEvent::ProviderChecked {
                entry,
                key,
                result: client.balance().await,
            }
        });
    }

    pub fn save_provider_key(
        &mut self,
        keychain: SharedKeychain,
        entry: ProviderEntry,
        key: ApiKey,
    ) {
        self.spawn_app_blocking(Job::ProviderKey(entry.id.clone()), move || {
            let result = keychain.save(key.expose());
            AppEvent::ProviderKeySaved { entry, key, result }
        });
    }

    pub fn remove_provider_key(&mut self, keychain: SharedKeychain, id: String, name: String) {
        self.spawn_app_blocking(Job::ProviderKey(id), move || AppEvent::ProviderKeyRemoved {
            name,
            result: keychain.delete(),
        });
    }

    pub fn refresh_balance(&mut self, generation: Generation, client: &Client) {
        if self.is_busy(&Job::Balance) {
            return;
        }
        let client = client.clone();
        self.spawn_session(generation, Job::Balance, async move {
            SessionEvent::Balance(client.balance().await)
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
        self.spawn_session(generation, Job::Offers, async move {
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
            SessionEvent::Offers {
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
        self.spawn_session_blocking(generation, Job::OpenStore, move || {
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
            SessionEvent::StoreOpened(opened)
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
        self.spawn_session(generation, Job::Purchase, async move {
            SessionEvent::Purchased(Box::new(buy_once(client, store, offer, attempt).await))
        });
        true
    }

    /// Checks an order id for a purchase attempt (pasted by the person, or found in the list of
    /// open orders: `found_by`) and, when the provider knows it, writes the order in the
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
        found_by: crate::orders::reconcile::FoundBy,
    ) {
        let client = client.clone();
        let job = Job::Adopt(attempt.id());
        self.spawn_session(generation, job, async move {
            let attempt_id = attempt.id();
            let result = match client.status(&purchase.order_id).await {
                Err(e) => AdoptResult::Refused(e),
                Ok(status) => {
                    let mut order = attempt.adopted(purchase);
                    order.apply_status(&status, now_millis(), lifetime_ms);
                    match replace_now(store, attempt.order_id.clone(), order).await {
                        Ok(kept) => AdoptResult::Adopted(Box::new(kept)),
                        Err(e) => AdoptResult::NotSaved(e),
                    }
                }
            };
            SessionEvent::Adopted {
                attempt_id,
                result: Box::new(result),
                found_by,
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
        self.spawn_session(
            generation,
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
        self.spawn_session_blocking(generation, Job::Delivery, move || {
            // An error means the writer is gone: nothing more will be written.
            let _done = written.recv().is_ok();
            SessionEvent::Delivery(store.delivery_summary(now_millis()).map(Box::new))
        });
    }

    pub fn set_status(
        &mut self,
        generation: Generation,
        client: &Client,
        order_id: OrderId,
        action: SetAction,
    ) {
        let client = client.clone();
        let job = Job::SetStatus(order_id.clone());
        self.spawn_session(generation, job, async move {
            let result = client.set_status(&order_id, action).await;
            SessionEvent::StatusSet {
                order_id,
                action,
                result,
            }
        });
    }
}

/// The account's open orders, and whether the provider offers the list at all, remembered in the
/// database when the answer is new.
pub async fn list_active_event(
    client: Client,
    store: OrderStore,
    account: String,
    known: Offered,
) -> SessionEvent {
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
    SessionEvent::ActiveListed {
        result,
        offered,
        store_error,
    }
}
