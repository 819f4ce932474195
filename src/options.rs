//! The command line: `--api-url URL` (or `INSTAOTP_API_URL`), `--demo`, `--data-dir DIR`.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub api_url: Option<String>,
    pub demo: bool,
    pub data_dir: PathBuf,
}

pub const USAGE: &str = "usage: instaotp-desktop [--demo] [--api-url URL] [--data-dir DIR]";

impl Options {
    /// Parses the arguments (without the program name). `env_api_url` is `INSTAOTP_API_URL`.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env_api_url: Option<String>,
    ) -> Result<Self, String> {
        let mut api_url = env_api_url.filter(|u| !u.trim().is_empty());
        let mut demo = false;
        let mut data_dir = None;
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
                    .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
            };
            match name.as_str() {
                "--api-url" => api_url = Some(value()?),
                "--data-dir" => data_dir = Some(PathBuf::from(value()?)),
                "--demo" => demo = true,
                "-h" | "--help" => return Err(USAGE.to_owned()),
                _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
            }
        }
        Ok(Self {
            api_url,
            demo,
            data_dir: data_dir.unwrap_or_else(default_data_dir),
        })
    }
}

/// The per-user data folder (`~/.local/share/instaotp-desktop` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("in", "InstaOTP", "instaotp-desktop")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("instaotp-desktop-data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: Option<&str>) -> Result<Options, String> {
        Options::parse(args.iter().map(|s| s.to_string()), env.map(str::to_owned))
    }

    #[test]
    fn flags_and_env() {
        let o = parse(
            &[
                "--demo",
                "--data-dir",
                "/tmp/x",
                "--api-url=http://127.0.0.1:9/a",
            ],
            Some("https://env"),
        )
        .unwrap();
        assert!(o.demo);
        assert_eq!(o.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(o.api_url.as_deref(), Some("http://127.0.0.1:9/a"));
        let o = parse(&[], Some("https://env.example/api")).unwrap();
        assert_eq!(o.api_url.as_deref(), Some("https://env.example/api"));
        assert!(!o.demo);
        assert!(parse(&["--api-url"], None).is_err());
        assert!(parse(&["--bogus"], None).is_err());
    }
}
