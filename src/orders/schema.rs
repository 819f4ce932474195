//! The orders database's layout by version (`PRAGMA user_version`) and the numbered steps from
//! each earlier version. A database written by a newer version of the app is used as it is and
//! never changed back.

use rusqlite::Connection;

/// How many steps there are: the version this app writes.
const STEP_COUNT: usize = 3;
/// The version this app writes.
#[allow(clippy::cast_possible_wrap)] // a count of three
pub const CURRENT: i64 = STEP_COUNT as i64;

/// `STEPS[n]` takes a database from version `n` to `n + 1`. Version 0 is a new file, or one made
/// before versions were recorded (the first releases: the orders table only; later, the meta
/// table too), so its steps must hold for either.
const STEPS: [&str; STEP_COUNT] = [
    // 0 → 1: the orders, one JSON document per row; `active` and `bought_at` for quick queries.
    "CREATE TABLE IF NOT EXISTS orders (
        order_id TEXT PRIMARY KEY,
        bought_at INTEGER NOT NULL,
        active INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS orders_bought_at ON orders(bought_at);",
    // 1 → 2: small facts about the database (the secret that keys account hashes, what the
    // provider offers per account).
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);",
    // 2 → 3: the offers last listed, shown while InstaOTP cannot be reached.
    "CREATE TABLE IF NOT EXISTS offers_cache (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        saved_at INTEGER NOT NULL,
        data TEXT NOT NULL
    );",
];

/// The version of the database, after bringing an older one up to [`CURRENT`]. Each step and
/// its version number are written together, so a crash leaves a database at one version or the
/// next, never between.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    let mut version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    while let Some(step) = usize::try_from(version).ok().and_then(|v| STEPS.get(v)) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(from = version, to = version + 1, "orders database upgraded");
        version += 1;
    }
    if version > CURRENT {
        tracing::warn!(
            version,
            "orders database of a newer version of the app: used as it is"
        );
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::cast_possible_wrap
    )]
    use super::*;

    /// A database as version `v` left it (steps applied by hand, as that version did).
    fn at_version(v: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..v] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", v as i64).unwrap();
        conn
    }

    #[test]
    fn every_earlier_version_comes_up_to_the_current_one_with_its_rows() {
        for v in 0..=STEP_COUNT {
            let mut conn = at_version(v);
            if v >= 1 {
                conn.execute("INSERT INTO orders VALUES ('1', 10, 1, '{}')", [])
                    .unwrap();
            }
            assert_eq!(migrate(&mut conn).unwrap(), CURRENT, "from {v}");
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'
                     AND name IN ('orders', 'meta', 'offers_cache')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(tables, 3, "from {v}");
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
                .unwrap();
            assert_eq!(rows, i64::from(v >= 1), "rows kept from {v}");
            // Opening again changes nothing.
            assert_eq!(migrate(&mut conn).unwrap(), CURRENT);
        }
    }

    #[test]
    fn a_first_release_database_without_a_version_is_upgraded() {
        // The first releases made the orders table and its index, and recorded no version.
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(STEPS[0]).unwrap();
        conn.execute("INSERT INTO orders VALUES ('7', 10, 0, '{}')", [])
            .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), CURRENT);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn a_newer_database_is_left_as_it_is() {
        let mut conn = at_version(STEP_COUNT);
        conn.pragma_update(None, "user_version", CURRENT + 4)
            .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), CURRENT + 4);
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, CURRENT + 4);
    }
}
