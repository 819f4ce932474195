//! Everything that belongs to one connection to InstaOTP. A session is replaced whole on
//! connect, disconnect, key change and address change, so nothing of an earlier connection
//! (orders, offers, balance, polling, an open dialog) can leak into the next one.

mod apply;
mod apply_purchase;
mod apply_store;
mod order_changes;
mod order_queries;

pub(crate) use apply::Inputs;

use std::time::Instant;

use super::Confirm;
use super::order_clock::OrderClock;
use super::poll_driver::Polling;
use crate::api::active::Offered;
use crate::api::{Balance, Client};
use crate::offers::OfferList;
use crate::orders::history::{HistoryFilter, HistoryView};
use crate::orders::{Order, OrderBook, OrderStore, OrderWriter};

pub use crate::worker::Generation;

/// Where the key of the current session is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    Keychain,
    SessionOnly,
    Demo,
    /// Another provider's key, in its own keychain entry (`app::providers`).
    OtherProvider,
}

/// The orders database of a session, once it is open.
pub struct OpenStore {
    pub store: OrderStore,
    pub writer: OrderWriter,
}

pub struct Session {
    pub(in crate::app) generation: Generation,
    pub(in crate::app) client: Client,
    pub(in crate::app) key_place: KeyPlace,
    /// The orders database file of this account (demo orders have their own).
    pub(in crate::app) store_path: std::path::PathBuf,
    /// `None` until the orders database is open.
    pub(in crate::app) store: Option<OpenStore>,
    /// The account of this session's key, known once the orders database is open.
    pub(in crate::app) account: Option<String>,
    /// Every order, newest first, changed only through the book's methods.
    book: OrderBook,
    pub(in crate::app) offers: OfferList,
    pub(in crate::app) offers_loaded: Option<Instant>,
    /// The offers shown are the ones kept from this time (wall clock): InstaOTP has not listed
    /// them yet in this session.
    pub(in crate::app) offers_as_of: Option<crate::orders::Millis>,
    pub(in crate::app) offers_error: Option<String>,
    pub(in crate::app) balance: Option<(Balance, Instant)>,
    pub(in crate::app) unreachable_since: Option<Instant>,
    /// The order to point out (just bought).
    pub(in crate::app) highlight: Option<String>,
    /// Codes that arrived while another tab was shown.
    pub(in crate::app) unseen_codes: usize,
    /// The polling task and the poller it shares with the window.
    pub(in crate::app) polling: Polling,
    /// Ages orders on the monotonic clock (countdowns, cancel lock, auto-cancel).
    pub(in crate::app) clock: OrderClock,
    /// The open confirmation dialog.
    pub(in crate::app) confirm: Option<Confirm>,
    /// Notices about money or orders (an order not saved, a damaged orders file): cards at the
    /// top of Orders until the person dismisses them, never passing messages.
    pub(in crate::app) notices: Vec<String>,
    /// Whether InstaOTP lists the account's open orders (`getActiveActivations`).
    pub(in crate::app) active_offered: Offered,
    /// When to look for unconfirmed purchases among the open orders next (`None`: now).
    pub(in crate::app) next_reconcile: Option<Instant>,
    history: HistoryCache,
    /// Several numbers being bought one after another.
    pub(in crate::app) batch: Option<super::batch_buy::Batch>,
    /// What the purchase in flight is for.
    pub(in crate::app) in_flight: Option<super::batch_buy::InFlight>,
    /// What the last run left undone, until the person goes on with it or leaves it.
    pub(in crate::app) unfinished_before: Option<super::unfinished::Unfinished>,
    /// The work left undone as last written to the orders database.
    pub(in crate::app) saved_unfinished: Option<String>,
    /// A money event came while a balance read was on its way: read it again when that one is
    /// back (it may have left before the event).
    pub(in crate::app) balance_again: bool,
    /// The order just bought whose charge the next balance read may tell
    /// (`orders::evidence::charge_from_balance`).
    pub(in crate::app) pending_charge: Option<String>,
    /// InstaOTP listed open orders of this account that this app did not buy (other desks, the
    /// website): a balance drop proves nothing about this desk's purchases.
    pub(in crate::app) used_elsewhere: bool,
    /// Open orders of the account that may be a purchase not confirmed, by attempt, when more
    /// than one purchase could explain them: the card lists them for the person to choose.
    pub(in crate::app) candidates:
        std::collections::HashMap<String, Vec<crate::api::active::ActiveActivation>>,
    /// Replace-if-no-code plans still at work.
    pub(in crate::app) replacing: Vec<super::replace::ReplacePlan>,
    pub(in crate::app) next_plan_id: u64,
    /// A cancel lock longer than the one believed, learnt from `EARLY_CANCEL_DENIED`
    /// (`orders::outcome::learned_cancel_lock`): this provider's own.
    pub(in crate::app) learned_cancel_lock_ms: Option<i64>,
}

/// The history view with what it was computed from.
#[derive(Default)]
struct HistoryCache {
    key: Option<(HistoryFilter, u64, i64)>,
    view: HistoryView,
}

