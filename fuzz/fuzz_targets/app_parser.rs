//! The app's own reply-parser files, compiled into the fuzzer without the rest of the app.

#[path = "../../src/api/amount.rs"]
pub mod amount;
#[path = "../../src/api/error.rs"]
pub mod error;
#[path = "../../src/api/reply.rs"]
pub mod reply;
#[path = "../../src/api/retry_after.rs"]
pub mod retry_after;
#[path = "../../src/api/types.rs"]
pub mod types;
