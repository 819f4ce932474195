//! History as CSV, for accounting.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::Order;

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes `orders` as CSV text.
pub fn write_csv(mut out: impl Write, orders: &[Order]) -> std::io::Result<()> {
    writeln!(
        out,
        "order_id,bought_at_utc,service,service_code,country,server,phone,price,status,code"
    )?;
    for o in orders {
        let bought = o.bought_at / 1000;
        let row = [
            field(&o.order_id),
            bought.to_string(),
            field(&o.service_name),
            field(&o.service_code),
            field(crate::countries::country_name(&o.country)),
            field(&o.server),
            field(&o.phone),
            o.price.to_string(),
            field(o.state.label()),
            field(o.code.as_deref().unwrap_or_default()),
        ];
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// A new file name for an export in `dir`, named after the local date and time (to the second), so
/// a second export does not offer to replace the first.
pub fn suggested_path(dir: &Path, now: super::Millis, tz: &jiff::tz::TimeZone) -> PathBuf {
    let stamp = jiff::Timestamp::from_millisecond(now)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d-%H%M%S")
                .to_string()
        })
        .unwrap_or_else(|_| now.to_string());
    dir.join(format!("instaotp-history-{stamp}.csv"))
}

/// Whether an export may replace a file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// The system dialog asked the user already.
    Yes,
    /// The app's own dialog: an existing file is an error, never overwritten.
    No,
}

/// Saves the history as CSV at `path` (its folder is made if missing).
pub fn export_to(path: &Path, orders: &[Order], replace: Replace) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match replace {
        Replace::Yes => options.create(true).truncate(true),
        Replace::No => options.create_new(true),
    };
    let mut file = std::io::BufWriter::new(options.open(path)?);
    write_csv(&mut file, orders)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_own_dialog_never_replaces_a_file_the_system_dialog_may() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        std::fs::write(&path, "kept").unwrap();
        let orders = [crate::orders::test_support::order("1", "WhatsApp", 5_000)];
        let refused = export_to(&path, &orders, Replace::No).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
        export_to(&path, &orders, Replace::Yes).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.lines().count(), 2, "{written}");
        // A new name in a folder that does not exist yet.
        let fresh = dir.path().join("new folder").join("h.csv");
        export_to(&fresh, &orders, Replace::No).unwrap();
        assert!(fresh.exists());
    }

    #[test]
    fn the_suggested_name_carries_the_local_date_and_time() {
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(5));
        let now = 1_796_000_000_000; // 2026-11-30 00:53:20 UTC
        assert_eq!(
            suggested_path(Path::new("/docs"), now, &tz),
            Path::new("/docs/instaotp-history-2026-11-30-055320.csv")
        );
    }

    #[test]
    fn quotes_what_needs_quoting() {
        let mut order =
            crate::orders::test_support::order("7", "Google, YouTube, \"Gmail\"", 5_000);
        order.service_code = "go".into();
        order.phone = "+91".into();
        order.price = rust_decimal::Decimal::new(450, 2);
        let mut out = Vec::new();
        write_csv(&mut out, &[order]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(
            "7,5,\"Google, YouTube, \"\"Gmail\"\"\",go,India,1,+91,4.50,Waiting for SMS,"
        ));
    }
}
