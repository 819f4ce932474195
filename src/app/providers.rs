//! Providers of the same protocol besides InstaOTP. Each one signed in is a [`Session`] of its
//! own beside the first: its client and key, orders database, offers, balance, polling, delivery
//! record and cancel lock. Its answers, and the commands of its rows, are run with its session
//! in front ([`App::with_provider`]), so every rule the app keeps for InstaOTP's orders keeps
//! for its orders too; the screens show what the sessions have side by side.

use super::{App, Command, Confirm, Generation, KeyPlace, Session, Stage};
use crate::api::{ApiError, ApiKey, Balance};
use crate::app::describe;
use crate::platform::keychain::KeychainError;
use crate::settings::{MAX_PROVIDERS, PROVIDER_NAME_MAX_CHARS, ProviderEntry, provider_id};
use crate::text;

/// A provider added in Settings, signed in or not.
pub struct Provider {
    entry: ProviderEntry,
    /// `None` until its key is read and checked, or when it cannot sign in.
    session: Option<Box<Session>>,
    /// Why it is not signed in, in words.
    problem: Option<String>,
}

impl Provider {
    pub fn entry(&self) -> &ProviderEntry {
        &self.entry
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_deref()
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Its history for this filter (worked out again only when its orders or the filter
    /// changed), when it is signed in.
    pub fn history_view(
        &mut self,
        filter: &crate::orders::history::HistoryFilter,
        now: crate::orders::Millis,
        tz: &jiff::tz::TimeZone,
    ) -> Option<crate::orders::history::HistoryView> {
        let session = self.session.as_deref_mut()?;
        Some(session.history_view(filter, now, tz).clone())
    }
}

impl App {
    /// The providers added besides InstaOTP, in the order they were added.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The sessions of the other providers signed in, with their ids.
    pub fn provider_sessions(&self) -> impl Iterator<Item = (&ProviderEntry, &Session)> {
        self.providers
            .iter()
            .filter_map(|p| p.session.as_deref().map(|s| (&p.entry, s)))
    }

    /// The sessions of the other providers signed in, to change them.
    pub(crate) fn provider_sessions_mut(&mut self) -> impl Iterator<Item = &mut Session> {
        self.providers
            .iter_mut()
            .filter_map(|p| p.session.as_deref_mut())
    }

    /// Gives every other provider's offers the filter and order of InstaOTP's.
    pub(crate) fn filter_provider_offers(&mut self, filter: &crate::offers::Filter) -> bool {
        let Some(sort) = self.session().map(|s| s.offers.sort()) else {
            return false;
        };
        let Self {
            providers,
            settings,
            ..
        } = self;
        let mut changed = false;
        for s in providers
            .iter_mut()
            .filter_map(|p| p.session.as_deref_mut())
        {
            if s.offers.filter() != filter || s.offers.sort() != sort {
                s.offers.set_filter(filter.clone(), &settings.favourites);
                s.offers.set_sort(sort, &settings.favourites);
                changed = true;
            }
        }
        changed
    }

    /// Reads the key of every added provider not signed in yet (when the first session starts).
    pub(crate) fn start_providers(&mut self) {
        if self.is_demo() || self.session().is_none() {
            return;
        }
        for entry in self.settings.providers.clone() {
            let signed_in = self
                .providers
                .iter()
                .any(|p| p.entry.id == entry.id && p.session.is_some());
            if signed_in
                || self
                    .worker
                    .is_busy(&crate::worker::Job::ProviderKey(entry.id.clone()))
            {
                continue;
            }
            self.provider_problem(&entry, None);
            let keychain = self.config.keychain.provider(&entry.id);
            self.worker.load_provider_key(keychain, entry);
        }
    }

    /// The provider of this entry, added to the list when it is not there yet.
    fn provider_mut(&mut self, entry: &ProviderEntry) -> Option<&mut Provider> {
        if !self.providers.iter().any(|p| p.entry.id == entry.id) {
            self.providers.push(Provider {
                entry: entry.clone(),
                session: None,
                problem: None,
            });
        }
        self.providers.iter_mut().find(|p| p.entry.id == entry.id)
    }

    /// Why this provider is not signed in (`None`: it is, or it is signing in).
    fn provider_problem(&mut self, entry: &ProviderEntry, problem: Option<String>) {
        if let Some(p) = self.provider_mut(entry) {
            p.problem = problem;
        }
    }

    /// Runs Settings → Providers' commands, and those of another provider's rows.
    pub(crate) fn run_provider_command(&mut self, command: Command) {
        match command {
            Command::At { provider, command } => self.run_at_provider(&provider, *command),
            Command::AddProvider { name, api_url, key } => self.add_provider(name, api_url, key),
            Command::AskRemoveProvider(id) => self.ask_remove_provider(&id),
            Command::RemoveProviderConfirmed(id) => self.remove_provider(&id),
            other => self.run_command(other),
        }
    }

    pub(crate) fn provider_key_loaded(
        &mut self,
        entry: ProviderEntry,
        result: Result<Option<ApiKey>, KeychainError>,
    ) {
        if !self.settings.providers.contains(&entry) {
            return;
        }
        match result {
            Ok(Some(key)) => self.connect_provider(entry, key),
            Ok(None) => self.provider_problem(&entry, Some(text::PROVIDER_NO_KEY.into())),
            Err(e) => {
                tracing::warn!("keychain (another provider): {e}");
                self.provider_problem(&entry, Some(text::PROVIDER_KEYCHAIN_LOCKED.into()));
            }
        }
    }

    /// Starts the provider's session: its balance, its orders database, then its offers.
    fn connect_provider(&mut self, entry: ProviderEntry, key: ApiKey) {
        let Some(first) = self.session().map(|s| s.generation) else {
            return;
        };
        if self.is_demo() {
            return;
        }
        let client = match self.client_for(entry.api_url.clone(), key) {
            Ok(c) => c,
            Err(e) => {
                self.provider_problem(&entry, Some(describe::api_error(&e)));
                return;
            }
        };
        self.next_generation += 1;
        let generation = Generation(self.next_generation);
        self.worker.focus(generation);
        self.worker.refresh_balance(generation, &client);
        self.worker.open_store(
            generation,
            self.config.data_dir.join(provider_orders_file(&entry.id)),
            client.config().key.clone(),
            client.config().api_url.clone(),
        );
        self.worker.focus(first);
        let mut policy = self.poll_policy();
        policy.rate = client.config().requests_per_second;
        let polling = super::poll_driver::Polling::start(self.ctx.clone(), client.clone(), policy);
        let store_path = self.config.data_dir.join(provider_orders_file(&entry.id));
        let session = Session::new(
            generation,
            client,
            KeyPlace::OtherProvider,
            store_path,
            polling,
        );
        tracing::info!(provider = %entry.id, "another provider signed in");
        if let Some(provider) = self.provider_mut(&entry) {
            provider.session = Some(Box::new(session));
            provider.problem = None;
        }
    }

    /// Ends every other provider's session (their orders stay in their databases).
    pub(crate) fn sign_out_providers(&mut self) {
        for p in &mut self.providers {
            p.session = None;
        }
    }

    /// Runs `f` with provider `index`'s session in front: `session()` and `session_mut()` are
    /// its session, the worker's "in flight" is its jobs, and what is said names it. `None`
    /// when that provider (or the first session) is not signed in.
    pub(crate) fn with_provider<R>(
        &mut self,
        index: usize,
        f: impl FnOnce(&mut App) -> R,
    ) -> Option<R> {
        let Stage::SignedIn(first) = &mut self.stage else {
            return None;
        };
        let provider = self.providers.get_mut(index)?;
        let other = provider.session.as_mut()?;
        std::mem::swap(first, other);
        let (front, back) = (first.generation, other.generation);
        let source = (provider.entry.id.clone(), provider.entry.name.clone());
        self.worker.focus(front);
        self.messages.set_source(Some(source));
        self.in_front = Some(index);
        let result = f(self);
        self.in_front = None;
        self.messages.set_source(None);
        self.worker.focus(back);
        let provider = self.providers.get_mut(index);
        match (&mut self.stage, provider) {
            (Stage::SignedIn(s), Some(p)) if s.generation == front => {
                if let Some(other) = p.session.as_mut() {
                    std::mem::swap(s, other);
                }
            }
            // Only commands of a provider's offers and orders are run here
            // (`Command::for_a_provider`): none of them replaces a session.
            (_, provider) => {
                tracing::error!("the first session was replaced while another provider's ran");
                if let Some(first) = provider.and_then(|p| p.session.take()) {
                    self.stage = Stage::SignedIn(first);
                }
            }
        }
        Some(result)
    }

    /// The provider of the session in front (`None`: InstaOTP's).
    pub(crate) fn front_provider(&self) -> Option<&ProviderEntry> {
        self.in_front
            .and_then(|i| self.providers.get(i))
            .map(|p| &p.entry)
    }

    /// Every signed-in session but the one in front, with its provider (`None`: InstaOTP).
    pub(crate) fn sessions_behind(&self) -> Vec<(Option<&ProviderEntry>, &Session)> {
        self.providers
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let s = p.session.as_deref()?;
                // While a provider is in front, InstaOTP's session sits in its place.
                let whose = (Some(i) != self.in_front).then_some(&p.entry);
                Some((whose, s))
            })
            .collect()
    }

