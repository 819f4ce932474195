//! The history: which closed orders a filter keeps, their totals, and calendar dates in the
//! user's time zone. Computed when the orders or the filter change, not in every frame.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rust_decimal::Decimal;

use super::{Millis, Order, OrderState};

/// Which purchase dates the history shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    All,
    LastDay,
    LastWeek,
    LastMonth,
    /// From the start of `from` to the end of `to`, both calendar days in the user's time zone.
    Between {
        from: Date,
        to: Date,
    },
}

impl Period {
    /// The times `[start, end)` this period keeps, in epoch milliseconds.
    fn window(self, now: Millis, tz: &TimeZone) -> (Option<Millis>, Option<Millis>) {
        const DAY: Millis = 86_400_000;
        match self {
            Self::All => (None, None),
            Self::LastDay => (Some(now - DAY), None),
            Self::LastWeek => (Some(now - 7 * DAY), None),
            Self::LastMonth => (Some(now - 30 * DAY), None),
            Self::Between { from, to } => {
                let (from, to) = if from <= to { (from, to) } else { (to, from) };
                (
                    Some(start_of_day(from, tz)),
                    to.checked_add(1.day()).ok().map(|d| start_of_day(d, tz)),
                )
            }
        }
    }
}

/// The first moment of `day` in `tz` (the far past for a day out of range).
pub fn start_of_day(day: Date, tz: &TimeZone) -> Millis {
    day.to_zoned(tz.clone())
        .map_or(Millis::MIN, |z| z.timestamp().as_millisecond())
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryFilter {
    /// Part of the service name or code, any case.
    pub search: String,
    pub state: Option<OrderState>,
    pub period: Period,
}

/// The closed orders a filter keeps (indices into the order list, newest first) and their totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryView {
    pub rows: Vec<usize>,
    /// Bought and not refunded.
    pub spent: Decimal,
    /// Refunded, as the provider confirmed.
    pub refunded: Decimal,
    /// Purchases not confirmed yet (shown as cards above, counted apart).
    pub not_confirmed: Decimal,
    /// The delivery record per service over the orders the search and period keep (whatever
    /// the status filter).
    pub delivery: Vec<super::delivery::ServiceRecord>,
}

impl HistoryView {
    pub fn new(orders: &[Order], filter: &HistoryFilter, now: Millis, tz: &TimeZone) -> Self {
        let needle = filter.search.trim().to_lowercase();
        let (start, end) = filter.period.window(now, tz);
        let mut view = Self::default();
        let mut delivery = super::delivery::ServiceTally::default();
        for (i, o) in orders.iter().enumerate() {
            let matches = (needle.is_empty()
                || o.service_name.to_lowercase().contains(&needle)
                || o.service_code.to_lowercase().contains(&needle))
                && start.is_none_or(|t| o.bought_at >= t)
                && end.is_none_or(|t| o.bought_at < t);
            if !matches {
                continue;
            }
            delivery.add(o);
            if o.state == OrderState::NotConfirmed {
                add(&mut view.not_confirmed, o.charge());
            }
            if o.is_active() || filter.state.is_some_and(|s| o.state != s) {
                continue;
            }
            view.rows.push(i);
            if o.state.refunded() {
                add(&mut view.refunded, o.charge());
            } else if o.state != OrderState::NotBought {
                add(&mut view.spent, o.charge());
            }
        }
        view.delivery = delivery.finish();
        view
    }
}

/// Adds to a total; a sum beyond `Decimal`'s range stays at its largest rather than panicking.
fn add(total: &mut Decimal, amount: Decimal) {
    *total = total.checked_add(amount).unwrap_or(Decimal::MAX);
}

/// The user's time zone (UTC when the system does not say).
pub fn local_time_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// "2026-11-30 14:05" in `tz`.
pub fn date_time(ms: Millis, tz: &TimeZone) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// "14:05" in `tz`.
pub fn time_of_day(ms: Millis, tz: &TimeZone) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M").to_string())
        .unwrap_or_default()
}

/// `14:05` for a time today, `2026-11-29 14:05` for an earlier day.
pub fn short_time(ms: Millis, now: Millis, tz: &TimeZone) -> String {
    if day_of(ms, tz) == day_of(now, tz) {
        time_of_day(ms, tz)
    } else {
        date_time(ms, tz)
    }
}

