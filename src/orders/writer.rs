//! The session's order writer: one thread that writes orders (and the work left undone) in the
//! order they were given, so the window never waits for the disk.

use std::sync::mpsc;

use super::{Order, OrderStore, StoreError};

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
    /// Starts the thread; `wake` is called when a write failed (the window asks for the
    /// failures then).
    pub fn start(wake: impl Fn() + Send + 'static, store: OrderStore) -> Self {
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
                            wake();
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
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Dropping the writer waits for its writes: the next reader finds them all, with no wait.
    #[test]
    fn a_dropped_writer_has_written_everything_given_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        let writer = OrderWriter::start(|| {}, store);
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
}
