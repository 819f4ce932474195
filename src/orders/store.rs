//! Orders in SQLite (WAL): written the moment a purchase reply arrives, updated on every change.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use thiserror::Error;

use super::model::{Millis, Order};
use crate::api::active::Offered;

/// Why the orders database could not do what was asked; the cause is kept.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the orders folder could not be made: {0}")]
    Folder(#[from] std::io::Error),
    #[error("the orders database failed: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("an order could not be encoded: {0}")]
    Encoding(#[from] serde_json::Error),
}

impl StoreError {
    /// The file is not a database, or a damaged one: it cannot be repaired here.
    pub fn is_damaged(&self) -> bool {
        matches!(
            self,
            Self::Database(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                )
        )
    }
}

/// The orders read from the database, and how many rows could not be read (saved by a newer
/// version of the app, or damaged): those are left as they are.
#[derive(Debug, Default)]
pub struct Loaded {
    pub orders: Vec<Order>,
    pub unreadable: usize,
}

/// Shared by the UI (reads at start) and background tasks (writes); calls block briefly, so they
/// run off the UI thread.
#[derive(Clone)]
pub struct OrderStore {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for OrderStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OrderStore")
    }
}

fn unfinished_name(account: &str) -> String {
    format!("unfinished:{account}")
}

fn active_offered_name(account: &str) -> String {
    format!("active_activations:{account}")
}