/// The calendar day of `ms` in `tz`.
pub fn day_of(ms: Millis, tz: &TimeZone) -> Date {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz.clone()).date())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: &str, name: &str, bought_at: Millis, state: OrderState) -> Order {
        let mut o = crate::orders::test_support::order(id, name, bought_at);
        o.price = Decimal::new(1050, 2);
        if state.is_final() {
            o.close(state, bought_at + 1);
        }
        o
    }

    fn ms(s: &str) -> Millis {
        s.parse::<Timestamp>()
            .map(|t| t.as_millisecond())
            .unwrap_or_default()
    }

    #[test]
    fn between_dates_keeps_whole_days_in_the_users_time_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(5));
        let orders = vec![
            // 2026-11-10 23:30 at UTC+5: before the range.
            order(
                "a",
                "WhatsApp",
                ms("2026-11-10T18:30:00Z"),
                OrderState::Finished,
            ),
            // 2026-11-11 00:10 at UTC+5 (still the 10th in UTC): first minute of the range.
            order(
                "b",
                "WhatsApp",
                ms("2026-11-10T19:10:00Z"),
                OrderState::Cancelled,
            ),
            // 2026-11-12 23:59 at UTC+5: last minute of the range.
            order(
                "c",
                "Telegram",
                ms("2026-11-12T18:59:00Z"),
                OrderState::Expired,
            ),
            // 2026-11-13 00:00 at UTC+5: after it.
            order(
                "d",
                "Telegram",
                ms("2026-11-12T19:00:00Z"),
                OrderState::Finished,
            ),
            order(
                "e",
                "Telegram",
                ms("2026-11-11T10:00:00Z"),
                OrderState::Waiting,
            ),
        ];
        let filter = HistoryFilter {
            period: Period::Between {
                from: jiff::civil::date(2026, 11, 11),
                to: jiff::civil::date(2026, 11, 12),
            },
            ..Default::default()
        };
        let view = HistoryView::new(&orders, &filter, ms("2026-11-30T00:00:00Z"), &tz);
        assert_eq!(view.rows, vec![1, 2], "active order e is not history");
        assert_eq!(view.spent, Decimal::ZERO);
        assert_eq!(view.refunded, "21.00".parse().unwrap_or_default());

        // The dates given the wrong way round mean the same range.
        let swapped = HistoryFilter {
            period: Period::Between {
                from: jiff::civil::date(2026, 11, 12),
                to: jiff::civil::date(2026, 11, 11),
            },
            ..Default::default()
        };
        assert_eq!(HistoryView::new(&orders, &swapped, 0, &tz).rows, vec![1, 2]);
    }

    #[test]
    fn search_state_and_recent_periods_combine() {
        let tz = TimeZone::UTC;
        let now = ms("2026-11-30T12:00:00Z");
        let orders = vec![
            order("a", "WhatsApp", now - 3_600_000, OrderState::Finished),
            order("b", "WhatsApp", now - 3 * 86_400_000, OrderState::Finished),
            order("c", "Telegram", now - 3_600_000, OrderState::Cancelled),
            order("d", "WhatsApp", now - 40 * 86_400_000, OrderState::Finished),
        ];
        let view = |search: &str, state, period| {
            let f = HistoryFilter {
                search: search.into(),
                state,
                period,
            };
            HistoryView::new(&orders, &f, now, &tz).rows
        };
        assert_eq!(view("", None, Period::All), vec![0, 1, 2, 3]);
        assert_eq!(view("WHATS", None, Period::LastDay), vec![0]);
        assert_eq!(view("whatsapp", None, Period::LastWeek), vec![0, 1]);
        assert_eq!(view("", None, Period::LastMonth), vec![0, 1, 2]);
        assert_eq!(view("", Some(OrderState::Cancelled), Period::All), vec![2]);
        let all = HistoryView::new(&orders, &HistoryFilter::default(), now, &tz);
        assert_eq!(all.spent, "31.50".parse().unwrap_or_default());
        assert_eq!(all.refunded, "10.50".parse().unwrap_or_default());
    }

    #[test]
    fn dates_are_shown_in_the_users_time_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(5));
        let t = ms("2026-11-10T19:10:00Z");
        assert_eq!(date_time(t, &tz), "2026-11-11 00:10");
        assert_eq!(date_time(t, &TimeZone::UTC), "2026-11-10 19:10");
        assert_eq!(day_of(t, &tz), jiff::civil::date(2026, 11, 11));
    }
}
