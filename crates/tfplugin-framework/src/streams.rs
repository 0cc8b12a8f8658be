//! The server-streaming RPCs: ListResource (results up to Terraform's limit) and
//! InvokeAction (progress events, then exactly one completion). A panic while producing
//! them ends the stream with an error diagnostic.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::action::{ProgressFeed, progress_channel};
use super::convert::diagnostics_to_proto;
use super::panics::catching_diagnostics;
use super::registry::{Registry, ResourceEntry};
use super::server::{EventStream, GrpcProvider, decode, encode};
use super::stop::{CancellationToken, WriteRunning, cancelled};
use super::{ActionRequest, Diagnostics, ListEvent, ListRequest, ListSink};
use crate::tfplugin6::{self as proto, invoke_action, list_resource};

/// How many events may wait between the producer and Terraform.
const BUFFER: usize = 16;

/// Fired when the plugin receives SIGINT while Terraform runs it: Ctrl-C in a terminal reaches
/// Terraform and its plugins at once, and from then on Terraform is stopping, before its
/// StopProvider arrives (which can take seconds). Actions send no progress from then on (see
/// [`with_progress`]).
static INTERRUPTED: std::sync::LazyLock<CancellationToken> =
    std::sync::LazyLock::new(CancellationToken::new);

/// Records that SIGINT reached the plugin: actions send no more progress in this process.
pub(crate) fn interrupted() {
    INTERRUPTED.cancel();
}

impl GrpcProvider {
    pub(super) fn list_resource(
        &self,
        request: list_resource::Request,
    ) -> EventStream<list_resource::Event> {
        let (events, receiver) = mpsc::channel(BUFFER);
        let registry = Arc::clone(&self.registry);
        let cancel = self.stop.token();
        tokio::spawn(async move {
            tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    let _ = events.send(Ok(diagnostic_event(&cancelled("ListResource")))).await;
                }
                panic = catching_diagnostics("ListResource", async {
                    run_list(&registry, request, cancel.clone(), &events).await;
                    Diagnostics::default()
                }) => {
                    if panic.has_errors() {
                        let _ = events.send(Ok(diagnostic_event(&panic))).await;
                    }
                }
            }
        });
        Box::pin(ReceiverStream::new(receiver))
    }

    pub(super) fn invoke_action(
        &self,
        request: invoke_action::Request,
    ) -> EventStream<invoke_action::Event> {
        let (events, receiver) = mpsc::channel(BUFFER);
        let registry = Arc::clone(&self.registry);
        // An action writes to the platform: it is never abandoned on StopProvider (its request
        // carries the stop's token, which ends its waits, so it sends nothing new), and it
        // finishes even when Terraform stops reading the stream.
        let cancel = self.stop.token();
        let operation = self.workload.start();
        tokio::spawn(async move {
            let _running = (WriteRunning::start(), operation);
            let work = run_action(&registry, request, cancel, &events);
            let diagnostics = catching_diagnostics("InvokeAction", work).await;
            if events.is_closed() {
                tracing::warn!(
                    rpc = "InvokeAction",
                    outcome = %super::server::summarize(&diagnostics),
                    "Terraform stopped waiting for this call; it finished anyway"
                );
            }
            let completed = invoke_action::event::Completed {
                diagnostics: diagnostics_to_proto(&diagnostics),
            };
            let event = invoke_action::Event {
                r#type: Some(invoke_action::event::Type::Completed(completed)),
            };
            let _ = events.send(Ok(event)).await;
        });
        Box::pin(ReceiverStream::new(receiver))
    }
}

type Events<T> = mpsc::Sender<Result<T, tonic::Status>>;

fn diagnostic_event(diagnostics: &Diagnostics) -> list_resource::Event {
    list_resource::Event {
        diagnostic: diagnostics_to_proto(diagnostics),
        ..Default::default()
    }
}

