//! The delivery record on screen: the Services table's Delivery cell and "was …" price, the
//! sentence in the buy confirmation, "Show best value first", and the history's table per
//! service. Everything shown was computed off the frame (`orders::delivery`, `offers`).

use crate::api::Offer;
use crate::app::Session;
use crate::app::describe;
use crate::offers::OfferDelivery;
use crate::orders::delivery::ServiceRecord;
use crate::text;

/// The Delivery cell: "11/12 · 40 s" (greyed when the orders are over 30 days old or the offer
/// is sold out), then "best value" when it is.
pub fn delivery_cell_ui(ui: &mut egui::Ui, delivery: &OfferDelivery, sold_out: bool) {
    let stale = delivery.record.is_some_and(|r| !r.fresh);
    let cell = describe::delivery_cell(delivery.record.as_ref());
    let none = delivery.record.is_none_or(|r| r.orders == 0);
    let rect = super::services::cell_text_ui(ui, &cell, stale || sold_out || none);
    // The cell in words, where the pointer is.
    let hint = match delivery.record.filter(|r| r.orders > 0) {
        Some(r) => describe::delivery_words(&r),
        None => text::NO_RECORD_YET_HINT.to_owned(),
    };
    ui.interact(
        rect,
        ui.scope_id().with("delivery_hint"),
        egui::Sense::hover(),
    )
    .on_hover_text(hint);
    if delivery.best_value {
        let color = if ui.visuals().dark_mode {
            egui::Color32::from_rgb(110, 200, 120)
        } else {
            egui::Color32::from_rgb(20, 120, 40)
        };
        let font = egui::TextStyle::Body.resolve(ui.style());
        let galley = ui
            .painter()
            .layout_no_wrap(format!(" ✔ {}", text::BEST_VALUE), font, color);
        let (_, rect) = ui.allocate_space(galley.size());
        ui.painter().galley(rect.min, galley, color);
    }
}

/// The price cell's text: the price, and for a favourite whose price went up since it was last
/// bought, "· was 3.12".
pub fn price_text(
    offer: &Offer,
    currency: &text::Currency,
    delivery: &OfferDelivery,
    favourite: bool,
) -> String {
    let price = describe::price(offer, currency);
    match delivery.was(offer.price).filter(|_| favourite) {
        Some(last) => format!("{price} · {}", text::price_was(last)),
        None => price,
    }
}

/// The accessible description's part for the delivery record and a favourite's older price.
pub fn spoken(offer: &Offer, delivery: &OfferDelivery, favourite: bool) -> String {
    let mut spoken = describe::delivery_spoken(delivery);
    if let Some(last) = delivery.was(offer.price).filter(|_| favourite) {
        spoken.push_str(", ");
        spoken.push_str(&text::price_was(last));
    }
    spoken
}

/// The buy confirmation's sentence about how often this server delivered a code.
pub fn delivery_sentence_ui(ui: &mut egui::Ui, session: &Session, offer: &Offer) {
    let delivery = session.offers().delivery_of(offer);
    if let Some(sentence) = describe::delivery_sentence(&offer.server, &delivery) {
        ui.add_space(4.0);
        ui.label(sentence);
    }
}

/// "Show best value first", next to the pickers.
pub fn best_first_ui(ui: &mut egui::Ui, best_first: &mut bool) {
    ui.checkbox(best_first, text::SHOW_BEST_VALUE_FIRST)
        .on_hover_text(text::BEST_VALUE_HINT);
}

/// The history's figures per service for the period chosen above it.
pub fn history_delivery_ui(ui: &mut egui::Ui, records: &[ServiceRecord]) {
    egui::CollapsingHeader::new(text::DELIVERY_BY_SERVICE)
        .default_open(true)
        .show(ui, |ui| {
            if records.is_empty() {
                ui.label(text::NO_DELIVERY_IN_PERIOD);
                return;
            }
            egui::Grid::new("delivery_by_service")
                .striped(true)
                .num_columns(4)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for title in text::DELIVERY_TABLE_TITLES {
                        ui.label(egui::RichText::new(title).strong());
                    }
                    ui.end_row();
                    for r in records {
                        ui.label(&r.service);
                        ui.label(r.orders.to_string());
                        ui.label(text::got_code_share(r.got_code, r.orders));
                        ui.label(r.median_secs.map_or("—".to_owned(), text::duration));
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::delivery::Record;
    use rust_decimal::Decimal;

    fn record(got: u32, orders: u32, median: Option<u64>, fresh: bool) -> Record {
        Record {
            orders,
            got_code: got,
            median_secs: median,
            newest: 0,
            fresh,
        }
    }

    #[test]
    fn the_cell_and_the_sentence_say_the_figures() {
        let r = record(11, 12, Some(40), true);
        assert_eq!(describe::delivery_cell(Some(&r)), "11/12 · 40 s");
        assert_eq!(
            describe::delivery_cell(Some(&record(0, 5, None, true))),
            "0/5"
        );
        // A few numbers count too: two without a code say so.
        assert_eq!(
            describe::delivery_cell(Some(&record(2, 2, Some(9), true))),
            "2/2 · 9 s"
        );
        assert_eq!(
            describe::delivery_cell(Some(&record(0, 2, None, true))),
            "0/2"
        );
        assert_eq!(describe::delivery_cell(None), "no record yet");
        assert_eq!(
            describe::delivery_cell(Some(&record(3, 4, Some(300), true))),
            "3/4 · 5 min"
        );
        let d = OfferDelivery {
            record: Some(r),
            best_value: false,
            last_paid: None,
        };
        assert_eq!(
            describe::delivery_sentence("3", &d).as_deref(),
            Some(
                "Last 30 days on server 3: 11 of 12 numbers got a code, usually within 40 seconds."
            )
        );
        let stale = OfferDelivery {
            record: Some(record(11, 12, Some(40), false)),
            ..d
        };
        assert!(
            describe::delivery_sentence("3", &stale)
                .unwrap()
                .starts_with("More than 30 days ago on server 3: 11 of 12")
        );
        assert_eq!(
            describe::delivery_sentence("3", &OfferDelivery::default()),
            None
        );
    }

    #[test]
    fn a_favourite_says_what_it_cost_when_the_price_went_up() {
        let offer = Offer {
            server: "1".into(),
            service_code: "wa".into(),
            name: "WhatsApp".into(),
            price: Decimal::new(350, 2),
            price_sent: None,
            qty: 3,
            country: "22".into(),
            provider: "1".into(),
        };
        let currency = text::Currency::new(None, "₹");
        let paid = |cents| OfferDelivery {
            last_paid: Some(Decimal::new(cents, 2)),
            ..OfferDelivery::default()
        };
        assert_eq!(
            price_text(&offer, &currency, &paid(312), true),
            "₹3.50 · was 3.12"
        );
        assert_eq!(price_text(&offer, &currency, &paid(312), false), "₹3.50");
        assert_eq!(price_text(&offer, &currency, &paid(350), true), "₹3.50");
        assert_eq!(price_text(&offer, &currency, &paid(400), true), "₹3.50");
        assert_eq!(spoken(&offer, &paid(312), true), ", was 3.12");
    }
}
