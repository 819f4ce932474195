//! The command line: `--api-url URL` (or `INSTAOTP_API_URL`), `--demo`, `--data-dir DIR`,
//! `--help`, `--version`.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub api_url: Option<String>,
    pub demo: bool,
    pub data_dir: PathBuf,
    /// The keychain entry's service name; only tests change it, so they never touch the key a
    /// person saved.
    pub keychain_service: Option<String>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Run(Options),
    Help,
    Version,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OptionsError {
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("unknown argument {0}")]
    Unknown(String),
}

pub const USAGE: &str = "usage: instaotp-desktop [--demo] [--api-url URL] [--data-dir DIR]

  --demo           start in the demo: a pretend InstaOTP, no account, no money spent
  --api-url URL    the InstaOTP API address (also INSTAOTP_API_URL)
  --data-dir DIR   where settings, orders and logs are kept
  --help           print this help
  --version        print the version";

impl Invocation {
    /// Parses the arguments (without the program name). `env_api_url` is `INSTAOTP_API_URL`.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env_api_url: Option<String>,
    ) -> Result<Self, OptionsError> {
        let mut api_url = env_api_url.filter(|u| !u.trim().is_empty());
        let mut demo = false;
        let mut data_dir = None;
        let mut keychain_service = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| OptionsError::MissingValue(name.clone()))
            };
            match name.as_str() {
                "--api-url" => api_url = Some(value()?),
                "--data-dir" => data_dir = Some(PathBuf::from(value()?)),
                "--keychain-service" => keychain_service = Some(value()?),
                "--demo" => demo = true,
                "-h" | "--help" => return Ok(Self::Help),
                "-V" | "--version" => return Ok(Self::Version),
                _ => return Err(OptionsError::Unknown(arg)),
            }
        }
        Ok(Self::Run(Options {
            api_url,
            demo,
            data_dir: data_dir.unwrap_or_else(default_data_dir),
            keychain_service,
        }))
    }
}

/// The per-user data folder: `~/.local/share/instaotp-desktop` on Linux, the local (not
/// roaming) app-data folder on Windows (orders and logs belong to this computer; a roaming profile
/// would copy the database between machines), Application Support on macOS.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("in", "InstaOTP", "instaotp-desktop")
        .map(|d| d.data_local_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("instaotp-desktop-data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: Option<&str>) -> Result<Invocation, OptionsError> {
        Invocation::parse(args.iter().map(|s| s.to_string()), env.map(str::to_owned))
    }

    fn run(args: &[&str], env: Option<&str>) -> Options {
        match parse(args, env) {
            Ok(Invocation::Run(o)) => o,
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn flags_and_env() {
        let o = run(
            &[
                "--demo",
                "--data-dir",
                "/tmp/x",
                "--api-url=http://127.0.0.1:9/a",
            ],
            Some("https://env"),
        );
        assert!(o.demo);
        assert_eq!(o.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(o.api_url.as_deref(), Some("http://127.0.0.1:9/a"));
        assert_eq!(o.keychain_service, None);
        let o = run(&[], Some("https://env.example/api"));
        assert_eq!(o.api_url.as_deref(), Some("https://env.example/api"));
        assert!(!o.demo);
        assert_eq!(
            parse(&["--api-url"], None),
            Err(OptionsError::MissingValue("--api-url".into()))
        );
        assert_eq!(
            parse(&["--bogus"], None),
            Err(OptionsError::Unknown("--bogus".into()))
        );
        assert_eq!(parse(&["--help"], None), Ok(Invocation::Help));
        assert_eq!(parse(&["--version"], None), Ok(Invocation::Version));
    }
}