    /// The provider whose session has this generation.
    pub(crate) fn provider_of_generation(&self, generation: Generation) -> Option<usize> {
        self.providers.iter().position(|p| {
            p.session
                .as_ref()
                .is_some_and(|s| s.generation == generation)
        })
    }

    /// Runs a command of another provider's offer or order with its session in front.
    pub(crate) fn run_at_provider(&mut self, id: &str, command: Command) {
        let index = self.providers.iter().position(|p| p.entry.id == id);
        let ran = match index {
            Some(i) if command.for_a_provider() => self.with_provider(i, |app| {
                app.run_command(command);
            }),
            _ => None,
        };
        if ran.is_none() {
            tracing::info!(
                provider = id,
                "a command for a provider not signed in dropped"
            );
            self.messages.warn(text::PROVIDER_NOT_SIGNED_IN);
        }
    }

    /// Settings → Providers → Add: the key is checked with the provider before anything is kept.
    pub(crate) fn add_provider(&mut self, name: String, api_url: String, key: ApiKey) {
        let name = name.trim().to_owned();
        let problem = if name.is_empty() {
            Some(text::PROVIDER_NAME_FIRST)
        } else if name.chars().count() > PROVIDER_NAME_MAX_CHARS {
            Some(text::PROVIDER_NAME_TOO_LONG)
        } else if name.eq_ignore_ascii_case(text::FIRST_PROVIDER)
            || self
                .settings
                .providers
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            Some(text::PROVIDER_NAME_TAKEN)
        } else if self.settings.providers.len() >= MAX_PROVIDERS {
            Some(text::PROVIDERS_FULL)
        } else if key.is_empty() {
            Some(text::PASTE_KEY_FIRST)
        } else {
            None
        };
        if let Some(problem) = problem {
            self.view.settings.provider_error = Some(problem.to_owned());
            return;
        }
        let entry = ProviderEntry {
            id: provider_id(&name, &self.settings.providers),
            name,
            api_url: api_url.trim().to_owned(),
        };
        // The same name just removed: its key is still being taken out of the keychain, and
        // that must not come after the new key is put in.
        let key_job = crate::worker::Job::ProviderKey(entry.id.clone());
        if self.worker.is_busy(&key_job) || self.worker.is_busy(&crate::worker::Job::CheckProvider)
        {
            self.view.settings.provider_error = Some(text::PROVIDER_TRY_AGAIN.to_owned());
            return;
        }
        match self.client_for(entry.api_url.clone(), key) {
            Ok(client) => {
                self.view.settings.provider_error = None;
                self.view.settings.new_provider_key.clear();
                self.worker.check_provider(client, entry);
            }
            Err(e) => self.view.settings.provider_error = Some(describe::api_error(&e)),
        }
    }

    pub(crate) fn provider_checked(
        &mut self,
        entry: ProviderEntry,
        key: ApiKey,
        result: Result<Balance, ApiError>,
    ) {
        match result {
            Ok(_) => {
                let keychain = self.config.keychain.provider(&entry.id);
                self.worker.save_provider_key(keychain, entry, key);
            }
            Err(e) => {
                tracing::info!("a provider's key was not accepted: {e}");
                let words = text::from_provider(&entry.name, &describe::api_error(&e));
                self.view.settings.provider_error = Some(words);
            }
        }
    }

    pub(crate) fn provider_key_saved(
        &mut self,
        entry: ProviderEntry,
        key: ApiKey,
        result: Result<(), KeychainError>,
    ) {
        match result {
            Ok(()) => {
                self.view.settings.clear_provider_form();
                self.messages.success(text::provider_added(&entry.name));
                if !self.settings.providers.iter().any(|p| p.id == entry.id) {
                    self.settings.providers.push(entry.clone());
                }
                self.connect_provider(entry, key);
            }
            Err(e) => {
                tracing::warn!("keychain save (another provider): {e}");
                self.view.settings.provider_error =
                    Some(describe::keychain_save_failed(&e).to_owned());
            }
        }
    }

    /// Why this provider may not be removed now, in words (`None`: it may).
    fn removal_refused(&self, id: &str) -> Option<String> {
        let p = self.providers.iter().find(|p| p.entry.id == id)?;
        let s = p.session.as_deref()?;
        let buying = self.worker.is_busy(&crate::worker::Job::Purchase) || s.batch().is_some();
        removal_refused(&p.entry.name, buying, s.not_confirmed())
    }

    /// Always asks: removing a provider takes its key out of the keychain.
    pub(crate) fn ask_remove_provider(&mut self, id: &str) {
        if let Some(why) = self.removal_refused(id) {
            self.messages.warn(why);
            return;
        }
        let Some(p) = self.providers.iter().find(|p| p.entry.id == id) else {
            return;
        };
        let waiting = p.session.as_deref().map_or(0, Session::waiting_for_code);
        let confirm = Confirm::RemoveProvider {
            id: id.to_owned(),
            name: p.entry.name.clone(),
            waiting,
        };
        if let Some(s) = self.session_mut() {
            s.confirm = Some(confirm);
        }
    }

    /// Ends the provider's session (its orders stay in its database and come back when it is
    /// added again with the same key), forgets it and takes its key out of the keychain.
    pub(crate) fn remove_provider(&mut self, id: &str) {
        if let Some(s) = self.session_mut() {
            s.confirm = None;
        }
        // Asked again: a purchase may have started while the question was open.
        if let Some(why) = self.removal_refused(id) {
            self.messages.warn(why);
            return;
        }
        let Some(index) = self.providers.iter().position(|p| p.entry.id == id) else {
            return;
        };
        let removed = self.providers.remove(index);
        let waiting = removed
            .session
            .as_deref()
            .map_or(0, Session::waiting_for_code);
        self.settings.providers.retain(|p| p.id != id);
        let keychain = self.config.keychain.provider(id);
        let name = removed.entry.name.clone();
        // Dropped here: its polling stops and its order writer finishes what it was given.
        drop(removed);
        self.worker
            .remove_provider_key(keychain, id.to_owned(), name.clone());
        self.messages.info(text::provider_removed(&name, waiting));
    }

    pub(crate) fn provider_key_removed(&mut self, name: &str, result: Result<(), KeychainError>) {
        if let Err(e) = result {
            tracing::warn!("keychain delete (another provider): {e}");
            self.messages.error(text::provider_key_not_removed(
                name,
                describe::keychain_save_failed(&e),
            ));
        }
    }
}

