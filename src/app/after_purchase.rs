//! What follows a purchase outcome, decided as a plain function: which row goes where, what is
//! said, what is shown and what is asked next. `Session::purchased` runs the steps in order; the
//! table below has every row.

/// How the outcome of a purchase is told, by what it was bought for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Telling {
    /// A purchase of its own: said, and Orders shown.
    Alone,
    /// One of a run of several: the run says how it went at its end; Orders shown.
    InRun,
    /// A replacement, bought in the background: the replacement says it, and the person stays
    /// where they are.
    Replacement,
}

/// What the purchase came to, as far as what follows is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Came {
    Bought,
    /// Refused in words (or never left); `stock`: for stock or price, so another server may
    /// have the number.
    Refused {
        stock: bool,
    },
    /// No clear answer: the number may have been sold.
    Unclear,
    /// The attempt could not be written first, so nothing was asked.
    NotSent,
}

/// Whether the run tries the next best server by itself after a refusal for stock or price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// Tries are left: the run says how it went, once, at its end.
    On,
    Off,
}

/// One thing to do after a purchase, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// What the failure says about reaching the provider is noted (the status line).
    NoteReachability,
    /// The order goes on top, pointed out; the next balance read may tell what it cost.
    AddBought,
    /// The attempt row stays in the history, "not bought".
    KeepNotBought,
    /// The attempt stays on top, "not confirmed", pointed out; the open orders are looked at
    /// soon (the provider may list the sale a moment later).
    KeepNotConfirmed,
    SayBought,
    /// The refusal, in words, with the provider's reply where it was not understood.
    SayRefused,
    /// With the refusal: the best other server for the same service and country, one click
    /// from its confirmation.
    OfferNextBest,
    SayNotSent,
    ShowOrders,
    /// The balance changed, or may have: always read again.
    RefreshBalance,
}

/// The steps after a purchase that `came` to this, told as `telling` says.
pub(crate) fn after_purchase(came: Came, telling: Telling, fallback: Fallback) -> Vec<Step> {
    use Step::{
        AddBought, KeepNotBought, KeepNotConfirmed, NoteReachability, OfferNextBest,
        RefreshBalance, SayBought, SayNotSent, SayRefused, ShowOrders,
    };
    let alone = telling == Telling::Alone;
    let mut steps = match came {
        Came::Bought => {
            let mut steps = vec![AddBought];
            if alone {
                steps.push(SayBought);
            }
            if telling != Telling::Replacement {
                steps.push(ShowOrders);
            }
            steps
        }
        Came::Refused { stock } => {
            let mut steps = vec![NoteReachability, KeepNotBought];
            // Trying the next best by itself: no button to buy another server as well.
            let trying_on = stock && fallback == Fallback::On;
            if alone && !trying_on {
                steps.push(SayRefused);
                if stock {
                    steps.push(OfferNextBest);
                }
            }
            steps
        }
        // Not a passing message: a card at the top of Orders until it is resolved.
        Came::Unclear => vec![NoteReachability, KeepNotConfirmed, ShowOrders],
        Came::NotSent => vec![SayNotSent],
    };
    steps.push(RefreshBalance);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    /// Every outcome, every way of telling it, with and without the automatic next best.
    #[test]
    #[allow(clippy::too_many_lines)] // one row per outcome, as rustfmt lays them out
    fn every_purchase_outcome_row() {
        use Fallback::{Off, On};
        use Telling::{Alone, InRun, Replacement};
        let stock = Came::Refused { stock: true };
        let other = Came::Refused { stock: false };
        let rows: Vec<(Came, Telling, Fallback, Vec<Step>)> = vec![
            (
                Came::Bought,
                Alone,
                Off,
                vec![AddBought, SayBought, ShowOrders, RefreshBalance],
            ),
            (
                Came::Bought,
                InRun,
                Off,
                vec![AddBought, ShowOrders, RefreshBalance],
            ),
            (
                Came::Bought,
                InRun,
                On,
                vec![AddBought, ShowOrders, RefreshBalance],
            ),
            // A replacement comes in the background: the person stays where they are.
            (
                Came::Bought,
                Replacement,
                Off,
                vec![AddBought, RefreshBalance],
            ),
            (
                stock,
                Alone,
                Off,
                vec![
                    NoteReachability,
                    KeepNotBought,
                    SayRefused,
                    OfferNextBest,
                    RefreshBalance,
                ],
            ),
            (
                stock,
                Alone,
                On,
                vec![NoteReachability, KeepNotBought, RefreshBalance],
            ),
            (
                other,
                Alone,
                Off,
                vec![NoteReachability, KeepNotBought, SayRefused, RefreshBalance],
            ),
            // Not for stock: the run has nothing to try next; it stops and says it.
            (
                other,
                Alone,
                On,
                vec![NoteReachability, KeepNotBought, SayRefused, RefreshBalance],
            ),
            (
                stock,
                InRun,
                Off,
                vec![NoteReachability, KeepNotBought, RefreshBalance],
            ),
            (
                other,
                Replacement,
                Off,
                vec![NoteReachability, KeepNotBought, RefreshBalance],
            ),
            (
                Came::Unclear,
                Alone,
                Off,
                vec![
                    NoteReachability,
                    KeepNotConfirmed,
                    ShowOrders,
                    RefreshBalance,
                ],
            ),
            (
                Came::Unclear,
                Replacement,
                Off,
                vec![
                    NoteReachability,
                    KeepNotConfirmed,
                    ShowOrders,
                    RefreshBalance,
                ],
            ),
            (Came::NotSent, Alone, Off, vec![SayNotSent, RefreshBalance]),
            (Came::NotSent, InRun, On, vec![SayNotSent, RefreshBalance]),
        ];
        for (came, telling, fallback, want) in rows {
            assert_eq!(
                after_purchase(came, telling, fallback),
                want,
                "{came:?} told {telling:?}, fallback {fallback:?}"
            );
        }
    }

    /// Money truth in every row: the balance is always read again, only a sale adds an order,
    /// and an unclear one is always a card in Orders.
    #[test]
    fn no_outcome_is_lost_and_only_a_sale_adds_an_order() {
        let comes = [
            Came::Bought,
            Came::Refused { stock: true },
            Came::Refused { stock: false },
            Came::Unclear,
            Came::NotSent,
        ];
        let tellings = [Telling::Alone, Telling::InRun, Telling::Replacement];
        for came in comes {
            for telling in tellings {
                for fallback in [Fallback::On, Fallback::Off] {
                    let steps = after_purchase(came, telling, fallback);
                    assert_eq!(steps.last(), Some(&RefreshBalance), "{came:?}");
                    assert_eq!(steps.contains(&AddBought), came == Came::Bought);
                    if came == Came::Unclear {
                        assert!(steps.contains(&KeepNotConfirmed) && steps.contains(&ShowOrders));
                    }
                }
            }
        }
    }
}
