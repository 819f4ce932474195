//! History for accounting: as CSV, which opens right in Excel and LibreOffice and in which no
//! cell a provider sent can run as a formula, or as an Excel workbook (`export_xlsx`). The
//! file's name says which: a name ending in `.xlsx` is a workbook.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use super::history::{date_time, local_time_zone};
use super::model::Order;

/// The words for an order's state in the "status" column (the app's own, from `crate::text`:
/// this layer keeps none).
pub type StatusWords = fn(&Order) -> &'static str;

/// Tells Excel the file is UTF-8 (names in any script stay readable).
const BOM: &str = "\u{feff}";

/// A CSV field: a cell that a spreadsheet would run as a formula gets a leading `'` (shown as
/// text, never run), then it is quoted when it must be.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    quoted(&s)
}

/// A phone number or code: always text, so a leading `+` or `0` and long digit runs are kept
/// (a spreadsheet would read `0123` as 123 and 919876543210 as 9.2E+11).
fn text_field(s: &str) -> String {
    let numeric = !s.is_empty()
        && s.trim_start_matches('+')
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
    if numeric && !s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        quoted(&format!("'{s}"))
    } else {
        field(s)
    }
}

fn quoted(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// `2026-11-30T00:53:20Z`.
fn iso_utc(ms: super::Millis) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Writes `orders` as CSV text, dates in the user's time zone.
pub fn write_csv(out: impl Write, orders: &[Order], status: StatusWords) -> std::io::Result<()> {
    write_csv_in(out, orders, &local_time_zone(), status)
}

/// The columns, in words a spreadsheet user reads (the CSV's header, the workbook's first row).
pub const COLUMNS: [&str; 15] = [
    "Order id",
    "Bought (local time)",
    "Bought (UTC)",
    "Service",
    "Service code",
    "Country",
    "Server",
    "Number",
    "Paid",
    "Refunded",
    "Net",
    "Price is",
    "Status",
    "Code",
    "Seconds to code",
];

/// What an order cost: paid (what InstaOTP took, or the list price), refunded (what came back,
/// only where InstaOTP confirmed it), net. `None` for a purchase not confirmed (it may or may
/// not have been paid); zero for one not bought.
pub type Money = Option<rust_decimal::Decimal>;

pub fn money_of(o: &Order) -> (Money, Money, Money) {
    use super::OrderState;
    let zero = rust_decimal::Decimal::ZERO;
    let paid = match o.state {
        OrderState::NotConfirmed => return (None, None, None),
        OrderState::NotBought => zero,
        _ => o.charge(),
    };
    let refunded = if o.state.refunded() { paid } else { zero };
    let net = paid - refunded;
    (Some(paid), Some(refunded), Some(net))
}

/// The money of an order as CSV cells, with two decimals.
fn money_cells(o: &Order) -> (String, String, String) {
    let cell = |m: Money| m.map(|m| format!("{m:.2}")).unwrap_or_default();
    let (paid, refunded, net) = money_of(o);
    (cell(paid), cell(refunded), cell(net))
}

/// Whether the price shown is InstaOTP's charge or the list price.
pub fn price_is(o: &Order) -> &'static str {
    if o.charged.is_some() {
        "charged"
    } else {
        "list price"
    }
}

/// The two kinds of file an export can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    /// An Excel workbook (.xlsx).
    Xlsx,
}

impl ExportFormat {
    /// The kind a file name asks for: `.xlsx` (any case) is a workbook, anything else CSV.
    pub fn of_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => Self::Xlsx,
            _ => Self::Csv,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// Writes `orders` as CSV text, local dates in `tz`.
pub fn write_csv_in(
    mut out: impl Write,
    orders: &[Order],
    tz: &TimeZone,
    status: StatusWords,
) -> std::io::Result<()> {
    write!(out, "{BOM}")?;
    writeln!(out, "{}", COLUMNS.join(","))?;
    for o in orders {
        let (paid, refunded, net) = money_cells(o);
        let row = [
            text_field(&o.order_id),
            date_time(o.bought_at, tz),
            iso_utc(o.bought_at),
            field(&o.service_name),
            field(&o.service_code),
            field(crate::countries::country_name(&o.country)),
            field(&o.server),
            text_field(&o.phone),
            paid,
            refunded,
            net,
            field(price_is(o)),
            field(status(o)),
            text_field(o.code.as_deref().unwrap_or_default()),
            o.seconds_to_code()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ];
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// A new file name for an export in `dir`, named after the local date and time (to the second), so
/// a second export does not offer to replace the first.
pub fn suggested_path(
    dir: &Path,
    now: super::Millis,
    tz: &jiff::tz::TimeZone,
    format: ExportFormat,
) -> PathBuf {
    let stamp = jiff::Timestamp::from_millisecond(now)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d-%H%M%S")
                .to_string()
        })
        .unwrap_or_else(|_| now.to_string());
    dir.join(format!("instaotp-history-{stamp}.{}", format.extension()))
}

/// Whether an export may replace a file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// The system dialog asked the user already.
    Yes,
    /// The app's own dialog: an existing file is an error, never overwritten.
    No,
}

/// What the words and amounts of an export are written with (the app's own, from `crate::text`).
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub status: StatusWords,
    /// The currency sign or code amounts are shown with in the workbook.
    pub currency: &'a str,
}

