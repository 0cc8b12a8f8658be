//! Conversation media types and the names each takes in paths and models.

use serde::{Deserialize, Serialize};

/// A conversation's media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    Call,
    Callback,
    Chat,
    Cobrowse,
    Email,
    Message,
    Screenshare,
    Social,
    Video,
}

impl Media {
    /// Every media type, in path order.
    pub const ALL: [Media; 9] = [
        Media::Call,
        Media::Callback,
        Media::Chat,
        Media::Cobrowse,
        Media::Email,
        Media::Message,
        Media::Screenshare,
        Media::Social,
        Media::Video,
    ];

    /// The path segment under `/api/v2/conversations/` (`calls`, `cobrowsesessions`, ...).
    pub fn path_segment(self) -> &'static str {
        match self {
            Media::Call => "calls",
            Media::Callback => "callbacks",
            Media::Chat => "chats",
            Media::Cobrowse => "cobrowsesessions",
            Media::Email => "emails",
            Media::Message => "messages",
            Media::Screenshare => "screenshares",
            Media::Social => "socials",
            Media::Video => "videos",
        }
    }

    /// The Participant field holding this media's communications in the generic view.
    pub fn participant_field(self) -> &'static str {
        match self {
            Media::Social => "socialExpressions",
            other => other.path_segment(),
        }
    }

    /// Whether the SDK has a per-media conversation GET (and participant wrap-up reads) for it.
    pub fn has_media_views(self) -> bool {
        matches!(
            self,
            Media::Call | Media::Callback | Media::Cobrowse | Media::Email | Media::Message
        )
    }

    /// Whether the SDK reads a communication's wrap-up for it (every media but chats).
    pub fn has_communication_wrapup_read(self) -> bool {
        self != Media::Chat
    }

    /// Parses the admin API's media name: singular, plural or path form, any case.
    pub fn parse(name: &str) -> Option<Media> {
        let lower = name.to_ascii_lowercase();
        Media::ALL.into_iter().find(|m| {
            let singular = serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            singular.as_deref() == Some(lower.as_str())
                || m.path_segment() == lower
                || m.participant_field().eq_ignore_ascii_case(&lower)
                || (lower == "cobrowsesession" && *m == Media::Cobrowse)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_singular_plural_and_path_names() {
        assert_eq!(Media::parse("call"), Some(Media::Call));
        assert_eq!(Media::parse("Calls"), Some(Media::Call));
        assert_eq!(Media::parse("cobrowsesessions"), Some(Media::Cobrowse));
        assert_eq!(Media::parse("socialExpressions"), Some(Media::Social));
        assert_eq!(Media::parse("fax"), None);
    }
}
