//! Runs the protocol simulator on its own, for staging, screenshots and crash tests:
//!
//!     cargo run --example simulator -- [--offers N] [--code-secs S] [--lock-secs S] [--key KEY]
//!                                        [--lose-first-purchase] [--unusual-price]
//!                                        [--sms-as-text TEXT] [--second-provider]
//!
//! `--lose-first-purchase`: the first purchase is made (money charged), then its reply is lost,
//! as a "not confirmed" purchase looks to the app. `--unusual-price`: one more offer ("Odd Price
//! Shop") whose price is negative, as a broken catalogue may send it. `--sms-as-text TEXT`: every
//! status asked is answered with TEXT, as a reseller that sends the SMS without `STATUS_OK:` does.
//! `--second-provider`: another provider of the protocol (`sim::ProviderProfile::second`: its own
//! prices and stock, a 60 s cancel lock), with the account of `--key`.
//!
//! Prints the API address on the first line, then serves until killed.

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

use std::time::Duration;

use instaotp_desktop::sim::{SimConfig, Simulator, generated_catalogue};

fn main() {
    let mut config = SimConfig::default();
    let mut lose_first_purchase = false;
    let mut unusual_price = false;
    let mut sms_as_text = None;
    let mut second_provider = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--lose-first-purchase" {
            lose_first_purchase = true;
            continue;
        }
        if arg == "--second-provider" {
            second_provider = true;
            continue;
        }
        if arg == "--unusual-price" {
            unusual_price = true;
            continue;
        }
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--offers" => config.offers = generated_catalogue(value.parse().unwrap_or(300)),
            "--code-secs" => config.code_delay = value.parse().ok().map(Duration::from_secs),
            "--lock-secs" => config.cancel_lock = Duration::from_secs(value.parse().unwrap_or(120)),
            "--key" => config.accounts = vec![(value, rust_decimal::Decimal::new(100_000, 2))],
            "--sms-as-text" => sms_as_text = Some(value),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    if unusual_price {
        config.offers.push(instaotp_desktop::sim::SimOffer {
            server: "1".into(),
            id: "op".into(),
            name: "Odd Price Shop".into(),
            price: rust_decimal::Decimal::new(-500, 2),
            qty: 10,
            country: "22".into(),
            provider: "1".into(),
        });
    }
    let started = if second_provider {
        let key = config
            .accounts
            .first()
            .map_or("second-key".to_owned(), |a| a.0.clone());
        let mut profile = instaotp_desktop::sim::ProviderProfile::second(&key);
        profile.config.code_delay = config.code_delay;
        Simulator::start_provider(profile)
    } else {
        Simulator::start(config)
    };
    match started {
        Ok(sim) => {
            if lose_first_purchase {
                sim.fault_once(
                    "getNumber",
                    instaotp_desktop::sim::Fault::DropAfterProcessing,
                );
            }
            if let Some(body) = sms_as_text {
                let reply = instaotp_desktop::sim::Fault::Reply { status: 200, body };
                sim.set_fault("getStatus", Some(reply));
            }
            println!("{}", sim.url());
            loop {
                std::thread::sleep(Duration::from_secs(3600));
                let _ = &sim;
            }
        }
        Err(e) => {
            eprintln!("simulator could not start: {e}");
            std::process::exit(1);
        }
    }
}