/// Streams a list's results to Terraform, stopping at the limit (a non-positive limit means
/// no limit) or when Terraform goes away.
async fn run_list(
    registry: &Registry,
    request: list_resource::Request,
    cancel: CancellationToken,
    events: &Events<list_resource::Event>,
) {
    let prepared = registry.list(&request.type_name).and_then(|list| {
        let managed = registry.resource(&request.type_name)?;
        let config = decode("list configuration", request.config.as_ref(), &list.ty)?;
        Ok((list, managed, config))
    });
    let (list, managed, config) = match prepared {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            let _ = events.send(Ok(diagnostic_event(&diagnostics))).await;
            return;
        }
    };
    let limit = if request.limit > 0 {
        request.limit
    } else {
        i64::MAX
    };
    let include_resource = request.include_resource_object;
    // A one-slot hand-over keeps the producer from fetching far past Terraform's limit.
    let (sink, mut results) = mpsc::channel(1);
    // A panic in the producer ends the list with an error, after the results it sent.
    let producer = catching_diagnostics(
        "ListResource",
        list.list.list(
            ListRequest {
                config,
                include_resource,
                limit,
                cancel,
            },
            ListSink(sink),
        ),
    );
    tokio::pin!(producer);
    let mut sent = 0_i64;
    let mut finished: Option<Diagnostics> = None;
    loop {
        // Once the producer is done, only what it already queued is left (it may have handed
        // its sink to a task that lingers, so do not wait for the channel to close).
        let result = match finished {
            None => tokio::select! {
                biased;
                result = results.recv() => result,
                diagnostics = &mut producer => {
                    finished = Some(diagnostics);
                    continue;
                }
            },
            Some(_) => results.try_recv().ok(),
        };
        let Some(result) = result else {
            break;
        };
        let (event, counts) = list_event(managed, include_resource, result);
        if events.send(Ok(event)).await.is_err() {
            return;
        }
        if counts {
            sent += 1;
            if sent >= limit {
                return;
            }
        }
    }
    let diagnostics = match finished {
        Some(diagnostics) => diagnostics,
        None => producer.await,
    };
    if !diagnostics.0.is_empty() {
        let _ = events.send(Ok(diagnostic_event(&diagnostics))).await;
    }
}

