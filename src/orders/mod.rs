//! Orders: the model, its storage.

pub mod account;
mod book;
pub mod delivery;
pub mod evidence;
pub mod export;
pub mod export_xlsx;
pub mod history;
mod id;
mod model;
pub mod outcome;
pub mod purchase;
pub mod reconcile;
mod schema;
mod store;
#[cfg(test)]
pub(crate) mod test_support;
mod writer;

pub use book::OrderBook;
pub use id::OrderId;
pub use model::{
    ATTEMPT_PREFIX, Millis, Order, OrderState, likely_code, now_millis, plausible_order_id,
};
pub use store::{Loaded, OrderStore, StoreError};
pub use writer::OrderWriter;
