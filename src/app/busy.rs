//! What is in flight, as the screens see it: read from the worker once a frame, before anything
//! is drawn, so no screen asks the worker (or knows it exists).

use std::collections::HashSet;

use crate::orders::OrderId;
use crate::worker::{Job, Worker};

#[derive(Debug, Default, Clone)]
pub struct Busy {
    pub loading_offers: bool,
    /// A purchase is out (one at a time, whichever session started it).
    pub buying: bool,
    pub reading_balance: bool,
    /// A typed key is being checked or saved.
    pub checking_key: bool,
    pub removing_key: bool,
    pub checking_updates: bool,
    pub starting_demo: bool,
    /// The system "Save as" dialog is open.
    pub save_dialog_open: bool,
    /// Work the person is waiting for is out (a spinner).
    pub someone_waits: bool,
    /// A provider's key is being checked (Settings → Providers → Add).
    pub checking_provider: bool,
    setting_status: HashSet<OrderId>,
    adopting: HashSet<OrderId>,
    /// Providers whose keychain entry is being read, written or emptied.
    provider_keys: HashSet<String>,
}

impl Busy {
    /// As the screens of another provider's session (`generation`) see it: its own cancels,
    /// finishes and orders being added, besides what is in flight for the app.
    pub fn of_session(worker: &Worker, generation: crate::worker::Generation) -> Self {
        let mut busy = Self::of(worker);
        busy.setting_status.clear();
        busy.adopting.clear();
        for job in worker.jobs_of(generation) {
            match job {
                Job::SetStatus(id) => {
                    busy.setting_status.insert(id.clone());
                }
                Job::Adopt(id) => {
                    busy.adopting.insert(id.clone());
                }
                _ => {}
            }
        }
        busy
    }

    /// What is in flight for each other provider's session (same order as `providers`).
    pub fn of_providers(worker: &Worker, providers: &[super::providers::Provider]) -> Vec<Self> {
        providers
            .iter()
            .map(|p| {
                p.session()
                    .map_or_else(Self::default, |s| Self::of_session(worker, s.generation()))
            })
            .collect()
    }

    pub fn of(worker: &Worker) -> Self {
        let mut setting_status = HashSet::new();
        let mut adopting = HashSet::new();
        let mut provider_keys = HashSet::new();
        for job in worker.current_jobs() {
            match job {
                Job::ProviderKey(id) => {
                    provider_keys.insert(id.clone());
                }
                Job::SetStatus(id) => {
                    setting_status.insert(id.clone());
                }
                Job::Adopt(id) => {
                    adopting.insert(id.clone());
                }
                _ => {}
            }
        }
        Self {
            loading_offers: worker.is_busy(&Job::Offers),
            buying: worker.is_busy(&Job::Purchase),
            reading_balance: worker.is_busy(&Job::Balance),
            checking_key: worker.is_busy(&Job::CheckKey) || worker.is_busy(&Job::SaveKey),
            removing_key: worker.is_busy(&Job::RemoveKey),
            checking_updates: worker.is_busy(&Job::UpdateCheck),
            starting_demo: worker.is_busy(&Job::StartDemo),
            save_dialog_open: worker.is_busy(&Job::SaveDialog),
            someone_waits: worker.user_pending_count() > 0,
            checking_provider: worker.is_busy(&Job::CheckProvider) || !provider_keys.is_empty(),
            setting_status,
            adopting,
            provider_keys,
        }
    }

    /// This provider's key is being read, saved or removed.
    pub fn provider_key(&self, id: &str) -> bool {
        self.provider_keys.contains(id)
    }

    /// A cancel, finish or "another SMS" of this order is out.
    pub fn setting_status_of(&self, order_id: &str) -> bool {
        self.setting_status.contains(order_id)
    }

    /// The order id typed for this purchase attempt is being checked.
    pub fn adopting(&self, attempt_id: &str) -> bool {
        self.adopting.contains(attempt_id)
    }
}