/// One list result as a protocol event; the flag says whether it is a result (with an
/// identity) that counts toward the limit.
fn list_event(
    managed: &ResourceEntry,
    include_resource: bool,
    result: ListEvent,
) -> (list_resource::Event, bool) {
    let reports_only = result.identity.is_null()
        && result.resource_object.is_none()
        && !result.diagnostics.0.is_empty();
    let mut diagnostics = result.diagnostics;
    let mut event = list_resource::Event {
        display_name: result.display_name,
        ..Default::default()
    };
    let identity_ty = managed.identity.as_ref().map(|(_, ty)| ty);
    match identity_ty {
        Some(ty) if !result.identity.is_null() => {
            match encode("list result identity", &result.identity, ty) {
                Ok(identity) => {
                    event.identity = Some(proto::ResourceIdentityData {
                        identity_data: Some(identity),
                    })
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        _ if reports_only => {}
        _ => diagnostics.error(
            "List result without identity",
            format!(
                "A {} list result has no identity. This is a bug in the provider.",
                managed.resource.type_name()
            ),
        ),
    }
    if include_resource
        && event.identity.is_some()
        && let Some(object) = result.resource_object.as_ref().filter(|o| !o.is_null())
    {
        match encode("list result object", object, &managed.ty) {
            Ok(object) => event.resource_object = Some(object),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let counts = event.identity.is_some() && !diagnostics.has_errors();
    event.diagnostic = diagnostics_to_proto(&diagnostics);
    (event, counts)
}

/// Runs an action, forwarding its progress messages as they come; returns the diagnostics
/// that complete it.
async fn run_action(
    registry: &Registry,
    request: invoke_action::Request,
    cancel: CancellationToken,
    events: &Events<invoke_action::Event>,
) -> Diagnostics {
    let entry = match registry.action(&request.action_type) {
        Ok(entry) => entry,
        Err(diagnostics) => return diagnostics,
    };
    let config = match decode("action configuration", request.config.as_ref(), &entry.ty) {
        Ok(config) => config,
        Err(diagnostics) => return diagnostics,
    };
    let (sink, feed) = progress_channel();
    // A panic in the action completes it with an error, after the progress it reported.
    let stopped = [cancel.clone(), INTERRUPTED.clone()];
    let work = catching_diagnostics(
        "InvokeAction",
        entry.action.invoke(ActionRequest { config, cancel }, sink),
    );
    with_progress(work, feed, &stopped, events).await
}

/// Runs `work` while its progress goes to Terraform. The two run side by side: while a send
/// waits for a Terraform that reads slowly, the work goes on (its own sends never wait, see
/// [`ProgressSink`](super::ProgressSink)). Once the work is done, the progress still waiting
/// is sent before the work's result is returned for the completion event.
///
/// Once one of `stopped` fires (StopProvider, or SIGINT), no more progress is sent, only the
/// completion:
/// Terraform 1.14–1.15 stops reading the stream at the first progress event it receives while
/// stopping and then panics on the next event ("range function continued iteration after
/// function for loop body returned false"), losing the apply's state. The completion's
/// diagnostics carry what an action reports at its end.
async fn with_progress(
    work: impl std::future::Future<Output = Diagnostics>,
    feed: ProgressFeed,
    stopped: &[CancellationToken],
    events: &Events<invoke_action::Event>,
) -> Diagnostics {
    let work = async {
        let diagnostics = work.await;
        feed.close();
        diagnostics
    };
    let forward = async {
        while let Some(message) = feed.next().await {
            if stopped.iter().any(CancellationToken::is_cancelled) {
                continue;
            }
            let progress = invoke_action::event::Progress { message };
            let event = invoke_action::Event {
                r#type: Some(invoke_action::event::Type::Progress(progress)),
            };
            // If Terraform stopped listening, the action still runs to its end so it is not
            // left half-done; only its progress is no longer sent.
            let _ = events.send(Ok(event)).await;
        }
        if feed.dropped() > 0 {
            tracing::debug!(
                dropped = feed.dropped(),
                "Terraform read the action's progress slowly; intermediate messages were dropped"
            );
        }
    };
    let (diagnostics, ()) = tokio::join!(work, forward);
    diagnostics
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::action::PROGRESS_BACKLOG;

    fn progress_of(event: Result<invoke_action::Event, tonic::Status>) -> String {
        match event.expect("an event, not an error").r#type {
            Some(invoke_action::event::Type::Progress(progress)) => progress.message,
            other => panic!("expected progress, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_terraform_that_does_not_read_does_not_stall_the_work() {
        let (events, mut terraform) = mpsc::channel(1);
        let (sink, feed) = progress_channel();
        let (done_tx, done) = tokio::sync::oneshot::channel();
        let work = async move {
            for step in 0..100 {
                sink.progress(format!("step {step}")).await;
            }
            let _ = done_tx.send(());
            let mut diagnostics = Diagnostics::default();
            diagnostics.warning("Done", "all 100 steps ran");
            diagnostics
        };
        let running = tokio::spawn(async move {
            with_progress(work, feed, &[CancellationToken::new()], &events).await
        });

        // Nothing has been read yet; the work still runs to its end.
        tokio::time::timeout(Duration::from_secs(30), done)
            .await
            .expect("the work finished although Terraform read nothing")
            .expect("the work reported its end");

        let mut shown = Vec::new();
        while let Some(event) = terraform.recv().await {
            shown.push(progress_of(event));
        }
        let diagnostics = running.await.expect("the action task ends");
        assert_eq!(diagnostics.0.len(), 1, "the result is never dropped");
        assert_eq!(diagnostics.0[0].summary, "Done");
        assert_eq!(shown.first().map(String::as_str), Some("step 0"));
        assert_eq!(
            shown.last().map(String::as_str),
            Some("step 99"),
            "the latest step is shown"
        );
        assert!(
            shown.len() <= PROGRESS_BACKLOG + 2,
            "bounded: {} messages shown",
            shown.len()
        );
        let mut steps: Vec<u32> = shown
            .iter()
            .map(|m| m.trim_start_matches("step ").parse().expect("a step"))
            .collect();
        let in_order = steps.clone();
        steps.sort_unstable();
        assert_eq!(steps, in_order, "in the order they were sent");
    }

    #[tokio::test]
    async fn every_message_arrives_in_order_when_terraform_keeps_up() {
        let (events, terraform) = mpsc::channel(16);
        let (sink, feed) = progress_channel();
        let work = async move {
            for step in 0..5 {
                sink.progress(format!("step {step}")).await;
                tokio::task::yield_now().await;
            }
            Diagnostics::default()
        };
        let reader = tokio::spawn(shown_progress(terraform));
        let diagnostics = with_progress(work, feed, &[CancellationToken::new()], &events).await;
        drop(events);
        assert!(diagnostics.0.is_empty());
        let shown = reader.await.expect("the reader ends");
        assert_eq!(shown, ["step 0", "step 1", "step 2", "step 3", "step 4"]);
    }

    /// What Terraform shows of the events it receives, until the stream ends.
    async fn shown_progress(
        mut terraform: mpsc::Receiver<Result<invoke_action::Event, tonic::Status>>,
    ) -> Vec<String> {
        let mut shown = Vec::new();
        while let Some(event) = terraform.recv().await {
            shown.push(progress_of(event));
        }
        shown
    }

    #[tokio::test]
    async fn no_progress_is_sent_after_a_stop() {
        let (events, terraform) = mpsc::channel(16);
        let (sink, feed) = progress_channel();
        let stopped = [CancellationToken::new(), CancellationToken::new()];
        // SIGINT (the second token) fires first, then StopProvider.
        let stop = stopped[1].clone();
        let work = async move {
            sink.progress("before the stop").await;
            tokio::task::yield_now().await;
            stop.cancel();
            sink.progress("after the stop").await;
            Diagnostics::default()
        };
        let reader = tokio::spawn(shown_progress(terraform));
        with_progress(work, feed, &stopped, &events).await;
        drop(events);
        let shown = reader.await.expect("the reader ends");
        assert_eq!(shown, ["before the stop"]);
    }
}
