//! Matches purchases that got no clear answer ("not confirmed") with the open orders the provider
//! lists (`getActiveActivations`), so a number that was sold while its reply was lost is found
//! without the person looking it up.

use std::collections::HashSet;

use super::{Millis, Order, OrderState};
use crate::api::Purchase;
use crate::api::active::ActiveActivation;

/// How far the provider's purchase time may be from the attempt's (clocks of two computers).
const TIME_TOLERANCE_MS: u64 = 5 * 60 * 1000;

/// The attempts that may still be found among open orders: not confirmed, and young enough that
/// the order, if sold, is still open (`open_for_ms`: the order's lifetime and a grace period).
pub fn findable(order: &Order, now: Millis, open_for_ms: Millis) -> bool {
    order.state == OrderState::NotConfirmed
        && order.is_attempt()
        && now.saturating_sub(order.bought_at) <= open_for_ms
}

/// Pairs each findable attempt, oldest first, with the open order that fits it best: an order
/// the app does not follow yet, of the same service, of the attempt's country (its code and the
/// phone's dialling code where known), bought at about the same time. Each open order is used
/// once. Returns `(attempt id, the order as a purchase)`.
pub fn match_attempts<'a>(
    attempts: impl IntoIterator<Item = &'a Order>,
    active: &[ActiveActivation],
    followed: &HashSet<&str>,
) -> Vec<(String, Purchase)> {
    let mut attempts: Vec<&Order> = attempts.into_iter().collect();
    attempts.sort_by_key(|a| a.bought_at);
    let mut used: HashSet<&str> = HashSet::new();
    let mut found = Vec::new();
    for attempt in attempts {
        let best = active
            .iter()
            .filter(|act| {
                !followed.contains(act.order_id.as_str()) && !used.contains(act.order_id.as_str())
            })
            .filter(|act| fits(attempt, act))
            .min_by_key(|act| {
                // Nearest in time first (no time: last), then the oldest id.
                let distance = act
                    .bought_at
                    .map_or(u64::MAX, |t| t.abs_diff(attempt.bought_at));
                (distance, act.order_id.len(), act.order_id.clone())
            });
        if let Some(act) = best {
            used.insert(act.order_id.as_str());
            if let Some(phone) = &act.phone {
                found.push((
                    attempt.order_id.clone(),
                    Purchase {
                        order_id: act.order_id.clone(),
                        phone: phone.clone(),
                    },
                ));
            }
        }
    }
    found
}

fn fits(attempt: &Order, act: &ActiveActivation) -> bool {
    let same_service = act
        .service_code
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(&attempt.service_code));
    let same_country = act
        .country
        .as_deref()
        .is_none_or(|c| c.trim().eq_ignore_ascii_case(attempt.country.trim()));
    let phone_fits = match (
        &act.phone,
        crate::countries::dialling_code(&attempt.country),
    ) {
        (None, _) => false,
        (Some(phone), Some(code)) => phone.trim().trim_start_matches('+').starts_with(code),
        (Some(_), None) => true,
    };
    let time_fits = act
        .bought_at
        .is_none_or(|t| t.abs_diff(attempt.bought_at) <= TIME_TOLERANCE_MS);
    same_service && same_country && phone_fits && time_fits
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::Offer;

    const T: Millis = 1_795_000_000_000;

    fn attempt(service: &str, country: &str, at: Millis) -> Order {
        let mut offer = Offer::from(&crate::orders::test_support::order("x", service, at));
        offer.country = country.into();
        Order::attempt(&offer, at, None)
    }

    fn active(
        id: &str,
        service: &str,
        phone: &str,
        country: Option<&str>,
        at: Option<Millis>,
    ) -> ActiveActivation {
        ActiveActivation {
            order_id: id.into(),
            service_code: Some(service.into()),
            phone: Some(phone.into()),
            country: country.map(Into::into),
            cost: None,
            sms_code: None,
            sms_text: None,
            bought_at: at,
        }
    }

    #[test]
    fn the_open_order_of_the_same_service_country_and_time_is_found() {
        let a = attempt("wa", "22", T);
        let list = [
            active("1", "tg", "919000000001", Some("22"), Some(T)),
            active("2", "wa", "79000000002", Some("0"), Some(T)),
            active(
                "3",
                "wa",
                "919000000003",
                Some("22"),
                Some(T + 3 * 3_600_000),
            ),
            active("4", "wa", "919000000004", Some("22"), Some(T + 2_000)),
        ];
        let found = match_attempts([&a], &list, &HashSet::new());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, a.order_id);
        assert_eq!(found[0].1.order_id, "4");
        assert_eq!(found[0].1.phone, "919000000004");
    }

    #[test]
    fn an_order_already_followed_or_with_the_wrong_phone_prefix_is_not_taken() {
        let a = attempt("wa", "22", T);
        let list = [
            active("5", "wa", "919000000005", Some("22"), Some(T)),
            active("6", "wa", "+449000000006", None, None),
        ];
        let followed: HashSet<&str> = ["5"].into_iter().collect();
        assert!(match_attempts([&a], &list, &followed).is_empty());
    }

    #[test]
    fn two_attempts_take_two_orders_nearest_in_time_and_never_one_twice() {
        let first = attempt("wa", "22", T);
        let second = attempt("wa", "22", T + 60_000);
        let list = [
            active("8", "wa", "919000000008", Some("22"), Some(T + 61_000)),
            active("7", "wa", "919000000007", Some("22"), Some(T + 1_000)),
        ];
        let found = match_attempts([&second, &first], &list, &HashSet::new());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], (first.order_id.clone(), found[0].1.clone()));
        assert_eq!(found[0].1.order_id, "7");
        assert_eq!(found[1].1.order_id, "8");
        let one = [active("9", "wa", "919000000009", Some("22"), None)];
        assert_eq!(
            match_attempts([&first, &second], &one, &HashSet::new()).len(),
            1
        );
    }

    #[test]
    fn only_young_not_confirmed_attempts_are_looked_for() {
        let a = attempt("wa", "22", T);
        assert!(findable(&a, T + 1_000, 30 * 60_000));
        assert!(!findable(&a, T + 31 * 60_000, 30 * 60_000));
        let mut closed = a.clone();
        closed.state = OrderState::NotBought;
        assert!(!findable(&closed, T + 1_000, 30 * 60_000));
    }
}
