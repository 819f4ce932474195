//! What the worker is asked to do (`Job`), for whom (`Scope`), and what comes back (`Event`).

use std::path::PathBuf;

use crate::api::active::{ActiveActivation, Offered};
use crate::api::{ApiError, ApiKey, Balance, Offer, OrderStatus, SetAction, SetStatusReply};
use crate::orders::purchase::PurchaseOutcome;
use crate::orders::{Order, OrderId, OrderStore, StoreError};
use crate::platform::keychain::KeychainError;
use crate::platform::notify::NotifyError;
use crate::settings::ProviderEntry;

use super::Generation;

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
    Poll(OrderId),
    SetStatus(OrderId),
    /// A purchase attempt checked by an order id (pasted by the person, or found in the list of
    /// open orders).
    Adopt(OrderId),
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
    /// A newer version's installer downloaded and checked.
    UpdateDownload,
    /// The installer of a newer version being started.
    StartInstaller,
    /// Another provider's key read from, saved to or removed from its keychain entry (its id).
    ProviderKey(String),
    /// A provider being added: its key checked with the provider.
    CheckProvider,
}

/// Whom a result is for: the app as a whole, or one session (dropped if that session is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    App,
    Session(Generation),
}

/// A finished piece of background work: for the app as a whole, or for one session (dropped
/// when that session is gone). The kind says which; `Worker::spawn_app` and
/// `Worker::spawn_session` take only their own.
#[derive(Debug)]
pub enum Event {
    App(AppEvent),
    Session(SessionEvent),
    /// A task ended without a result: a bug in the app (it panicked), or the runtime stopping.
    TaskFailed {
        job: Job,
        panicked: bool,
    },
}

/// What the app as a whole asked for: the key, settings, the demo, dialogs, notifications and
/// new versions.
#[derive(Debug)]
pub enum AppEvent {
    UpdateChecked(Result<Option<crate::updates::Release>, crate::updates::UpdateError>),
    /// The path of the verified installer, or why there is none yet.
    UpdateDownloaded(Result<PathBuf, crate::updates::UpdateError>),
    /// The installer was started (the app closes), or could not be.
    InstallerStarted(std::io::Result<()>),
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
    /// Another provider's key, read from its keychain entry at start.
    ProviderKeyLoaded {
        entry: ProviderEntry,
        result: Result<Option<ApiKey>, KeychainError>,
    },
    /// A provider being added: what it answered to `getBalance` with the key typed.
    ProviderChecked {
        entry: ProviderEntry,
        key: ApiKey,
        result: Result<Balance, ApiError>,
    },
    /// A provider being added: its key put in its keychain entry.
    ProviderKeySaved {
        entry: ProviderEntry,
        key: ApiKey,
        result: Result<(), KeychainError>,
    },
    /// A removed provider's key taken out of its keychain entry.
    ProviderKeyRemoved {
        name: String,
        result: Result<(), KeychainError>,
    },
    HistoryExported {
        path: PathBuf,
        count: usize,
        result: std::io::Result<()>,
    },
    SettingsSaved(std::io::Result<()>),
    /// The demo's simulator runs (it binds a local port and builds its catalogue).
    DemoStarted(std::io::Result<Box<crate::sim::Simulator>>),
    /// The system "Save as" dialog was cancelled.
    SaveDialogClosed,
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

/// What one session asked of its provider and its orders database.
#[derive(Debug)]
pub enum SessionEvent {
    Balance(Result<Balance, ApiError>),
    Offers {
        result: Result<Vec<Offer>, ApiError>,
        /// The offers could not be kept for the next start (they are listed all the same).
        kept: Option<StoreError>,
    },
    /// A purchase reply arrived (already written to the store when `Ok`), or did not.
    Purchased(Box<PurchaseOutcome>),
    Polled {
        order_id: OrderId,
        result: Result<OrderStatus, ApiError>,
    },
    StatusSet {
        order_id: OrderId,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
    },
    Adopted {
        attempt_id: OrderId,
        result: Box<AdoptResult>,
        /// Typed by the person, or found in the provider's list of open orders.
        found_by: crate::orders::reconcile::FoundBy,
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
    HistoryDeleted(Result<usize, StoreError>),
    /// The delivery record, read after every earlier order write.
    Delivery(Result<Box<crate::orders::delivery::Summary>, StoreError>),
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
