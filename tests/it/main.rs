//! The integration tests, in one binary so the app and its window stack are linked once. Tests
//! that must run alone (they set the process-wide logger or move the process-wide clocks, or
//! drive a real desktop session) keep their own binaries beside this folder.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod batched_polling;
mod buying;
mod chaos;
mod client_sim;
mod closed_elsewhere;
mod database;
mod delivery;
mod fault_matrix;
mod feed_server;
mod hostile_input;
mod keyboard;
mod layout;
mod messages;
mod next_best;
mod open_orders;
mod order_lifecycle;
mod orders;
mod providers;
mod purchase_truth;
mod repaint_budget;
mod services;
mod session;
mod shell;
mod update_install;
mod updates;
