//! The server-streaming RPCs: ListResource (results up to Terraform's limit) and
//! InvokeAction (progress events, then exactly one completion).

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::convert::diagnostics_to_proto;
use super::proto::{self, invoke_action, list_resource};
use super::registry::{Registry, ResourceEntry};
use super::server::{EventStream, GrpcProvider, decode, encode};
use super::stop::{WriteRunning, cancelled};
use super::{ActionRequest, Diagnostics, ListEvent, ListRequest, ListSink, ProgressSink};

/// How many events may wait between the producer and Terraform.
const BUFFER: usize = 16;

impl GrpcProvider {
    pub(super) fn list_resource(
        &self,
        request: list_resource::Request,
    ) -> EventStream<list_resource::Event> {
        let (events, receiver) = mpsc::channel(BUFFER);
        let registry = Arc::clone(&self.registry);
        let mut stop = self.stop.listener();
        tokio::spawn(async move {
            tokio::select! {
                biased;
                () = stop.stopped() => {
                    let _ = events.send(Ok(diagnostic_event(&cancelled("ListResource")))).await;
                }
                () = run_list(&registry, request, &events) => {}
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
        // An action writes to the platform: it is never abandoned on StopProvider (it sees the
        // stop through the token and sends nothing new), and it finishes even when Terraform
        // stops reading the stream.
        let token = self.stop.token();
        tokio::spawn(async move {
            let _running = WriteRunning::start();
            let diagnostics = token.scope(run_action(&registry, request, &events)).await;
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
    let producer = list.list.list(
        ListRequest {
            config,
            include_resource,
            limit,
        },
        ListSink(sink),
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
    let (sink, mut messages) = mpsc::channel(BUFFER);
    let work = entry
        .action
        .invoke(ActionRequest { config }, ProgressSink(sink));
    tokio::pin!(work);
    let mut outcome: Option<Diagnostics> = None;
    loop {
        let message = match outcome {
            None => tokio::select! {
                biased;
                message = messages.recv() => message,
                diagnostics = &mut work => {
                    outcome = Some(diagnostics);
                    continue;
                }
            },
            Some(_) => messages.try_recv().ok(),
        };
        let Some(message) = message else {
            break;
        };
        let progress = invoke_action::event::Progress { message };
        let event = invoke_action::Event {
            r#type: Some(invoke_action::event::Type::Progress(progress)),
        };
        // If Terraform stopped listening, the action still runs to its end below so it is not
        // left half-done; only its progress is no longer sent.
        let _ = events.send(Ok(event)).await;
    }
    match outcome {
        Some(diagnostics) => diagnostics,
        None => work.await,
    }
}
