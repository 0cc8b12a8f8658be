//! Whether a code that already holds a name may be taken over, and what to tell the user when
//! it may not: the code's ID, its stored name, and the exact `terraform import` command and
//! `import {}` block that adopt it.
//!
//! Terraform never tells a provider a resource's address (no tfplugin6 request carries it), so
//! the advice writes `genesyscloud_routing_wrapupcode.<label>` and says where to find the
//! address: Terraform prints it with the diagnostic (`with genesyscloud_routing_wrapupcode.…`).

use time::OffsetDateTime;

use super::schema::ALL_DIVISIONS;
use super::{TYPE_NAME, WrapupCodeModel, input_from};
use crate::platform::{NameClaim, WrapupCodeCatalog};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::{WrapupCodeFields, WrapupCodeRecord};
use tfplugin_framework::Diagnostics;
use tfplugin_framework::attr_path;

/// How far the platform's clock may run behind ours when `dateCreated` is compared with the
/// moment the first POST was sent.
const CLOCK_ALLOWANCE: time::Duration = time::Duration::seconds(1);

/// What to do about `code`, which holds the name `planned` wants: adopt it, with the warning
/// to show, when `creating`, `adopt_identical_wrapup_codes` is on, no other resource of this
/// run holds it, and it equals `planned` in every attribute and was made by this OAuth client;
/// else the error naming it, with the import advice.
pub(super) async fn held_name(
    codes: &WrapupCodeCatalog,
    planned: &WrapupCodeModel,
    code: WrapupCodeRecord,
    creating: bool,
) -> Result<(WrapupCodeRecord, Diagnostics), Diagnostics> {
    let input = input_from(planned)?;
    let managed = codes.is_managed(&code.id);
    let home = codes.home_division_id().await;
    let identical = difference(&code, &input, home.as_deref()).is_none();
    let ours = not_ours(&code, codes.policy().writer.as_deref(), None).is_none();
    if creating && !managed && identical && ours && codes.policy().adopt_identical {
        tracing::info!(id = %code.id, "adopting an identical wrap-up code this client made");
        let warning = adopting(&code);
        return Ok((code, warning));
    }
    Err(name_taken(&input.name, &code, identical && ours, managed))
}

/// The code a plan chose to adopt (its ID is the planned `id`), checked again at apply: it
/// must still exist, equal the plan and be this OAuth client's.
pub(super) async fn adopt_planned(
    codes: &WrapupCodeCatalog,
    id: &str,
    input: &WrapupCodeFields,
) -> Result<WrapupCodeRecord, Diagnostics> {
    let found = codes
        .api()
        .get(id)
        .await
        .map_err(|error| error.diagnostics(&format!("read wrap-up code {id} to adopt it")))?;
    let why = match &found {
        None => Some("it no longer exists".to_owned()),
        Some(code) => difference(code, input, None)
            .or_else(|| not_ours(code, codes.policy().writer.as_deref(), None))
            .or_else(|| {
                (!codes.policy().adopt_identical)
                    .then(|| "`adopt_identical_wrapup_codes` is off".to_owned())
            }),
    };
    match (found, why) {
        (Some(code), None) => Ok(code),
        (_, why) => Err(changed_since_plan(id, &why.unwrap_or_default())),
    }
}

/// The error when the code a plan adopted no longer qualifies at apply (`why` says how).
fn changed_since_plan(id: &str, why: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_error(
        attr_path!(WrapupCodeModel.name),
        "Wrap-up code to adopt changed since the plan",
        format!(
            "The plan adopted wrap-up code {id}, but {why}, so it is not adopted and nothing \
             was created. Run `terraform plan` again."
        ),
    );
    diagnostics
}

/// The `terraform import` command and `import {}` block that adopt code `id`.
pub(super) fn import_advice(id: &str) -> String {
    format!(
        "To manage it with this resource, import it:\n  terraform import \
         {TYPE_NAME}.<label> {id}\nor add an import block:\n  import {{\n    to = \
         {TYPE_NAME}.<label>\n    id = \"{id}\"\n  }}\nwhere {TYPE_NAME}.<label> is this \
         resource's address as Terraform shows it with this message (with its index, e.g. \
         `[3]` or `[\"key\"]`, under count or for_each): Terraform does not tell providers \
         resource addresses."
    )
}

