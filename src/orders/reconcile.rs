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

/// What the account's open orders say of the purchases not confirmed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reconciled {
    /// Attempts followed as an open order at once: the single order that fits them, which fits
    /// no other attempt. `(attempt id, the order as a purchase)`.
    pub adopt: Vec<(String, Purchase)>,
    /// Attempts the person settles: several open orders fit, or the one that fits could be
    /// another attempt's. Other desks and the website buy on the same account, so none of
    /// these is taken without the person saying which, if any, is theirs.
    pub choose: Vec<(String, Vec<ActiveActivation>)>,
}

/// Whether this desk's key may be used by someone else as well (other desks, the website).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// Only this desk buys with it (the person said so, and nothing seen says otherwise).
    OnlyHere,
    /// Others may buy with it: an open order or a balance move may be theirs.
    Shared,
}

impl KeyUse {
    /// From the setting "this key is used only here" and what was seen: open orders of the
    /// account this app did not buy.
    pub fn of(only_here_setting: bool, seen_elsewhere: bool) -> Self {
        if only_here_setting && !seen_elsewhere {
            Self::OnlyHere
        } else {
            Self::Shared
        }
    }
}

/// How an order id for a purchase attempt was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// The person typed or pasted it.
    Person,
    /// The only fitting order in the account's list of open orders.
    OpenOrders,
}

/// Matches the findable attempts with the open orders the app does not follow yet. An open
/// order fits an attempt when it has the same service and country (the phone's dialling code
/// where known), about the same cost and was bought at about the same time; see [`Reconciled`]
/// for what is taken and what is left to the person.
/// With a `Shared` key (other desks, the website), nothing is taken by itself: even a single
/// fitting order may be another buyer's, so the person says.
pub fn match_attempts<'a>(
    attempts: impl IntoIterator<Item = &'a Order>,
    active: &[ActiveActivation],
    followed: &HashSet<&str>,
    key: KeyUse,
) -> Reconciled {
    let mut attempts: Vec<&Order> = attempts.into_iter().collect();
    attempts.sort_by_key(|a| a.bought_at);
    let candidates: Vec<(&Order, Vec<&ActiveActivation>)> = attempts
        .into_iter()
        .map(|attempt| {
            let fitting = active
                .iter()
                .filter(|act| !followed.contains(act.order_id.as_str()))
                .filter(|act| fits(attempt, act))
                .collect();
            (attempt, fitting)
        })
        .collect();
    let claimed_by = |id: &str| {
        candidates
            .iter()
            .filter(|(_, fitting)| fitting.iter().any(|act| act.order_id == id))
            .count()
    };
    let mut out = Reconciled::default();
    for (attempt, fitting) in &candidates {
        match fitting.as_slice() {
            [] => {}
            [only] if key == KeyUse::OnlyHere && claimed_by(&only.order_id) == 1 => {
                if let Some(phone) = &only.phone {
                    out.adopt.push((
                        attempt.order_id.clone(),
                        Purchase {
                            order_id: only.order_id.clone(),
                            phone: phone.clone(),
                        },
                    ));
                }
            }
            several => out.choose.push((
                attempt.order_id.clone(),
                several.iter().map(|act| (*act).clone()).collect(),
            )),
        }
    }
    out
}

