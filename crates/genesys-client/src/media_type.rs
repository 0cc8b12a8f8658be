//! Conversation media types and their path segments.

use std::fmt;
use std::str::FromStr;

/// A conversation media type as it appears in `/api/v2/conversations/{media}/…` paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Calls,
    Callbacks,
    /// Legacy chats: SDK 269 no longer has `/conversations/chats/…` endpoints.
    Chats,
    Cobrowsesessions,
    Emails,
    Messages,
    Screenshares,
    /// Social expressions (`socialExpressions` on participants).
    Socials,
    Videos,
}

impl MediaType {
    /// Every media type, in a stable order.
    pub const ALL: [MediaType; 9] = [
        MediaType::Calls,
        MediaType::Callbacks,
        MediaType::Chats,
        MediaType::Cobrowsesessions,
        MediaType::Emails,
        MediaType::Messages,
        MediaType::Screenshares,
        MediaType::Socials,
        MediaType::Videos,
    ];

    /// The URL path segment, e.g. `calls`.
    pub fn path_segment(self) -> &'static str {
        match self {
            MediaType::Calls => "calls",
            MediaType::Callbacks => "callbacks",
            MediaType::Chats => "chats",
            MediaType::Cobrowsesessions => "cobrowsesessions",
            MediaType::Emails => "emails",
            MediaType::Messages => "messages",
            MediaType::Screenshares => "screenshares",
            MediaType::Socials => "socials",
            MediaType::Videos => "videos",
        }
    }

    /// Whether the platform has per-media participant wrap-up reads
    /// (`GET /conversations/{media}/{id}/participants/{pid}/wrapup` and `…/wrapupcodes`).
    pub fn has_participant_wrapup_read(self) -> bool {
        matches!(
            self,
            MediaType::Calls
                | MediaType::Callbacks
                | MediaType::Cobrowsesessions
                | MediaType::Emails
                | MediaType::Messages
        )
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path_segment())
    }
}

/// A media type name that is not one of [`MediaType::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown media type {0:?}; expected one of calls, callbacks, chats, cobrowsesessions, emails, messages, screenshares, socials, videos"
)]
pub struct UnknownMediaType(pub String);

impl FromStr for MediaType {
    type Err = UnknownMediaType;

    /// Parses the path segment (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MediaType::ALL
            .iter()
            .copied()
            .find(|m| m.path_segment().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownMediaType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_round_trip() {
        for media in MediaType::ALL {
            assert_eq!(media.path_segment().parse::<MediaType>(), Ok(media));
        }
        assert!("faxes".parse::<MediaType>().is_err());
    }
}