/// Why `code` is not the one described by `input`, or `None` when it equals it in every
/// attribute: exact name, description (none and `""` are the same) and division (when
/// `input` names none, what the platform may choose: `home`, when known, or `*`).
pub(super) fn difference(
    code: &WrapupCodeRecord,
    input: &WrapupCodeFields,
    home: Option<&str>,
) -> Option<String> {
    if code.name != input.name {
        return Some(format!("its name is {:?}, not {:?}", code.name, input.name));
    }
    let wanted = input.description.as_deref().filter(|text| !text.is_empty());
    if code.description.as_deref() != wanted {
        return Some(format!(
            "its description is {:?}, not {:?}",
            code.description.as_deref().unwrap_or(""),
            wanted.unwrap_or("")
        ));
    }
    // Unset, the division is the platform's choice: the home division or all divisions.
    let choices: Vec<&str> = match input.division_id.as_deref() {
        Some(division) => vec![division],
        None => home.into_iter().chain([ALL_DIVISIONS]).collect(),
    };
    let held = code.division_id.as_deref();
    if held.is_some_and(|held| choices.contains(&held)) {
        return None;
    }
    Some(format!(
        "it is in division {}, not {}",
        held.unwrap_or("(none reported)"),
        choices.join(" or ")
    ))
}

/// Why `code` is not provably made by `writer` (this process's OAuth client) at or after
/// `since` (when given), or `None` when it is. Without a known writer (a bare access token)
/// nothing is provable.
pub(super) fn not_ours(
    code: &WrapupCodeRecord,
    writer: Option<&str>,
    since: Option<OffsetDateTime>,
) -> Option<String> {
    let Some(writer) = writer else {
        return Some(
            "the provider authenticates with an access token, so it cannot tell which OAuth \
             client created the code"
                .into(),
        );
    };
    match code.origin.created_by.as_deref() {
        Some(creator) if creator == writer => {}
        Some(creator) => {
            return Some(format!(
                "it was created by {creator}, not by this OAuth client ({writer})"
            ));
        }
        None => return Some("the platform does not say who created it".into()),
    }
    let since = since?;
    match code.origin.created_at() {
        Some(created) if created + CLOCK_ALLOWANCE >= since => None,
        Some(_) => Some(format!(
            "it was created at {}, before this create sent its first request",
            code.origin.date_created.as_deref().unwrap_or("?")
        )),
        None => Some("the platform does not say when it was created".into()),
    }
}

/// `who created it, when` for messages.
fn origin_note(code: &WrapupCodeRecord) -> String {
    match (&code.origin.created_by, &code.origin.date_created) {
        (Some(by), Some(at)) => format!(", created by {by} at {at}"),
        (Some(by), None) => format!(", created by {by}"),
        (None, Some(at)) => format!(", created at {at}"),
        (None, None) => String::new(),
    }
}

