//! Small vocabularies the app acts on and its sentences (`text`) name: kept here, below both, so
//! `text` formats them without importing the app.

/// What was put on the clipboard, to say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Number,
    NumberWithoutCountryCode,
    Code,
}

/// How a message reads: a confirmation fades, a warning or a problem stays until dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Warning,
    Error,
}

impl MessageKind {
    /// A confirmation: it fades. Warnings and errors stay until dismissed.
    pub fn fades(self) -> bool {
        matches!(self, Self::Info | Self::Success)
    }
}

/// Why no replacement is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReplacement {
    AllUsed,
    NoServer,
    OverLimit,
}
