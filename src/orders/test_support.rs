//! Orders for unit tests: one place that knows how to make one.

use super::{Millis, Order};
use crate::api::{Offer, Purchase};

/// An order bought at `bought_at` from a 12.50 offer in India; tests change the fields they need.
pub fn order(id: &str, name: &str, bought_at: Millis) -> Order {
    let offer = Offer {
        server: "1".into(),
        service_code: name.to_lowercase(),
        name: name.into(),
        price: rust_decimal::Decimal::new(1250, 2),
        price_sent: None,
        qty: 1,
        country: "22".into(),
        provider: "1".into(),
    };
    let purchase = Purchase {
        order_id: id.into(),
        phone: "+919876543210".into(),
    };
    Order::new(&offer, purchase, bought_at)
}

/// A purchase attempt (not confirmed) of `name` asked for at `at`, from the same offer.
pub fn attempt(name: &str, at: Millis) -> Order {
    let offer = Offer::from(&order("x", name, at));
    Order::attempt(&offer, at, None)
}