/// What to buy instead, among the best offer of each provider (the refused offer's own
/// first): the lowest rank — a server that delivers nothing last, then the lowest price per
/// delivered code — and on a tie the earlier in the list.
pub(crate) fn pick_instead<T>(candidates: Vec<(T, (bool, rust_decimal::Decimal))>) -> Option<T> {
    candidates
        .into_iter()
        .min_by(|a, b| a.1.cmp(&b.1))
        .map(|(found, _)| found)
}

/// Why a provider may not be removed now (`None`: it may). Never while a purchase is out or a
/// run of purchases goes on (its answer would have no session to land in), nor while one of
/// its purchases is not confirmed: that stays on screen until the person settles it.
fn removal_refused(name: &str, buying: bool, not_confirmed: usize) -> Option<String> {
    if not_confirmed > 0 {
        Some(text::provider_not_confirmed_first(name, not_confirmed))
    } else if buying {
        Some(text::PROVIDER_BUYING.to_owned())
    } else {
        None
    }
}

/// Each provider's orders are in a database of their own, named by its id.
fn provider_orders_file(id: &str) -> String {
    format!("orders-{id}.sqlite")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_offer_to_buy_instead_is_the_cheapest_per_code_of_every_provider() {
        let d = |cents: i64| rust_decimal::Decimal::new(cents, 2);
        // (candidates as (whose, (delivers nothing, price per code)), chosen)
        let table = [
            (
                vec![("here", (false, d(1100))), ("Backup", (false, d(990)))],
                Some("Backup"),
            ),
            (
                vec![("here", (false, d(990))), ("Backup", (false, d(990)))],
                Some("here"),
            ),
            (
                vec![("here", (false, d(1100))), ("Backup", (true, d(100)))],
                Some("here"),
            ),
            (vec![("InstaOTP", (true, d(100)))], Some("InstaOTP")),
            (
                vec![
                    ("here", (false, d(1300))),
                    ("InstaOTP", (false, d(1200))),
                    ("Backup", (false, d(1200))),
                ],
                Some("InstaOTP"),
            ),
            (vec![], None),
        ];
        for (candidates, chosen) in table {
            let said = format!("{candidates:?}");
            assert_eq!(super::pick_instead(candidates), chosen, "{said}");
        }
    }

    #[test]
    fn a_provider_is_removed_only_with_nothing_out_and_nothing_unclear() {
        // (a purchase out or a run going on, purchases not confirmed, refused)
        let table = [
            (false, 0, None),
            (true, 0, Some("A purchase is on its way")),
            (false, 1, Some("Backup has 1 purchase not confirmed")),
            (true, 2, Some("Backup has 2 purchases not confirmed")),
        ];
        for (buying, not_confirmed, refused) in table {
            let said = super::removal_refused("Backup", buying, not_confirmed);
            match refused {
                None => assert_eq!(said, None),
                Some(start) => assert!(
                    said.as_deref().is_some_and(|s| s.starts_with(start)),
                    "{buying} {not_confirmed}: {said:?}"
                ),
            }
        }
    }
}
