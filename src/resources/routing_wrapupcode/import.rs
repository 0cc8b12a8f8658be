//! Import IDs: a UUID, or `name:<exact name>` looked up on the platform.

use super::{IMPORT_BY_NAME_PREFIX, RoutingWrapupCode, TYPE_NAME};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::{WrapupCodeRecord, is_uuid};
use tfplugin_framework::Diagnostics;

pub(super) fn import_error(detail: String) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Invalid wrap-up code import ID",
        format!(
            "{detail}\nImport a wrap-up code by its UUID (`terraform import \
             {TYPE_NAME}.<label> 3fa85f64-5717-4562-b3fc-2c963f66afa6`), by exact name \
             (`{IMPORT_BY_NAME_PREFIX}Sale completed`), or with an import block's \
             `identity = {{ id = \"<uuid>\" }}`."
        ),
    );
    diagnostics
}

impl RoutingWrapupCode {
    /// Turns an import ID (a UUID or `name:<exact name>`) into the code's UUID.
    pub(super) async fn resolve_import_id(&self, raw: &str) -> Result<String, Diagnostics> {
        if let Some(name) = raw.strip_prefix(IMPORT_BY_NAME_PREFIX) {
            let codes = self
                .api
                .get()
                .await
                .map_err(|error| error.diagnostics("look up the wrap-up code to import"))?;
            let matches: Vec<WrapupCodeRecord> = codes
                .api()
                .search_by_name(name)
                .await
                .map_err(|error| error.diagnostics(&format!("look up wrap-up code {name:?}")))?
                .into_iter()
                .filter(|code| code.name == name)
                .collect();
            return match matches.as_slice() {
                [code] => Ok(code.id.clone()),
                [] => {
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.error(
                        "Wrap-up code not found",
                        format!(
                            "No wrap-up code is named exactly {name:?} (names are case \
                             sensitive here). Check the name, or import by ID."
                        ),
                    );
                    Err(diagnostics)
                }
                many => {
                    let ids: Vec<&str> = many.iter().map(|code| code.id.as_str()).collect();
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.error(
                        "Several wrap-up codes have this name",
                        format!(
                            "Wrap-up codes {} are all named {name:?}; import one by ID.",
                            ids.join(", ")
                        ),
                    );
                    Err(diagnostics)
                }
            };
        }
        if is_uuid(raw) {
            Ok(raw.to_owned())
        } else {
            Err(import_error(format!("{raw:?} is not a wrap-up code ID.")))
        }
    }
}
