//! History as an Excel workbook (.xlsx), beside the CSV: every cell has its type, so nothing
//! needs a visible quote. Order ids, phones and codes are text (a leading `+` or `0` and long
//! digit runs stay as they are), money is a number in the currency's format, dates are dates.
//! A string cell is never run as a formula, whatever a provider sent.

use std::io::{Seek, Write};

use jiff::tz::TimeZone;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::export::{COLUMNS, StatusWords, money_of};
use super::model::Order;

/// The sheet's name, and the label of the totals row under the orders.
pub const SHEET: &str = "Orders";
pub const TOTAL: &str = "Total";

/// Excel's number format for amounts in `currency`: a sign before (`"₹"#,##0.00`), a code after
/// (`#,##0.00 "INR"`).
pub fn money_format(currency: &str) -> String {
    let currency: String = currency.chars().filter(|c| *c != '"').collect();
    if currency.chars().any(char::is_alphabetic) {
        format!("#,##0.00 \"{currency}\"")
    } else {
        format!("\"{currency}\"#,##0.00")
    }
}

/// The local date and time of `ms` in `tz`, and in UTC, as calendar values.
fn local_and_utc(
    ms: super::Millis,
    tz: &TimeZone,
) -> Option<(jiff::civil::DateTime, jiff::civil::DateTime)> {
    let at = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some((
        at.to_zoned(tz.clone()).datetime(),
        at.to_zoned(TimeZone::UTC).datetime(),
    ))
}

/// Writes `orders` as a workbook to `out`, local dates in `tz`, amounts in `currency`.
pub fn write_xlsx(
    out: impl Write + Seek + Send,
    orders: &[Order],
    tz: &TimeZone,
    status: StatusWords,
    currency: &str,
) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format(money_format(currency));
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (col, name) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, col, name, &bold)?;
    }
    let mut totals = [Decimal::ZERO; 3];
    for (row, o) in (1u32..).zip(orders) {
        write_order(sheet, row, o, tz, status, (&money, &when))?;
        let (paid, refunded, net) = money_of(o);
        for (total, cell) in totals.iter_mut().zip([paid, refunded, net]) {
            *total += cell.unwrap_or_default();
        }
    }
    let last = u32::try_from(orders.len()).unwrap_or(u32::MAX - 1) + 1;
    sheet.write_string_with_format(last, 0, TOTAL, &bold)?;
    for (col, total) in (PAID..).zip(totals) {
        sheet.write_with_format(last, col, total, &money.clone().set_bold())?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_writer(out)
}

/// The first money column (Paid); Refunded and Net follow it.
const PAID: u16 = 8;

fn write_order(
    sheet: &mut Worksheet,
    row: u32,
    o: &Order,
    tz: &TimeZone,
    status: StatusWords,
    (money, when): (&Format, &Format),
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, &o.order_id)?;
    if let Some((local, utc)) = local_and_utc(o.bought_at, tz) {
        sheet.write_datetime_with_format(row, 1, local, when)?;
        sheet.write_datetime_with_format(row, 2, utc, when)?;
    }
    sheet.write_string(row, 3, &o.service_name)?;
    sheet.write_string(row, 4, &o.service_code)?;
    sheet.write_string(row, 5, crate::countries::country_name(&o.country))?;
    sheet.write_string(row, 6, &o.server)?;
    sheet.write_string(row, 7, &o.phone)?;
    // A purchase not confirmed has empty money cells: it may or may not have been paid.
    let (paid, refunded, net) = money_of(o);
    for (col, amount) in (PAID..).zip([paid, refunded, net]) {
        if let Some(amount) = amount {
            sheet.write_with_format(row, col, amount, money)?;
        }
    }
    sheet.write_string(row, 11, super::export::price_is(o))?;
    sheet.write_string(row, 12, status(o))?;
    sheet.write_string(row, 13, o.code.as_deref().unwrap_or_default())?;
    if let Some(secs) = o.seconds_to_code() {
        sheet.write_number(row, 14, u32::try_from(secs).unwrap_or(u32::MAX))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::money_format;

    #[test]
    fn amounts_show_their_currency_as_on_screen() {
        // (currency, Excel's number format)
        let rows = [
            ("₹", "\"₹\"#,##0.00"),
            ("$", "\"$\"#,##0.00"),
            ("INR", "#,##0.00 \"INR\""),
            // A quote would end Excel's literal early: dropped.
            ("\"x", "#,##0.00 \"x\""),
        ];
        for (currency, format) in rows {
            assert_eq!(money_format(currency), format, "{currency}");
        }
    }
}
