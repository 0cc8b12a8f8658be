//! `genesyscloud_conversation_wrapup_backfill` action (Terraform 1.14+): applies one wrap-up
//! code to every agent participant of the conversations an interval and filters select, for
//! back-filling thousands of conversations without an object in state for each.
//!
//! Each write goes through the single wrap-up's resolution and proof (resolved, written, read
//! back), so refusals carry the same messages. The conversations come from the analytics
//! details query, a page at a time; the run keeps as many writes in flight as the token pool
//! can serve, reports progress every few seconds, and on a stop request sends nothing more
//! while every write already sent is read back. Invoked again, it skips the participants that
//! hold a wrap-up and finishes the rest.

mod model;
mod platform_link;
mod run;
mod select;
mod tally;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::platform::{ClientView, DetailsStream, bulk_concurrency};
use crate::resources::support::PlatformDiagnostics;
use genesys_client::models::DetailQueryFilter;
use platform_link::{ConversationsView, RunLookups, VERIFY_DELAYS};
use tfplugin_framework::cty::Value;
use tfplugin_framework::{Action, ActionRequest, Block, Diagnostics, Model, ProgressSink, Schema};

pub use model::{BackfillModel, DEFAULT_MAX_CONVERSATIONS};
pub use run::RunError;

/// The Terraform type name.
pub const TYPE_NAME: &str = "genesyscloud_conversation_wrapup_backfill";

/// How often a run reports progress.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(3);

/// The action.
pub struct ConversationWrapupBackfill {
    client: ClientView,
    conversations: ConversationsView,
}

impl ConversationWrapupBackfill {
    /// The action over the provider's one client and conversation view.
    pub fn new(client: ClientView, conversations: ConversationsView) -> Arc<Self> {
        Arc::new(ConversationWrapupBackfill {
            client,
            conversations,
        })
    }
}

/// The action's schema.
pub fn action_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Back-fills one wrap-up code onto every agent participant of the \
                          conversations an interval and filters select (by default those still \
                          missing a wrap-up), proving each write by reading it back, without an \
                          object in state per conversation. Invoke it with `terraform apply \
                          -invoke=action.genesyscloud_conversation_wrapup_backfill.NAME`; it \
                          reports progress every few seconds, stops cleanly on Ctrl-C and, \
                          invoked again, finishes what is left."
                .into(),
            attributes: model::attributes(),
            ..Block::default()
        },
    }
}

#[async_trait]
impl Action for ConversationWrapupBackfill {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        action_schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = BackfillModel::read(config, &mut diagnostics) {
            model::check(&config, &mut diagnostics);
        }
        diagnostics
    }

    async fn plan(&self, request: ActionRequest) -> Diagnostics {
        self.validate(&request.config).await
    }

    async fn invoke(&self, request: ActionRequest, progress: ProgressSink) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = BackfillModel::read(&request.config, &mut diagnostics) else {
            return diagnostics;
        };
        let Some(job) = model::check(&config, &mut diagnostics) else {
            if !diagnostics.has_errors() {
                diagnostics.error(
                    "Back-fill inputs are not known",
                    "Terraform invoked the action with unknown inputs; this is a bug in the \
                     provider or Terraform.",
                );
            }
            return diagnostics;
        };
        let platform = async {
            Ok::<_, crate::platform::PlatformError>((
                self.client.get().await?,
                self.conversations.get().await?,
            ))
        };
        let (client, api) = match platform.await {
            Ok(both) => both,
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", &mut diagnostics);
                return diagnostics;
            }
        };
        let mut filters = Vec::new();
        if !job.queue_ids.is_empty() {
            filters.push(DetailQueryFilter::any_of("queueId", &job.queue_ids));
        }
        if !job.media_types.is_empty() {
            filters.push(DetailQueryFilter::any_of("mediaType", &job.media_types));
        }
        let settings = run::RunSettings {
            concurrency: bulk_concurrency(&client),
            progress_every: PROGRESS_EVERY,
            verify_delays: &VERIFY_DELAYS,
        };
        progress
            .progress(format!(
                "Back-fill of {}: reading the conversations a page at a time, {} writes in \
                 flight at most{}",
                job.interval,
                settings.concurrency,
                if job.dry_run {
                    " (dry run: nothing is written)"
                } else {
                    ""
                }
            ))
            .await;
        let stream = DetailsStream::new(client, job.interval, filters);
        let lookups = RunLookups::new(api);
        match run::run(&job, stream, &lookups, settings, Some(&progress)).await {
            Ok(report) => report_to(&job, &report, &progress, &mut diagnostics).await,
            Err(error @ RunError::OverCap { .. }) => diagnostics.attribute_error(
                tfplugin_framework::attr_path!(BackfillModel.max_conversations),
                "Too many conversations for max_conversations",
                error.to_string(),
            ),
            Err(RunError::Query(error)) => {
                error.to_diagnostics("find the conversations to back-fill", &mut diagnostics);
            }
        }
        diagnostics
    }
}

async fn report_to(
    job: &model::BackfillJob,
    report: &run::RunReport,
    progress: &ProgressSink,
    diagnostics: &mut Diagnostics,
) {
    let tally = &report.tally;
    let seconds = report.elapsed.as_secs_f64();
    let summary = format!(
        "Back-fill of {} {}: {}. {} conversations examined on {} query pages in {:.1} s ({:.1} \
         conversations/s).{}",
        job.interval,
        if report.stopped {
            "stopped"
        } else {
            "finished"
        },
        tally.counts(job.dry_run),
        tally.conversations,
        report.pages,
        seconds,
        tally.conversations as f64 / seconds.max(0.001),
        if job.dry_run {
            " Dry run: nothing was written."
        } else {
            ""
        }
    );
    progress.progress(summary.clone()).await;
    if let Some(found) = report.over_cap {
        diagnostics.warning(
            "More conversations than max_conversations",
            format!(
                "{found} or more conversations have participants to write, more than \
                 max_conversations = {}: the same configuration without dry_run would fail \
                 before writing anything.",
                job.max_conversations
            ),
        );
    }
    if let Some(error) = &report.query_error {
        error.to_diagnostics("read the next page of conversations", diagnostics);
    }
    tally.to_diagnostics(&summary, report.stopped, diagnostics);
}
