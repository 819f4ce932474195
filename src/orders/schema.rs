//! The orders database's layout by version (`PRAGMA user_version`) and the numbered steps from
//! each earlier version. A database written by a newer version of the app is used as it is and
//! never changed back.

use rusqlite::Connection;

/// How many steps there are: the version this app writes.
const STEP_COUNT: usize = 4;
/// The version this app writes.
#[allow(clippy::cast_possible_wrap)] // a count of four
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
    // 3 → 4: the delivery record (`orders::delivery`): one small row per bought order, kept by
    // triggers on every write and delete of `orders`, filled from the orders already there.
    DELIVERIES,
];

/// Step 3 → 4. `delivery_rows` reads the order's JSON (rows another version wrote in another
/// shape have no service and are left out); `got_code` is 1 when a code came (or the person
/// finished it), 0 when it ended refunded without one, NULL while it is open or unknown.
const DELIVERIES: &str = "
    CREATE TABLE IF NOT EXISTS deliveries (
        order_id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        country TEXT NOT NULL,
        server TEXT NOT NULL,
        bought_at INTEGER NOT NULL,
        got_code INTEGER,
        seconds INTEGER,
        price TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS deliveries_offer
        ON deliveries(service, country, server, bought_at, got_code, seconds, price);
    CREATE VIEW IF NOT EXISTS delivery_rows AS
    SELECT order_id, service, country, server, bought_at,
        CASE WHEN code_at IS NOT NULL OR code IS NOT NULL
                  OR state IN ('Finished', 'EndedWithCode') THEN 1
             WHEN state IN ('Cancelled', 'Expired') THEN 0 END AS got_code,
        CASE WHEN code_at >= bought_at THEN (code_at - bought_at) / 1000 END AS seconds,
        price
    FROM (SELECT order_id, bought_at,
            json_extract(doc, '$.service_code') AS service,
            json_extract(doc, '$.country') AS country,
            json_extract(doc, '$.server') AS server,
            json_extract(doc, '$.state') AS state,
            json_extract(doc, '$.code') AS code,
            coalesce(json_extract(doc, '$.first_code_at'), json_extract(doc, '$.code_at'))
                AS code_at,
            CAST(json_extract(doc, '$.price') AS TEXT) AS price
        -- A row that is not JSON reads as an empty document (json_extract would fail on it).
        FROM (SELECT order_id, bought_at,
                CASE WHEN json_valid(data) THEN data ELSE '{}' END AS doc
            FROM orders))
    WHERE service IS NOT NULL AND country IS NOT NULL AND server IS NOT NULL
        AND price IS NOT NULL AND state NOT IN ('NotConfirmed', 'NotBought');
    CREATE TRIGGER IF NOT EXISTS deliveries_insert AFTER INSERT ON orders BEGIN
        INSERT OR REPLACE INTO deliveries
            SELECT * FROM delivery_rows WHERE order_id = NEW.order_id;
    END;
    CREATE TRIGGER IF NOT EXISTS deliveries_update AFTER UPDATE ON orders BEGIN
        DELETE FROM deliveries WHERE order_id = OLD.order_id;
        INSERT OR REPLACE INTO deliveries
            SELECT * FROM delivery_rows WHERE order_id = NEW.order_id;
    END;
    CREATE TRIGGER IF NOT EXISTS deliveries_delete AFTER DELETE ON orders BEGIN
        DELETE FROM deliveries WHERE order_id = OLD.order_id;
    END;
    INSERT OR REPLACE INTO deliveries SELECT * FROM delivery_rows;";

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

    /// An order as the app writes it (JSON), for the delivery rows.
    fn order_json(id: &str, bought_at: i64, state: &str, code_at: Option<i64>) -> String {
        let mut o = crate::orders::test_support::order(id, "WhatsApp", bought_at);
        o.state = serde_json::from_value(serde_json::Value::String(state.into())).unwrap();
        o.code_at = code_at;
        o.code = code_at.map(|_| "123456".to_owned());
        serde_json::to_string(&o).unwrap()
    }

    #[test]
    fn the_delivery_rows_are_filled_from_every_earlier_version_and_kept_up_to_date() {
        for v in 1..STEP_COUNT {
            let mut conn = at_version(v);
            let rows = [
                ("1", 1_000, "Finished", Some(41_000)),
                ("2", 2_000, "Cancelled", None),
                ("3", 3_000, "Waiting", None),
                ("4", 4_000, "NotBought", None),
            ];
            for (id, at, state, code_at) in rows {
                conn.execute(
                    "INSERT INTO orders VALUES (?1, ?2, 1, ?3)",
                    rusqlite::params![id, at, order_json(id, at, state, code_at)],
                )
                .unwrap();
            }
            // Written by a newer version in another shape, and not JSON at all: left out.
            conn.execute("INSERT INTO orders VALUES ('9', 10, 1, '{\"v\": 9}')", [])
                .unwrap();
            conn.execute("INSERT INTO orders VALUES ('10', 10, 1, 'not json')", [])
                .unwrap();
            migrate(&mut conn).unwrap();
            let got = |conn: &Connection| -> Vec<(String, Option<i64>, Option<i64>, String)> {
                let mut stmt = conn
                    .prepare(
                        "SELECT order_id, got_code, seconds, price FROM deliveries
                         ORDER BY order_id",
                    )
                    .unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            };
            assert_eq!(
                got(&conn),
                [
                    ("1".to_owned(), Some(1), Some(40), "12.50".to_owned()),
                    ("2".to_owned(), Some(0), None, "12.50".to_owned()),
                    ("3".to_owned(), None, None, "12.50".to_owned()),
                ],
                "from {v}"
            );
            // The triggers follow every write: a code for 3, 2 deleted, 4 bought after all.
            conn.execute(
                "UPDATE orders SET data = ?1 WHERE order_id = '3'",
                [order_json("3", 3_000, "CodeReceived", Some(23_000))],
            )
            .unwrap();
            conn.execute("DELETE FROM orders WHERE order_id = '2'", [])
                .unwrap();
            conn.execute(
                "INSERT INTO orders VALUES ('4', 4000, 1, ?1)
                 ON CONFLICT(order_id) DO UPDATE SET data = excluded.data",
                [order_json("4", 4_000, "Expired", None)],
            )
            .unwrap();
            assert_eq!(
                got(&conn),
                [
                    ("1".to_owned(), Some(1), Some(40), "12.50".to_owned()),
                    ("3".to_owned(), Some(1), Some(20), "12.50".to_owned()),
                    ("4".to_owned(), Some(0), None, "12.50".to_owned()),
                ],
                "from {v}"
            );
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
