//! Runs every request and every blocking call (keychain, disk, dialogs) off the UI thread as a
//! poll-promise promise, and hands the results back as typed [`Event`]s. Each task asks for a
//! repaint when it delivers, so results show at once. The worker decides no wording and logs no
//! error it passes on: the app does both, once.

mod jobs;
mod requests;

use std::future::Future;

use poll_promise::Promise;

pub use jobs::{
    AdoptResult, AppEvent, Delivered, Event, Job, NotifyWhy, OpenedStore, Scope, SessionEvent,
};
pub use requests::list_active_event;

/// Tells sessions apart: every job the worker starts for a session carries its generation, and
/// an event of an earlier generation is not applied to the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Generation(pub u64);

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

    /// Whose jobs count as "in flight" for now: another provider's session while its answers
    /// and commands are run (`App::with_provider`), then the first one's again.
    pub fn focus(&mut self, generation: Generation) {
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

    /// The jobs in flight for the app or the current session (an earlier session's results
    /// will be dropped: its jobs keep nothing busy).
    pub fn current_jobs(&self) -> impl Iterator<Item = &Job> {
        self.pending
            .iter()
            .filter(|p| match p.scope {
                Scope::App => true,
                Scope::Session(g) => Some(g) == self.current,
            })
            .map(|p| &p.job)
    }

    /// The jobs in flight for the app or the session of `generation` (another provider's).
    pub fn jobs_of(&self, generation: Generation) -> impl Iterator<Item = &Job> {
        self.pending
            .iter()
            .filter(move |p| match p.scope {
                Scope::App => true,
                Scope::Session(g) => g == generation,
            })
            .map(|p| &p.job)
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
                    Job::Poll(_)
                        | Job::SaveDialog
                        | Job::Notify
                        | Job::Delivery
                        | Job::Balance
                        // Minutes in the background; Settings shows how far it is.
                        | Job::UpdateDownload
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
    fn spawn(
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
    fn spawn_blocking(
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
}

impl Worker {
    /// Starts a request of the app as a whole (see `spawn`).
    pub fn spawn_app(&mut self, job: Job, task: impl Future<Output = AppEvent> + Send + 'static) {
        self.spawn(Scope::App, job, async move { Event::App(task.await) });
    }

    /// Runs blocking work of the app as a whole (keychain, disk, dialogs).
    pub fn spawn_app_blocking(
        &mut self,
        job: Job,
        task: impl FnOnce() -> AppEvent + Send + 'static,
    ) {
        self.spawn_blocking(Scope::App, job, move || Event::App(task()));
    }

    /// Starts a request of the session `generation`: its answer is dropped if that session is
    /// gone by then.
    pub fn spawn_session(
        &mut self,
        generation: Generation,
        job: Job,
        task: impl Future<Output = SessionEvent> + Send + 'static,
    ) {
        let scope = Scope::Session(generation);
        self.spawn(scope, job, async move { Event::Session(task.await) });
    }

    /// Runs blocking work of the session `generation` (its orders database).
    pub fn spawn_session_blocking(
        &mut self,
        generation: Generation,
        job: Job,
        task: impl FnOnce() -> SessionEvent + Send + 'static,
    ) {
        let scope = Scope::Session(generation);
        self.spawn_blocking(scope, job, move || Event::Session(task()));
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

impl Worker {
    /// The orders with a status change in flight.
    pub fn orders_being_set(&self) -> std::collections::HashSet<crate::orders::OrderId> {
        // The current session's only: another provider may use the same order ids.
        self.pending
            .iter()
            .filter(|p| p.scope == Scope::Session(self.current.unwrap_or(Generation(0))))
            .filter_map(|p| match &p.job {
                Job::SetStatus(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    /// A task that panics becomes an event: the window never polls a promise whose sender is
    /// gone (that would panic the UI thread).
    #[test]
    fn a_panicking_task_delivers_a_failure_not_a_crash() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let _enter = runtime.enter();
        let mut worker = Worker::new(egui::Context::default());
        worker.spawn_app(Job::Balance, async { panic!("a bug in a request") });
        worker.spawn_app_blocking(Job::SaveSettings, || panic!("a bug on disk"));
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