impl Session {
    pub fn new(
        generation: Generation,
        client: Client,
        key_place: KeyPlace,
        store_path: std::path::PathBuf,
        polling: Polling,
    ) -> Self {
        Self {
            generation,
            client,
            key_place,
            store_path,
            store: None,
            account: None,
            book: OrderBook::new(Vec::new()),
            offers: OfferList::default(),
            offers_loaded: None,
            offers_as_of: None,
            offers_error: None,
            balance: None,
            unreachable_since: None,
            highlight: None,
            unseen_codes: 0,
            polling,
            clock: OrderClock::default(),
            confirm: None,
            notices: Vec::new(),
            active_offered: Offered::Unknown,
            next_reconcile: None,
            history: HistoryCache::default(),
            batch: None,
            in_flight: None,
            unfinished_before: None,
            saved_unfinished: None,
            balance_again: false,
            pending_charge: None,
            used_elsewhere: false,
            candidates: std::collections::HashMap::new(),
            replacing: Vec::new(),
            next_plan_id: 0,
            learned_cancel_lock_ms: None,
        }
    }

    // --- what the screens and tests read (only the app changes a session) --------------------

    /// Tells this session's answers apart from any other's.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    pub fn offers(&self) -> &OfferList {
        &self.offers
    }

    /// The last balance read, and when.
    pub fn balance(&self) -> Option<&(Balance, Instant)> {
        self.balance.as_ref()
    }

    /// The open confirmation dialog.
    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// Notices about money or orders, shown as cards until dismissed.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Why the offers could not be listed, in words.
    pub fn offers_error(&self) -> Option<&str> {
        self.offers_error.as_deref()
    }

    /// When InstaOTP last listed the offers in this session.
    pub fn offers_loaded(&self) -> Option<Instant> {
        self.offers_loaded
    }

    /// The offers shown are the ones kept from this date: not listed yet in this session.
    pub fn offers_as_of(&self) -> Option<crate::orders::Millis> {
        self.offers_as_of
    }

    /// Several numbers being bought one after another.
    pub fn batch(&self) -> Option<&super::batch_buy::Batch> {
        self.batch.as_ref()
    }

    /// Replace-if-no-code plans still at work.
    pub fn replacing(&self) -> &[super::replace::ReplacePlan] {
        &self.replacing
    }

    /// The order to point out (just bought).
    pub fn highlight(&self) -> Option<&str> {
        self.highlight.as_deref()
    }

    /// What the last run left undone, until the person goes on with it or leaves it.
    pub fn unfinished_before(&self) -> Option<&super::unfinished::Unfinished> {
        self.unfinished_before.as_ref()
    }

    /// Since when InstaOTP cannot be reached, if it cannot.
    pub fn unreachable_since(&self) -> Option<Instant> {
        self.unreachable_since
    }

    /// How long requests wait out a "too many requests", if they do.
    pub fn paused_for(&self, now: Instant) -> Option<std::time::Duration> {
        self.client.budget().paused_for(now)
    }

    /// The open orders of the account that may be this purchase attempt, when the person is to
    /// choose among them.
    pub fn candidates_for(
        &self,
        attempt_id: &str,
    ) -> Option<&[crate::api::active::ActiveActivation]> {
        self.candidates.get(attempt_id).map(Vec::as_slice)
    }

    /// Open orders of the account were listed that this app did not buy (other desks, the
    /// website).
    pub fn used_elsewhere(&self) -> bool {
        self.used_elsewhere
    }

    /// Where the session's key is kept.
    pub fn key_place(&self) -> KeyPlace {
        self.key_place
    }

    /// The cancel lock to keep: `setting` (InstaOTP's usual), or this provider's longer one once
    /// learnt.
    pub fn cancel_lock_ms(&self, setting: i64) -> i64 {
        self.learned_cancel_lock_ms
            .map_or(setting, |l| l.max(setting))
    }

    /// The same, in whole seconds, for the sentences that name it.
    pub fn cancel_lock_secs(&self, setting: i64) -> u64 {
        u64::try_from(self.cancel_lock_ms(setting) / 1000).unwrap_or(0)
    }

    /// Whether InstaOTP lists the account's open orders.
    pub fn active_offered(&self) -> Offered {
        self.active_offered
    }

    /// A purchase can be started: the orders database is open.
    pub fn can_buy(&self) -> bool {
        self.store.is_some()
    }

    pub fn is_demo(&self) -> bool {
        self.key_place == KeyPlace::Demo
    }

    /// Whether only this computer buys with this session's key, as Settings says. The setting
    /// speaks of InstaOTP's key: another provider's key is always taken as shared (its website,
    /// other desks), so no balance drop or listed order is ever taken as this desk's by itself.
    pub fn key_only_here(&self, setting: bool) -> bool {
        setting && self.key_place != KeyPlace::OtherProvider
    }

    /// Open numbers of this key still waiting for their code.
    pub fn waiting_for_code(&self) -> usize {
        self.watched_orders()
            .filter(|o| o.code.is_none() && self.is_ours(o))
            .count()
    }

    /// Purchases of this key whose answer did not clearly come, not settled yet.
    pub fn not_confirmed(&self) -> usize {
        self.book
            .iter()
            .filter(|o| o.state == crate::orders::OrderState::NotConfirmed && self.is_ours(o))
            .count()
    }

    /// Bought with this session's key (or before accounts were recorded): only these are asked
    /// about, cancelled or finished.
    pub fn is_ours(&self, order: &Order) -> bool {
        belongs_to(order, self.account.as_deref())
    }

    /// Codes arrived and not finished, of this key's orders.
    pub fn codes_ready(&self) -> usize {
        self.book
            .iter()
            .filter(|o| o.state == crate::orders::OrderState::CodeReceived && self.is_ours(o))
            .count()
    }

    /// The bought orders that are not ended (not-confirmed purchases are not among them).
    pub fn watched_orders(&self) -> impl Iterator<Item = &Order> {
        self.book.iter().filter(|o| o.is_watched())
    }

    /// The code of the open order whose code came last (its likely code when the SMS is text),
    /// and the order's service.
    pub fn newest_code(&self) -> Option<(String, String)> {
        self.book
            .iter()
            .filter(|o| o.state == crate::orders::OrderState::CodeReceived)
            .filter_map(|o| Some((o.code_at.unwrap_or(o.bought_at), o.code.as_ref()?, o)))
            .max_by_key(|(at, _, _)| *at)
            .map(|(_, sms, o)| {
                let code = crate::orders::likely_code(sms).unwrap_or_else(|| sms.clone());
                (code, o.service_name.clone())
            })
    }

    pub fn order(&self, order_id: &str) -> Option<&Order> {
        self.book.get(order_id)
    }

    /// Every order, newest first.
    pub fn orders(&self) -> &[Order] {
        self.book.all()
    }

    /// Writes an order to the database in the background, after every earlier write.
    pub fn save_order(&mut self, order: &Order) {
        if let Some(open) = &self.store {
            open.writer.save(order);
        }
        if order.code.is_some() || order.state.is_final() {
            // Read again after this write, whatever the book saw change.
            self.book.mark_delivery_stale();
        }
    }

    /// The closed orders the history filter keeps, with their totals; computed again only when
    /// the orders, the filter or (for "last N days") the minute change.
    pub fn history_view(
        &mut self,
        filter: &HistoryFilter,
        now: crate::orders::Millis,
        tz: &jiff::tz::TimeZone,
    ) -> &HistoryView {
        let key = (filter.clone(), self.book.rev(), now / 60_000);
        if self.history.key.as_ref() != Some(&key) {
            self.history.view = HistoryView::new(self.book.all(), filter, now, tz);
            self.history.key = Some(key);
        }
        &self.history.view
    }

    /// The orders the history shows now, its filter applied.
    pub fn shown_history(
        &mut self,
        filter: &HistoryFilter,
        now: crate::orders::Millis,
        tz: &jiff::tz::TimeZone,
    ) -> Vec<Order> {
        let rows = self.history_view(filter, now, tz).rows.clone();
        rows.into_iter()
            .filter_map(|i| self.book.all().get(i).cloned())
            .collect()
    }

    /// Starts aging every order still open on the monotonic clock.
    pub fn track_orders(&mut self, wall_now: crate::orders::Millis, mono_now: Instant) {
        for order in self.book.iter().filter(|o| o.is_active()) {
            self.clock.track(order, wall_now, mono_now);
        }
    }

    /// The "now" for `order`'s countdowns (see [`OrderClock`]).
    pub fn now_for(&self, order: &Order, wall_now: crate::orders::Millis) -> crate::orders::Millis {
        self.clock
            .now_for(order, wall_now, crate::clock::monotonic())
    }

    /// The "now" for the countdowns of the order `order_id`, when the session has it.
    pub fn now_for_id(&self, order_id: &str) -> Option<crate::orders::Millis> {
        let wall = crate::orders::now_millis();
        self.order(order_id).map(|o| self.now_for(o, wall))
    }

    /// What amounts are labelled with: the balance's currency when InstaOTP sends one, else the
    /// one in Settings.
    pub fn currency(&self, setting: &str) -> crate::text::Currency {
        let sent = self
            .balance
            .as_ref()
            .filter(|(b, _)| !b.is_unusual())
            .and_then(|(b, _)| b.currency.as_deref());
        crate::text::Currency::new(sent, setting)
    }

    /// A request succeeded: after failures, polling starts again at once for every order.
    pub fn reachable(&mut self) {
        self.unreachable_since = None;
        self.polling.lock().poller.request_succeeded();
    }
}

/// `order` was bought by `account` (or before accounts were recorded).
pub fn belongs_to(order: &Order, account: Option<&str>) -> bool {
    match (order.account.as_deref(), account) {
        (None, _) => true,
        (Some(theirs), Some(ours)) => theirs == ours,
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod apply_tests;