/// The error for a name held by a code outside this resource's state. `identical_ours` says
/// whether the code equals this configuration and was made by this OAuth client (the mark of
/// a code a killed apply left behind); `managed` whether another resource of this
/// configuration holds it.
pub(super) fn name_taken(
    name: &str,
    code: &WrapupCodeRecord,
    identical_ours: bool,
    managed: bool,
) -> Diagnostics {
    let id = &code.id;
    let stored = &code.name;
    let origin = origin_note(code);
    let detail = if managed {
        format!(
            "The name {name:?} is held by wrap-up code {id} (stored as {stored:?}), which \
             another resource of this configuration manages. Names are unique in the org, \
             ignoring case, so two resources cannot both have it: give one of them another \
             name. If that resource is being renamed away from {stored:?}, apply the rename \
             first, then this one."
        )
    } else if identical_ours {
        format!(
            "A wrap-up code named {stored:?} already exists (id {id}{origin}) and is not in \
             this resource's state. It equals this configuration in every attribute and was \
             created by this provider's OAuth client: most likely an apply that was killed \
             before Terraform could record it. {}\nOr set `adopt_identical_wrapup_codes = \
             true` in the provider block (or GENESYSCLOUD_ADOPT_IDENTICAL_WRAPUP_CODES=true) \
             so that plan and apply adopt such codes, saying so with a warning.",
            import_advice(id)
        )
    } else {
        format!(
            "A wrap-up code named {stored:?} already exists in Genesys Cloud (id {id}{origin}) \
             and is not in this resource's state. Names are unique in the org, ignoring case, \
             so it cannot be created again. If another resource of this configuration has \
             this name too, give one of them another name. {}\nOr choose another name.",
            import_advice(id)
        )
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_error(
        attr_path!(WrapupCodeModel.name),
        "Wrap-up code name already in use",
        detail,
    );
    diagnostics
}

/// The error for two planned codes of this configuration with one name (exact or differing
/// only in case). `stored` is the code that holds the name on the platform, if one does.
pub(super) fn duplicate_name(
    name: &str,
    rivals: &[NameClaim],
    stored: Option<&WrapupCodeRecord>,
) -> Diagnostics {
    let others: Vec<String> = rivals
        .iter()
        .map(|rival| match &rival.id {
            Some(id) => format!("{:?} (code {id})", rival.name),
            None => format!("{:?} (to be created)", rival.name),
        })
        .collect();
    let held = match stored {
        Some(code) => format!(
            " The platform holds the name as {:?} (code {}).",
            code.name, code.id
        ),
        None => String::new(),
    };
    let case_note = if rivals.iter().all(|rival| rival.name == name) {
        ""
    } else {
        " (names differing only in case are the same name to Genesys Cloud)"
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_error(
        attr_path!(WrapupCodeModel.name),
        "Two wrap-up codes in this configuration have the same name",
        format!(
            "This resource's name {name:?} is also the name of another \
             {TYPE_NAME} in this configuration: {}{case_note}. Wrap-up code names are unique \
             in the org, ignoring case, so only one of them could be created. Give each \
             resource its own name.{held} Terraform does not tell providers resource \
             addresses; Terraform shows each resource's address with its own message.",
            others.join(", ")
        ),
    );
    diagnostics
}

/// The warning for a create that adopts `code` instead of creating it.
pub(super) fn adopting(code: &WrapupCodeRecord) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_warning(
        attr_path!(WrapupCodeModel.name),
        "Adopting an existing wrap-up code",
        format!(
            "Wrap-up code {:?} (id {}{}) already exists, equals this configuration in every \
             attribute and was created by this provider's OAuth client, so with \
             `adopt_identical_wrapup_codes` on, this resource takes it over instead of \
             creating it: the apply records it in state and sends no create.",
            code.name,
            code.id,
            origin_note(code)
        ),
    );
    diagnostics
}

/// The error for a create whose answer was lost while the name ended up held by a code that is
/// not provably the one this create made.
pub(super) fn not_adopted(code: &WrapupCodeRecord, why: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_error(
        attr_path!(WrapupCodeModel.name),
        "Wrap-up code create not confirmed",
        format!(
            "The answer to this create was lost, and the name is now held by wrap-up code {} \
             (stored as {:?}{}), but {why}, so it is not provably the code this create made \
             and is not adopted: another writer may have made it. Check it in Genesys Cloud. \
             {}",
            code.id,
            code.name,
            origin_note(code),
            import_advice(&code.id)
        ),
    );
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::super::fake::code;
    use super::*;
    use crate::platform::Origin;

    fn ours(at: &str) -> WrapupCodeRecord {
        WrapupCodeRecord {
            origin: Origin {
                created_by: Some("me".into()),
                date_created: Some(at.into()),
            },
            ..code("c", "Sale", None)
        }
    }

    fn at(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    }

    #[test]
    fn a_code_changed_since_the_plan_is_explained_in_one_sentence() {
        let diagnostics = changed_since_plan("c-1", "it no longer exists");
        let [diagnostic] = diagnostics.0.as_slice() else {
            panic!("one diagnostic: {diagnostics:?}");
        };
        assert_eq!(
            diagnostic.detail,
            "The plan adopted wrap-up code c-1, but it no longer exists, so it is not adopted \
             and nothing was created. Run `terraform plan` again."
        );
    }

    #[test]
    fn only_a_code_this_client_made_after_the_post_is_ours() {
        let since = Some(at("2026-12-02T01:00:00.000Z"));
        assert_eq!(
            not_ours(&ours("2026-12-02T01:00:00.500Z"), Some("me"), since),
            None
        );
        assert_eq!(
            not_ours(&ours("2026-12-02T00:59:59.500Z"), Some("me"), since),
            None
        );
        assert!(
            not_ours(&ours("2026-12-02T00:59:58.000Z"), Some("me"), since)
                .unwrap()
                .contains("before this create")
        );
        assert!(
            not_ours(&ours("2026-12-02T01:00:01.000Z"), Some("other"), since)
                .unwrap()
                .contains("created by me, not by this OAuth client (other)")
        );
        assert!(not_ours(&ours("2026-12-02T01:00:01.000Z"), None, since).is_some());
        assert!(not_ours(&code("c", "Sale", None), Some("me"), since).is_some());
        assert!(not_ours(&ours("not a date"), Some("me"), since).is_some());
        assert_eq!(
            not_ours(&ours("2020-01-01T00:00:00Z"), Some("me"), None),
            None
        );
    }

    #[test]
    fn every_attribute_must_equal_the_configuration() {
        let input = WrapupCodeFields {
            name: "Sale".into(),
            division_id: None,
            description: Some("".into()),
        };
        let home = "d0000000-0000-0000-0000-000000000000";
        assert_eq!(
            difference(&code("c", "Sale", None), &input, Some(home)),
            None
        );
        assert!(difference(&code("c", "SALE", None), &input, Some(home)).is_some());
        assert!(difference(&code("c", "Sale", Some("x")), &input, Some(home)).is_some());
        assert!(difference(&code("c", "Sale", None), &input, Some("elsewhere")).is_some());
        assert!(difference(&code("c", "Sale", None), &input, None).is_some());
        let everywhere = WrapupCodeRecord {
            division_id: Some(ALL_DIVISIONS.into()),
            ..code("c", "Sale", None)
        };
        assert_eq!(difference(&everywhere, &input, None), None);
        let pinned = WrapupCodeFields {
            division_id: Some(home.into()),
            ..input.clone()
        };
        assert!(difference(&everywhere, &pinned, Some(home)).is_some());
    }

    #[test]
    fn advice_names_the_code_and_gives_the_command_and_the_block() {
        let detail = &name_taken("Sale", &ours("2026-12-02T01:00:00Z"), true, false).0[0].detail;
        assert!(detail.contains("terraform import genesyscloud_routing_wrapupcode.<label> c"));
        assert!(detail.contains("id = \"c\""));
        assert!(detail.contains("adopt_identical_wrapup_codes"));
        let managed = &name_taken("SALE", &code("c", "Sale", None), false, true).0[0].detail;
        assert!(managed.contains("stored as \"Sale\""), "{managed}");
        assert!(managed.contains("another resource of this configuration"));
    }

    #[test]
    fn a_duplicate_quotes_the_stored_name_and_says_when_only_case_differs() {
        let rivals = [NameClaim {
            name: "Sale".into(),
            id: None,
        }];
        let exact = &duplicate_name("Sale", &rivals, None).0[0].detail;
        assert!(!exact.contains("only in case"), "{exact}");
        let case = &duplicate_name("SALE", &rivals, Some(&code("c", "sale", None))).0[0].detail;
        assert!(case.contains("only in case"), "{case}");
        assert!(
            case.contains("holds the name as \"sale\" (code c)"),
            "{case}"
        );
    }
}
