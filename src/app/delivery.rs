//! Keeps the delivery record (`orders::delivery`) up to date: read on the worker at start and
//! whenever an order got a code, ended or was bought; one read at a time, never in a frame.

use super::{App, Stage};
use crate::worker::Job;

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
}
