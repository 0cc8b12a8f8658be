//! A wrap-up code platform in memory for the unit tests, whose create answers can be lost
//! after the code was stored, refused unanswered, or hidden from search for a while; updates
//! keep names unique and fail with 404 for a code that is gone.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use super::safe_create::same_name;
use crate::platform::Origin;
use crate::resources::support::{
    ApiFailure, PlatformError, WrapupCodeFields, WrapupCodeRecord, WrapupCodeStore,
};

/// A platform whose create answers can be lost after the code was stored.
#[derive(Default)]
pub(super) struct FakePlatform {
    pub(super) codes: Mutex<Vec<WrapupCodeRecord>>,
    pub(super) lose_answers: AtomicUsize,
    pub(super) refuse_unanswered: AtomicUsize,
    pub(super) hide_new_codes: AtomicUsize,
    pub(super) posts: AtomicUsize,
    /// A code another writer creates at the moment the first POST arrives.
    pub(super) outsider_at_first_post: Mutex<Option<WrapupCodeRecord>>,
}

/// The OAuth client the fake records as `createdBy` of the codes its POSTs create.
pub(super) const WRITER: &str = "terraform-client";

#[async_trait]
impl WrapupCodeStore for FakePlatform {
    async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        Ok(self.codes.lock().unwrap().clone())
    }
    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        let needle = name.to_lowercase();
        if self.hide_new_codes.load(Ordering::SeqCst) > 0 {
            self.hide_new_codes.fetch_sub(1, Ordering::SeqCst);
            return Ok(Vec::new());
        }
        Ok(self
            .codes
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.name.to_lowercase().contains(&needle))
            .cloned()
            .collect())
    }
    async fn list_filtered(
        &self,
        _name: Option<&str>,
        _division_id: Option<&str>,
    ) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        self.list_all().await
    }
    async fn get(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        Ok(self
            .codes
            .lock()
            .unwrap()
            .iter()
            .find(|c| c.id == id)
            .cloned())
    }
    async fn create(&self, input: &WrapupCodeFields) -> Result<WrapupCodeRecord, PlatformError> {
        let n = self.posts.fetch_add(1, Ordering::SeqCst);
        if let Some(outsider) = self.outsider_at_first_post.lock().unwrap().take() {
            self.codes.lock().unwrap().push(outsider);
        }
        if self.refuse_unanswered.load(Ordering::SeqCst) > n {
            return Err(PlatformError::Ambiguous("503 from the gateway".into()));
        }
        let mut codes = self.codes.lock().unwrap();
        if codes.iter().any(|c| same_name(&c.name, &input.name)) {
            return Err(duplicate());
        }
        let created = WrapupCodeRecord {
            origin: Origin {
                created_by: Some(WRITER.into()),
                date_created: Some(now()),
            },
            ..code(&format!("id-{n}"), &input.name, None)
        };
        codes.push(created.clone());
        if self.lose_answers.load(Ordering::SeqCst) > n {
            return Err(PlatformError::Ambiguous("connection reset".into()));
        }
        Ok(created)
    }
    async fn update(
        &self,
        id: &str,
        input: &WrapupCodeFields,
    ) -> Result<WrapupCodeRecord, PlatformError> {
        let mut codes = self.codes.lock().unwrap();
        if codes
            .iter()
            .any(|c| c.id != id && same_name(&c.name, &input.name))
        {
            return Err(duplicate());
        }
        let Some(stored) = codes.iter_mut().find(|c| c.id == id) else {
            return Err(PlatformError::NotFound(ApiFailure {
                status: Some(404),
                message: format!("wrap-up code {id} not found"),
                ..ApiFailure::default()
            }));
        };
        stored.name = input.name.clone();
        stored.description = input.description.clone();
        Ok(stored.clone())
    }
    async fn delete(&self, _id: &str) -> Result<bool, PlatformError> {
        unreachable!("not used by these tests")
    }
    async fn home_division_id(&self) -> Result<String, PlatformError> {
        Ok("d0000000-0000-0000-0000-000000000000".into())
    }
}

pub(super) fn code(id: &str, name: &str, description: Option<&str>) -> WrapupCodeRecord {
    WrapupCodeRecord {
        id: id.into(),
        name: name.into(),
        division_id: Some("d0000000-0000-0000-0000-000000000000".into()),
        description: description.map(str::to_owned),
        origin: Origin::default(),
    }
}

/// A code `writer` created at `date_created` (ISO-8601).
pub(super) fn made_by(id: &str, name: &str, writer: &str, date_created: &str) -> WrapupCodeRecord {
    WrapupCodeRecord {
        origin: Origin {
            created_by: Some(writer.into()),
            date_created: Some(date_created.into()),
        },
        ..code(id, name, None)
    }
}

/// Now, as the platform writes dates.
pub(super) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formatting the current UTC time cannot fail")
}

pub(super) fn input(name: &str) -> WrapupCodeFields {
    WrapupCodeFields {
        name: name.into(),
        division_id: None,
        description: None,
    }
}

/// The platform's answer to a name another code holds.
fn duplicate() -> PlatformError {
    PlatformError::Conflict(ApiFailure {
        status: Some(409),
        message: "duplicate".into(),
        ..ApiFailure::default()
    })
}
