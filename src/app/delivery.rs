//! Keeps the delivery record (`orders::delivery`) up to date: read on the worker at start and
//! whenever an order got a code, ended or was bought; one read at a time, never in a frame.

use super::{App, Stage};
use crate::orders::StoreError;
use crate::orders::delivery::Summary;
use crate::worker::{Job, SessionEvent};

impl App {
    /// Starts a read of the delivery record when one is due and none is in flight. It waits on
    /// the worker for the order writes given before it.
    pub(crate) fn refresh_delivery(&mut self) {
        let Stage::SignedIn(s) = &mut self.stage else {
            return;
        };
        if !s.delivery_stale() || self.worker.is_busy(&Job::Delivery) {
            return;
        }
        let Some(open) = &s.store else { return };
        let (store, written) = (open.store.clone(), open.writer.barrier());
        s.delivery_read_started();
        self.worker.delivery(s.generation, store, written);
    }

    /// Events that change the orders without the session's writer: a purchase, an order added
    /// by its id, old history deleted.
    pub(crate) fn note_delivery_change(&mut self, event: &SessionEvent) {
        if matches!(
            event,
            SessionEvent::Purchased(_)
                | SessionEvent::Adopted { .. }
                | SessionEvent::HistoryDeleted(_)
        ) && let Some(s) = self.session_mut()
        {
            s.mark_delivery_stale();
        }
    }

    pub(crate) fn delivery_read(&mut self, result: Result<Box<Summary>, StoreError>) {
        match result {
            Ok(summary) => {
                let favourites = self.settings.favourites.clone();
                if let Some(s) = self.session_mut() {
                    s.offers.set_delivery(*summary, &favourites);
                }
            }
            // Only the figures are missing: the offers and orders are as they were.
            Err(e) => tracing::warn!("delivery record not read: {e}"),
        }
    }
}
