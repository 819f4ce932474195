//! One purchase, the money step: the attempt row is written before the request leaves, the
//! reply settles the row before anything else, and the request is never repeated. It runs on
//! the worker and knows no screen.

use std::path::PathBuf;

use crate::api::{ApiError, Client, Offer};

use super::outcome::{PurchaseVerdict, purchase_verdict};
use super::{Order, OrderState, OrderStore, StoreError, now_millis};

/// How a purchase ended, as far as this computer can tell.
#[derive(Debug)]
pub enum PurchaseResult {
    /// The provider sold this number; the attempt row became this order.
    Bought(Box<Order>),
    /// The provider clearly refused: nothing was bought.
    Refused(ApiError),
    /// No clear answer: the number may have been sold. The attempt stays "not confirmed".
    Unclear(ApiError),
    /// The attempt could not be written first, so nothing was asked.
    NotSent(StoreError),
}

#[derive(Debug)]
pub struct PurchaseOutcome {
    pub offer: Offer,
    /// The attempt row as it was left: "not bought", "not confirmed", or replaced by the order.
    pub attempt: Order,
    pub result: PurchaseResult,
    /// The database the attempt and the order were written to.
    pub store_path: PathBuf,
    /// The outcome could not be written (the attempt row is on disk and says "not confirmed").
    pub store_error: Option<StoreError>,
}

/// Buys `offer` once: writes `attempt` (`Order::attempt`), sends `getNumber` at most the listed
/// price where the provider takes a limit, and writes what the reply means. A lost reply or a
/// killed app leaves a "not confirmed" row, never nothing.
pub async fn buy_once(
    client: Client,
    store: OrderStore,
    offer: Offer,
    attempt: Order,
) -> PurchaseOutcome {
    let store_path = store.path().to_path_buf();
    let mut attempt = attempt;
    if let Err(e) = save_now(store.clone(), attempt.clone()).await {
        attempt.close(OrderState::NotBought, now_millis());
        return PurchaseOutcome {
            offer,
            attempt,
            result: PurchaseResult::NotSent(e),
            store_path,
            store_error: None,
        };
    }
    let reply = client
        // Never more than the list showed, where the provider takes such a limit.
        .buy_at_most(
            &offer.service_code,
            &offer.country,
            &offer.server,
            Some(offer.price),
        )
        .await;
    let (result, store_error) = settle_purchase(store, &mut attempt, reply).await;
    PurchaseOutcome {
        offer,
        attempt,
        result,
        store_path,
        store_error,
    }
}

/// Writes what the purchase reply means for the attempt: the order in its place, "not bought",
/// or "not confirmed" with the reply kept.
async fn settle_purchase(
    store: OrderStore,
    attempt: &mut Order,
    reply: Result<crate::api::Purchase, ApiError>,
) -> (PurchaseResult, Option<StoreError>) {
    let verdict = purchase_verdict(&reply);
    match (reply, verdict) {
        (Ok(purchase), _) => {
            let order = attempt.adopted(purchase);
            match replace_now(store, attempt.order_id.clone(), order.clone()).await {
                Ok(kept) => (PurchaseResult::Bought(Box::new(kept)), None),
                // Bought all the same: followed, and the person told it was not saved.
                Err(e) => (PurchaseResult::Bought(Box::new(order)), Some(e)),
            }
        }
        (Err(e), PurchaseVerdict::NotBought) => {
            attempt.close(OrderState::NotBought, now_millis());
            let saved = save_now(store, attempt.clone()).await;
            (PurchaseResult::Refused(e), saved.err())
        }
        (Err(e), _) => {
            attempt.raw_reply = e.raw_reply();
            let saved = save_now(store, attempt.clone()).await;
            (PurchaseResult::Unclear(e), saved.err())
        }
    }
}

pub async fn replace_now(
    store: OrderStore,
    old_id: String,
    order: Order,
) -> Result<Order, StoreError> {
    match tokio::task::spawn_blocking(move || store.replace(&old_id, &order)).await {
        Ok(saved) => saved,
        Err(join) => Err(StoreError::Folder(std::io::Error::other(join.to_string()))),
    }
}

/// Writes one order on the blocking pool and waits for it.
async fn save_now(store: OrderStore, order: Order) -> Result<(), StoreError> {
    match tokio::task::spawn_blocking(move || store.save(&order)).await {
        Ok(saved) => saved,
        Err(join) => Err(StoreError::Folder(std::io::Error::other(join.to_string()))),
    }
}
