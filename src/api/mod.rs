//! The InstaOTP protocol: client, reply parsing, typed errors and their plain messages.
//! Knows nothing of the window.

pub mod active;
pub mod amount;
mod budget;
mod client;
mod error;
pub mod reply;
mod retry_after;
mod secret;
pub mod sms;
mod types;

pub use budget::{RequestBudget, Room};
#[cfg(feature = "test-support")]
pub use client::trust_test_ca;
pub use client::{Client, ClientConfig, DEFAULT_API_URL, WEBSITE, host_of, validate_api_url};
pub use error::{ApiError, DEFAULT_RATE_LIMIT_PAUSE, ProviderError};
pub use retry_after::MAX_RETRY_AFTER;
pub use secret::{ApiKey, MASK};
pub use types::{Balance, Offer, OrderStatus, Purchase, SetAction, SetStatusReply, StatusEncoding};