impl OrderStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::create_dir(dir)?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Phones and live codes: the database and its side files are the owner's alone.
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            if let Err(e) = crate::private_files::restrict_file(Path::new(&file))
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(e.into());
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        super::schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
        })
    }

    /// As [`OrderStore::open`]; a file that is damaged or not a database is renamed aside with
    /// the date (its `-wal` and `-shm` files with it) and a new database is started. Returns
    /// where the old file went, to tell the person.
    pub fn open_or_set_aside(path: &Path) -> Result<(Self, Option<PathBuf>), StoreError> {
        match Self::open(path) {
            Err(e) if e.is_damaged() => {
                tracing::error!("orders database damaged: {e}");
                let stamp = jiff::Zoned::now().strftime("%Y-%m-%d-%H%M%S").to_string();
                let aside = path.with_file_name(format!("orders-damaged-{stamp}.sqlite"));
                std::fs::rename(path, &aside)?;
                for suffix in ["-wal", "-shm"] {
                    let mut side = path.as_os_str().to_owned();
                    side.push(suffix);
                    let mut side_aside = aside.as_os_str().to_owned();
                    side_aside.push(suffix);
                    // Absent unless the old database was in use: nothing to move then.
                    if let Err(e) = std::fs::rename(&side, &side_aside)
                        && e.kind() != std::io::ErrorKind::NotFound
                    {
                        tracing::warn!("could not move {suffix} of the damaged database: {e}");
                    }
                }
                Ok((Self::open(path)?, Some(aside)))
            }
            other => other.map(|store| (store, None)),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The secret that keys account hashes on this computer, made on first use.
    pub fn account_secret(&self) -> Result<Vec<u8>, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = super::account::new_secret();
        conn.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('account_secret', ?1)",
            params![fresh],
        )?;
        Ok(conn.query_row(
            "SELECT value FROM meta WHERE name = 'account_secret'",
            [],
            |row| row.get(0),
        )?)
    }

    /// Whether InstaOTP answered `getActiveActivations` for `account` when it was asked.
    pub fn active_offered(&self, account: &str) -> Result<Offered, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let value: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM meta WHERE name = ?1",
                params![active_offered_name(account)],
                |row| row.get(0),
            )
            .optional()?;
        Ok(value.map_or(Offered::Unknown, |v| {
            Offered::from_stored(&String::from_utf8_lossy(&v))
        }))
    }

    /// Remembers the answer, so an account that has no such action is never asked again.
    pub fn set_active_offered(&self, account: &str, offered: Offered) -> Result<(), StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![active_offered_name(account), offered.as_str().as_bytes()],
        )?;
        Ok(())
    }

    /// The work left undone by the last run of `account` (a run of purchases, replace-if-no-code
    /// plans), as the app kept it: JSON the app reads (`app::unfinished`).
    pub fn unfinished_work(&self, account: &str) -> Result<Option<String>, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let value: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM meta WHERE name = ?1",
                params![unfinished_name(account)],
                |row| row.get(0),
            )
            .optional()?;
        Ok(value.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Keeps (`Some`) or clears (`None`) the work left undone of `account`.
    pub fn set_unfinished_work(&self, account: &str, json: Option<&str>) -> Result<(), StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        match json {
            Some(json) => conn.execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = ?2",
                params![unfinished_name(account), json.as_bytes()],
            )?,
            None => conn.execute(
                "DELETE FROM meta WHERE name = ?1",
                params![unfinished_name(account)],
            )?,
        };
        Ok(())
    }

    /// Inserts or replaces the order.
    pub fn save(&self, order: &Order) -> Result<(), StoreError> {
        let data = serde_json::to_string(order)?;
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        conn.execute(
            "INSERT INTO orders (order_id, bought_at, active, data) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(order_id) DO UPDATE SET active = ?3, data = ?4",
            params![order.key(), order.bought_at, order.is_active(), data],
        )?;
        Ok(())
    }

    /// Writes `order` in place of the row `old_id` (a purchase attempt that turned out to be
    /// this order), both or neither. When another order is kept under the same id (InstaOTP
    /// used the id again, or another account has it), the new one gets a row of its own and
    /// the other is left as it is: returns the order as kept, its `row_key` set then.
    pub fn replace(&self, old_id: &str, order: &Order) -> Result<Order, StoreError> {
        let mut order = order.clone();
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM orders WHERE order_id = ?1", params![old_id])?;
        let kept: Option<String> = tx
            .query_row(
                "SELECT data FROM orders WHERE order_id = ?1",
                params![order.key()],
                |row| row.get(0),
            )
            .optional()?;
        // Another order under this id (one that cannot be read counts as another).
        let taken = kept.is_some_and(|data| {
            serde_json::from_str::<Order>(&data).map_or(true, |k| {
                k.bought_at != order.bought_at || k.account != order.account
            })
        });
        if taken && order.row_key.is_none() {
            order.row_key = Some(format!("{}@{}", order.order_id, order.bought_at));
        }
        let data = serde_json::to_string(&order)?;
        tx.execute(
            "INSERT INTO orders (order_id, bought_at, active, data) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(order_id) DO UPDATE SET active = ?3, data = ?4",
            params![order.key(), order.bought_at, order.is_active(), data],
        )?;
        tx.commit()?;
        Ok(order)
    }

    /// Every order, newest first. Rows that cannot be read are skipped (and left in the file).
    pub fn load_all(&self) -> Result<Vec<Order>, StoreError> {
        self.load().map(|loaded| loaded.orders)
    }

    /// Every order, newest first, and how many rows could not be read.
    pub fn load(&self) -> Result<Loaded, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt = conn.prepare("SELECT data FROM orders ORDER BY bought_at DESC")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let mut loaded = Loaded::default();
        for row in rows {
            match serde_json::from_str::<Order>(&row?) {
                Ok(order) => loaded.orders.push(order),
                Err(e) => {
                    tracing::warn!("an order row could not be read (kept as it is): {e}");
                    loaded.unreadable += 1;
                }
            }
        }
        Ok(loaded)
    }

    /// Keeps the offers last listed (as JSON), to show while InstaOTP cannot be reached.
    pub fn save_offers(&self, saved_at: Millis, offers_json: &str) -> Result<(), StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        conn.execute(
            "INSERT INTO offers_cache (id, saved_at, data) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET saved_at = ?1, data = ?2",
            params![saved_at, offers_json],
        )?;
        Ok(())
    }

    /// The offers last kept, with when they were listed.
    pub fn saved_offers(&self) -> Result<Option<(Millis, String)>, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        Ok(conn
            .query_row(
                "SELECT saved_at, data FROM offers_cache WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Runs a read on the connection (the delivery record's query lives with its types).
    pub(super) fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        Ok(f(&conn)?)
    }

    /// Inserts or replaces many orders in one transaction (a history brought in at once).
    pub fn save_all(&self, orders: &[Order]) -> Result<(), StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction()?;
        for order in orders {
            tx.execute(
                "INSERT INTO orders (order_id, bought_at, active, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(order_id) DO UPDATE SET active = ?3, data = ?4",
                params![
                    order.key(),
                    order.bought_at,
                    order.is_active(),
                    serde_json::to_string(order)?
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes closed orders bought before `before`; returns how many.
    pub fn delete_closed_before(&self, before: Millis) -> Result<usize, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        Ok(conn.execute(
            "DELETE FROM orders WHERE active = 0 AND bought_at < ?1",
            params![before],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderState;

    #[cfg(unix)]
    #[test]
    fn the_data_folder_and_the_database_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("InstaOTP Desktop");
        let path = dir.join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        store.save_offers(1, "[]").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&path), 0o600);
        drop(store);
        // Reopened (the side files exist now): still private.
        let _store = OrderStore::open(&path).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }

    #[test]
    fn a_damaged_file_is_set_aside_and_a_new_database_started() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        std::fs::write(
            &path,
            b"this is not a database, it was damaged by a bad disk...",
        )
        .unwrap();
        let (store, aside) = OrderStore::open_or_set_aside(&path).unwrap();
        let aside = aside.expect("set aside");
        assert!(
            aside
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("orders-damaged-")
        );
        assert_eq!(
            std::fs::read(&aside).unwrap(),
            b"this is not a database, it was damaged by a bad disk..."
        );
        assert!(store.load_all().unwrap().is_empty());
        store
            .save(&crate::orders::test_support::order("1", "Telegram", 10))
            .unwrap();
        // A healthy database is opened as it is.
        drop(store);
        let (store, aside) = OrderStore::open_or_set_aside(&path).unwrap();
        assert_eq!(aside, None);
        assert_eq!(store.load_all().unwrap().len(), 1);
    }

    #[test]
    fn rows_of_a_newer_version_are_counted_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        store
            .save(&crate::orders::test_support::order("1", "Telegram", 10))
            .unwrap();
        {
            let conn = store.conn.lock().unwrap();
            conn.execute(
                "INSERT INTO orders VALUES ('9', 20, 1, '{\"v\": 9, \"new\": \"shape\"}')",
                [],
            )
            .unwrap();
        }
        let loaded = store.load().unwrap();
        assert_eq!(loaded.orders.len(), 1);
        assert_eq!(loaded.unreadable, 1);
        store
            .save(&crate::orders::test_support::order("2", "Telegram", 30))
            .unwrap();
        let conn = store.conn.lock().unwrap();
        let kept: String = conn
            .query_row("SELECT data FROM orders WHERE order_id = '9'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kept, "{\"v\": 9, \"new\": \"shape\"}");
    }

    #[test]
    fn the_last_offers_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
        assert_eq!(store.saved_offers().unwrap(), None);
        store.save_offers(5, "[1]").unwrap();
        store.save_offers(7, "[2]").unwrap();
        assert_eq!(store.saved_offers().unwrap(), Some((7, "[2]".to_owned())));
    }

    #[test]
    fn the_active_list_answer_is_kept_per_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        assert_eq!(store.active_offered("a").unwrap(), Offered::Unknown);
        store.set_active_offered("a", Offered::No).unwrap();
        store.set_active_offered("b", Offered::Yes).unwrap();
        drop(store);
        let store = OrderStore::open(&path).unwrap();
        assert_eq!(store.active_offered("a").unwrap(), Offered::No);
        assert_eq!(store.active_offered("b").unwrap(), Offered::Yes);
    }

    #[test]
    fn save_update_reload_delete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.sqlite");
        let store = OrderStore::open(&path).unwrap();
        let mut a = crate::orders::test_support::order("1", "Telegram", 10);
        let b = crate::orders::test_support::order("2", "Telegram", 20);
        store.save(&a).unwrap();
        store.save(&b).unwrap();
        a.close(OrderState::Cancelled, 30);
        store.save(&a).unwrap();
        drop(store);
        let store = OrderStore::open(&path).unwrap();
        let all = store.load_all().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].order_id, "2");
        assert_eq!(all[1].state, OrderState::Cancelled);
        assert_eq!(store.delete_closed_before(100).unwrap(), 1);
        assert_eq!(store.load_all().unwrap().len(), 1);
        // An attempt replaced by the order it turned out to be: one row, the order's.
        let attempt = Order::attempt(&crate::api::Offer::from(&b), 40, None);
        store.save(&attempt).unwrap();
        let order = attempt.adopted(crate::api::Purchase {
            order_id: "77".into(),
            phone: "+911".into(),
        });
        store.replace(&attempt.order_id, &order).unwrap();
        let ids: Vec<String> = store
            .load_all()
            .unwrap()
            .into_iter()
            .map(|o| o.order_id)
            .collect();
        assert_eq!(ids, ["77", "2"]);
    }

    /// An id InstaOTP uses again (or another account's order with the same id) never overwrites
    /// the order kept under it: the new one gets a row of its own, and both are read back.
    #[test]
    fn a_reused_order_id_never_overwrites_another_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
        let mut old = crate::orders::test_support::order("100001", "Telegram", 10);
        old.account = Some("account-a".into());
        old.close(OrderState::Finished, 20);
        store.save(&old).unwrap();
        let mut attempt = Order::attempt(&crate::api::Offer::from(&old), 1_000, None);
        attempt.account = Some("account-b".into());
        store.save(&attempt).unwrap();
        let bought = attempt.adopted(crate::api::Purchase {
            order_id: "100001".into(),
            phone: "+912".into(),
        });
        let kept = store.replace(&attempt.order_id, &bought).unwrap();
        assert_eq!(kept.order_id, "100001");
        assert_eq!(kept.row_key.as_deref(), Some("100001@1000"));
        // Later saves of the new order go to its own row.
        let mut later = kept.clone();
        later.close(OrderState::Cancelled, 2_000);
        store.save(&later).unwrap();
        let all = store.load_all().unwrap();
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!(
            (all[0].phone.as_str(), all[0].state),
            ("+912", OrderState::Cancelled)
        );
        assert_eq!(
            (all[1].phone.as_str(), all[1].state),
            (old.phone.as_str(), OrderState::Finished)
        );
        // The same order saved again is not a new row.
        assert_eq!(
            store.replace("none", &later).unwrap().row_key,
            later.row_key
        );
        assert_eq!(store.load_all().unwrap().len(), 2);
    }
}