/// A cost this far from the attempt's price (either way, as a share of it) is another purchase:
/// prices move during the day, but not by half.
fn cost_fits(cost: Option<rust_decimal::Decimal>, price: rust_decimal::Decimal) -> bool {
    cost.is_none_or(|cost| {
        let half = price / rust_decimal::Decimal::TWO;
        cost >= price - half && cost <= price + half
    })
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
    same_service && same_country && phone_fits && time_fits && cost_fits(act.cost, attempt.price)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_key_is_only_here_when_the_person_says_so_and_nothing_seen_says_otherwise() {
        let rows = [
            (true, false, KeyUse::OnlyHere),
            (true, true, KeyUse::Shared),
            (false, false, KeyUse::Shared),
            (false, true, KeyUse::Shared),
        ];
        for (setting, seen, want) in rows {
            assert_eq!(KeyUse::of(setting, seen), want, "{setting} {seen}");
        }
    }
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

    /// (attempt, order adopted) and (attempt, the orders it may be).
    type Ids = (Vec<(String, String)>, Vec<(String, Vec<String>)>);

    fn ids(r: &Reconciled) -> Ids {
        (
            r.adopt
                .iter()
                .map(|(a, p)| (a.clone(), p.order_id.clone()))
                .collect(),
            r.choose
                .iter()
                .map(|(a, list)| (a.clone(), list.iter().map(|x| x.order_id.clone()).collect()))
                .collect(),
        )
    }

    fn costing(mut act: ActiveActivation, cost: &str) -> ActiveActivation {
        act.cost = Some(cost.parse().unwrap());
        act
    }

    /// Every row: the account's open orders → (adopted at once, left to the person).
    #[test]
    #[allow(clippy::too_many_lines)] // one table
    fn only_the_single_order_that_fits_and_fits_no_other_purchase_is_taken() {
        let a = attempt("wa", "22", T);
        let b = attempt("wa", "22", T + 60_000);
        let other_service = active("1", "tg", "919000000001", Some("22"), Some(T));
        let other_country = active("2", "wa", "79000000002", Some("0"), Some(T));
        let hours_later = active(
            "3",
            "wa",
            "919000000003",
            Some("22"),
            Some(T + 3 * 3_600_000),
        );
        let fits_a = active("4", "wa", "919000000004", Some("22"), Some(T + 2_000));
        let desk_two = active("5", "wa", "919000000005", Some("22"), Some(T + 20_000));
        let wrong_prefix = active("6", "wa", "+449000000006", None, None);
        let no_time = active("9", "wa", "919000000009", Some("22"), None);
        let dearer = costing(
            active("10", "wa", "919000000010", Some("22"), Some(T)),
            "99.00",
        );
        let moved = costing(
            active("11", "wa", "919000000011", Some("22"), Some(T)),
            "14.00",
        );
        type Row<'r> = (
            &'r str,
            Vec<&'r Order>,
            Vec<ActiveActivation>,
            Vec<(&'r str, &'r str)>,
            Vec<(&'r str, Vec<&'r str>)>,
        );
        let (ai, bi) = (a.order_id.as_str(), b.order_id.as_str());
        let rows: Vec<Row<'_>> = vec![
            (
                "one that fits",
                vec![&a],
                vec![
                    other_service.clone(),
                    other_country.clone(),
                    hours_later.clone(),
                    fits_a.clone(),
                ],
                vec![(ai, "4")],
                vec![],
            ),
            (
                "nothing fits",
                vec![&a],
                vec![other_service.clone(), wrong_prefix.clone()],
                vec![],
                vec![],
            ),
            (
                "a second desk bought the same",
                vec![&a],
                vec![fits_a.clone(), desk_two.clone()],
                vec![],
                vec![(ai, vec!["4", "5"])],
            ),
            (
                "one order, two purchases",
                vec![&a, &b],
                vec![no_time.clone()],
                vec![],
                vec![(ai, vec!["9"]), (bi, vec!["9"])],
            ),
            (
                "two orders, two purchases",
                vec![&b, &a],
                vec![desk_two.clone(), fits_a.clone()],
                vec![],
                vec![(ai, vec!["5", "4"]), (bi, vec!["5", "4"])],
            ),
            (
                "a cost that is another offer's",
                vec![&a],
                vec![dearer.clone()],
                vec![],
                vec![],
            ),
            (
                "a price that moved a little",
                vec![&a],
                vec![moved.clone()],
                vec![(ai, "11")],
                vec![],
            ),
        ];
        for (what, attempts, list, adopt, choose) in rows {
            let got = ids(&match_attempts(
                attempts,
                &list,
                &HashSet::new(),
                KeyUse::OnlyHere,
            ));
            let want = (
                adopt
                    .iter()
                    .map(|(a, o)| ((*a).to_owned(), (*o).to_owned()))
                    .collect::<Vec<_>>(),
                choose
                    .iter()
                    .map(|(a, l)| ((*a).to_owned(), l.iter().map(|x| (*x).to_owned()).collect()))
                    .collect::<Vec<_>>(),
            );
            assert_eq!(got, want, "{what}");
        }
        // A key that may be used elsewhere: even the single fitting order is the person's to say.
        let shared = ids(&match_attempts(
            [&a],
            std::slice::from_ref(&fits_a),
            &HashSet::new(),
            KeyUse::Shared,
        ));
        assert_eq!(
            shared,
            (vec![], vec![(ai.to_owned(), vec!["4".to_owned()])])
        );
        // An order the app follows already is nobody's candidate.
        let followed: HashSet<&str> = ["4"].into_iter().collect();
        assert_eq!(
            match_attempts(
                [&a],
                std::slice::from_ref(&fits_a),
                &followed,
                KeyUse::OnlyHere
            ),
            Reconciled::default()
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
