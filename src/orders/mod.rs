//! Orders: the model, its storage.

pub mod export;
mod model;
mod store;

pub use model::{Millis, Order, OrderState, now_millis};
pub use store::{OrderStore, StoreError};
