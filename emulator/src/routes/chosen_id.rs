//! The optional `id` an admin seed body may carry, so a seed file can refer to what it makes
//! (a queue's codes, a conversation's queue) and a test can name it: a UUID nothing else holds,
//! else a new one.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::error::ApiError;

/// `raw` parsed as the new entity's ID (400 if not a UUID, 409 if `taken`), or a fresh one.
pub fn chosen_id(
    raw: Option<&str>,
    what: &str,
    taken: impl Fn(Uuid) -> bool,
) -> Result<Uuid, ApiError> {
    let Some(raw) = raw else {
        return Ok(Uuid::new_v4());
    };
    let id = Uuid::parse_str(raw)
        .map_err(|_| ApiError::invalid_value("id", format!("'{raw}' is not a UUID")))?;
    if taken(id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("A {what} with ID {id} already exists."),
        )
        .with_entity_id(&id.to_string()));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_id_is_a_new_one_and_a_given_one_is_checked() {
        let fresh = chosen_id(None, "queue", |_| false).expect("a new ID");
        assert_ne!(fresh, Uuid::nil());
        let given = "3f1c2d4e-0000-4000-8000-000000000001";
        assert_eq!(
            chosen_id(Some(given), "queue", |_| false)
                .expect("a free ID")
                .to_string(),
            given
        );
        let taken = chosen_id(Some(given), "queue", |_| true).expect_err("taken");
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        let bad = chosen_id(Some("q1"), "queue", |_| false).expect_err("not a UUID");
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}