/// Saves the history at `path` (its folder is made if missing), as a workbook when the name ends
/// in `.xlsx`, else as CSV. It goes to a temp file first and is renamed into place, so an
/// existing file is replaced whole or not at all.
pub fn export_to(
    path: &Path,
    orders: &[Order],
    replace: Replace,
    words: Words<'_>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    if replace == Replace::No && path.exists() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".instaotp-export-{}-{n}.tmp", std::process::id()));
    let result = write_then_move(&tmp, path, orders, replace, words);
    if result.is_err() {
        let _cleaned = std::fs::remove_file(&tmp);
    }
    result
}

fn write_then_move(
    tmp: &Path,
    path: &Path,
    orders: &[Order],
    replace: Replace,
    words: Words<'_>,
) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    let mut out = std::io::BufWriter::new(file);
    match ExportFormat::of_path(path) {
        ExportFormat::Csv => write_csv(&mut out, orders, words.status)?,
        ExportFormat::Xlsx => super::export_xlsx::write_xlsx(
            &mut out,
            orders,
            &local_time_zone(),
            words.status,
            words.currency,
        )
        .map_err(std::io::Error::other)?,
    }
    out.flush()?;
    out.get_ref().sync_all()?;
    drop(out);
    match replace {
        Replace::Yes => std::fs::rename(tmp, path),
        // A hard link fails, leaving the other file alone, if one appeared since the check.
        Replace::No => match std::fs::hard_link(tmp, path) {
            Ok(()) => std::fs::remove_file(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: the check above has to do.
            Err(_) => std::fs::rename(tmp, path),
        },
    }
}

#[cfg(test)]
mod tests {
    /// The status words tests write (the app passes its own).
    const STATUS: super::StatusWords = |_| "Finished";
    const WORDS: super::Words<'static> = super::Words {
        status: STATUS,
        currency: "₹",
    };

    use super::*;

    #[test]
    fn the_apps_own_dialog_never_replaces_a_file_the_system_dialog_may() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        std::fs::write(&path, "kept").unwrap();
        let orders = [crate::orders::test_support::order("1", "WhatsApp", 5_000)];
        let refused = export_to(&path, &orders, Replace::No, WORDS).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
        export_to(&path, &orders, Replace::Yes, WORDS).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.lines().count(), 2, "{written}");
        // A new name in a folder that does not exist yet.
        let fresh = dir.path().join("new folder").join("h.csv");
        export_to(&fresh, &orders, Replace::No, WORDS).unwrap();
        assert!(fresh.exists());
    }

    /// Every row: how an order ended, and whether InstaOTP said what it charged → paid,
    /// refunded, net.
    #[test]
    fn paid_refunded_and_net_in_plain_columns() {
        use crate::orders::OrderState;
        let rows: [(OrderState, Option<i64>, [&str; 3]); 6] = [
            (OrderState::Finished, None, ["12.50", "0.00", "12.50"]),
            (OrderState::Finished, Some(1375), ["13.75", "0.00", "13.75"]),
            (OrderState::Cancelled, None, ["12.50", "12.50", "0.00"]),
            (
                OrderState::EndedRefundUnconfirmed,
                None,
                ["12.50", "0.00", "12.50"],
            ),
            (OrderState::NotBought, None, ["0.00", "0.00", "0.00"]),
            (OrderState::NotConfirmed, None, ["", "", ""]),
        ];
        for (state, charged, want) in rows {
            let mut o = crate::orders::test_support::order("1", "WhatsApp", 5_000);
            o.state = state;
            o.charged = charged.map(|c| rust_decimal::Decimal::new(c, 2));
            let (paid, refunded, net) = money_cells(&o);
            assert_eq!(
                [paid.as_str(), refunded.as_str(), net.as_str()],
                want,
                "{state:?}"
            );
        }
        let header = COLUMNS.join(",");
        assert!(header.starts_with("Order id,") && header.contains(",Paid,Refunded,Net,"));
    }

    #[test]
    fn the_suggested_name_carries_the_local_date_and_time() {
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(5));
        let now = 1_796_000_000_000; // 2026-11-30 00:53:20 UTC
        assert_eq!(
            suggested_path(Path::new("/docs"), now, &tz, ExportFormat::Csv),
            Path::new("/docs/instaotp-history-2026-11-30-055320.csv")
        );
        assert_eq!(
            suggested_path(Path::new("/docs"), now, &tz, ExportFormat::Xlsx),
            Path::new("/docs/instaotp-history-2026-11-30-055320.xlsx")
        );
        assert_eq!(
            ExportFormat::of_path(Path::new("a/History.XLSX")),
            ExportFormat::Xlsx
        );
        assert_eq!(
            ExportFormat::of_path(Path::new("a/h.xls")),
            ExportFormat::Csv
        );
        assert_eq!(ExportFormat::of_path(Path::new("a/h")), ExportFormat::Csv);
    }

    #[test]
    fn quotes_what_needs_quoting() {
        let mut order =
            crate::orders::test_support::order("7", "Google, YouTube, \"Gmail\"", 5_000);
        order.service_code = "go".into();
        order.phone = "+91".into();
        order.price = rust_decimal::Decimal::new(450, 2);
        let mut out = Vec::new();
        write_csv_in(&mut out, &[order], &TimeZone::UTC, |_| "Waiting for SMS").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(
            "'7,1970-01-01 00:00,1970-01-01T00:00:05Z,\"Google, YouTube, \"\"Gmail\"\"\",go,India,1,'+91,4.50,0.00,4.50,list price,Waiting for SMS,"
        ), "{text}");
    }
}
