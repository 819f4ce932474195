//! The InstaOTP protocol: client, reply parsing, typed errors and their plain messages.
//! Knows nothing of the window.

mod client;
mod error;
pub mod reply;
mod secret;
mod types;

pub use client::{Client, ClientConfig, DEFAULT_API_URL, WEBSITE, validate_api_url};
pub use error::{ApiError, ProviderError};
pub use secret::{ApiKey, MASK};
pub use types::{Balance, Offer, OrderStatus, Purchase, SetAction, SetStatusReply, StatusEncoding};
