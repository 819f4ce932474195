//! An order's id where it travels far from its order (commands, jobs, events): a type of its
//! own, so it cannot be mixed up with a phone, a service code or any other string.

use std::borrow::Borrow;

/// The id InstaOTP gave an order, or the id of a purchase attempt (`ATTEMPT_PREFIX`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderId(String);

impl OrderId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for OrderId {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}

impl From<&String> for OrderId {
    fn from(id: &String) -> Self {
        Self::new(id.as_str())
    }
}

impl AsRef<str> for OrderId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for OrderId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for OrderId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for OrderId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<OrderId> for String {
    fn eq(&self, other: &OrderId) -> bool {
        *self == other.0
    }
}

impl std::ops::Deref for OrderId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}
