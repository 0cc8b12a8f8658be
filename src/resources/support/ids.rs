//! The forms of identifiers the platform uses, checked before anything is sent.

/// True for the canonical 8-4-4-4-12 hex UUID form the platform uses for IDs.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_check_accepts_only_the_canonical_form() {
        assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_uuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6"));
        assert!(!is_uuid("3fa85f6457174562b3fc2c963f66afa6"));
        assert!(!is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa"));
        assert!(!is_uuid("zfa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(!is_uuid(""));
    }
}
