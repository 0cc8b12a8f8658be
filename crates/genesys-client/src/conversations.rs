//! Conversations and participant wrap-up: `/api/v2/conversations/…`.

use reqwest::Method;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::media_type::MediaType;
use super::models::{
    AssignedWrapupCode, Conversation, MediaParticipantRequest, WrapupBody, WrapupCode,
};

const CONVERSATION: &str = "/api/v2/conversations/{conversationId}";
const PARTICIPANT_WRAPUP: &str =
    "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapup";
const PARTICIPANT_WRAPUP_CODES: &str =
    "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapupcodes";
const CALL_PARTICIPANT: &str =
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}";

/// The route template for `/api/v2/conversations/{media}{suffix}`, static so logs name it.
macro_rules! media_route {
    ($media:expr, $suffix:literal) => {
        match $media {
            MediaType::Calls => concat!("/api/v2/conversations/calls", $suffix),
            MediaType::Callbacks => concat!("/api/v2/conversations/callbacks", $suffix),
            MediaType::Chats => concat!("/api/v2/conversations/chats", $suffix),
            MediaType::Cobrowsesessions => {
                concat!("/api/v2/conversations/cobrowsesessions", $suffix)
            }
            MediaType::Emails => concat!("/api/v2/conversations/emails", $suffix),
            MediaType::Messages => concat!("/api/v2/conversations/messages", $suffix),
            MediaType::Screenshares => concat!("/api/v2/conversations/screenshares", $suffix),
            MediaType::Socials => concat!("/api/v2/conversations/socials", $suffix),
            MediaType::Videos => concat!("/api/v2/conversations/videos", $suffix),
        }
    };
}

/// Conversation reads and wrap-up writes; get one with [`GenesysClient::conversations`].
#[derive(Debug, Clone, Copy)]
pub struct ConversationsApi<'a> {
    client: &'a GenesysClient,
}

impl GenesysClient {
    /// Conversation reads and wrap-up writes.
    pub fn conversations(&self) -> ConversationsApi<'_> {
        ConversationsApi { client: self }
    }
}

impl ConversationsApi<'_> {
    /// A conversation with its participants and their communications.
    pub async fn get(&self, conversation_id: &str) -> Result<Conversation, ClientError> {
        self.client
            .call_json(ApiRequest::new(
                Method::GET,
                CONVERSATION,
                &[conversation_id],
            ))
            .await
    }

    /// The participant's assigned wrap-up, `None` when the platform has none (empty body).
    /// `provisional` asks for the provisional wrap-up instead of the final one.
    pub async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
        provisional: Option<bool>,
    ) -> Result<Option<AssignedWrapupCode>, ClientError> {
        let request = ApiRequest::new(
            Method::GET,
            PARTICIPANT_WRAPUP,
            &[conversation_id, participant_id],
        )
        .query_opt("provisional", provisional);
        self.client.call_json_opt(request).await
    }

    /// Like [`participant_wrapup`](Self::participant_wrapup) through the media-specific path;
    /// only media with [`MediaType::has_participant_wrapup_read`] have one.
    pub async fn media_participant_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        provisional: Option<bool>,
    ) -> Result<Option<AssignedWrapupCode>, ClientError> {
        require_wrapup_read(media)?;
        let route = media_route!(
            media,
            "/{conversationId}/participants/{participantId}/wrapup"
        );
        let request = ApiRequest::new(Method::GET, route, &[conversation_id, participant_id])
            .query_opt("provisional", provisional);
        self.client.call_json_opt(request).await
    }

    /// The wrap-up codes the participant may be given (those of its queue).
    pub async fn participant_wrapup_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Vec<WrapupCode>, ClientError> {
        let request = ApiRequest::new(
            Method::GET,
            PARTICIPANT_WRAPUP_CODES,
            &[conversation_id, participant_id],
        );
        self.client.call_json(request).await
    }

    /// Like [`participant_wrapup_codes`](Self::participant_wrapup_codes) through the
    /// media-specific path.
    pub async fn media_participant_wrapup_codes(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Vec<WrapupCode>, ClientError> {
        require_wrapup_read(media)?;
        let route = media_route!(
            media,
            "/{conversationId}/participants/{participantId}/wrapupcodes"
        );
        let request = ApiRequest::new(Method::GET, route, &[conversation_id, participant_id]);
        self.client.call_json(request).await
    }

    /// Sets the wrap-up of one communication. A POST: after a 5xx or a broken connection it
    /// is not replayed and fails with [`ClientError::Ambiguous`]; read the wrap-up back to see
    /// whether it landed.
    pub async fn set_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        communication_id: &str,
        wrapup: &WrapupBody,
    ) -> Result<(), ClientError> {
        if wrapup.code.trim().is_empty() {
            return Err(ClientError::InvalidInput(
                "wrap-up code id must not be empty".into(),
            ));
        }
        let route = media_route!(
            media,
            "/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup"
        );
        let request = ApiRequest::new(
            Method::POST,
            route,
            &[conversation_id, participant_id, communication_id],
        )
        .json(wrapup)?;
        self.client.call_empty(request).await
    }

    /// Updates a call participant (state, hold, mute, wrap-up, …). A PATCH, never replayed
    /// after the request may have been applied.
    pub async fn patch_call_participant(
        &self,
        conversation_id: &str,
        participant_id: &str,
        body: &MediaParticipantRequest,
    ) -> Result<(), ClientError> {
        let request = ApiRequest::new(
            Method::PATCH,
            CALL_PARTICIPANT,
            &[conversation_id, participant_id],
        )
        .json(body)?;
        self.client.call_empty(request).await
    }
}

fn require_wrapup_read(media: MediaType) -> Result<(), ClientError> {
    if media.has_participant_wrapup_read() {
        Ok(())
    } else {
        Err(ClientError::InvalidInput(format!(
            "the platform has no participant wrap-up read for {media}; use the generic one"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_routes_name_the_media() {
        assert_eq!(
            media_route!(MediaType::Socials, "/{conversationId}/x"),
            "/api/v2/conversations/socials/{conversationId}/x"
        );
        for media in MediaType::ALL {
            let route = media_route!(media, "");
            assert!(route.ends_with(media.path_segment()), "{route}");
        }
    }
}
