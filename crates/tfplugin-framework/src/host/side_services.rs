//! go-plugin's side services that Terraform's client talks to besides the provider:
//! GRPCController (Shutdown), GRPCStdio and GRPCBroker.

use std::pin::Pin;

use futures_util::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::go_plugin::grpc_broker_server::GrpcBroker;
use super::go_plugin::grpc_controller_server::GrpcController;
use super::go_plugin::grpc_stdio_server::GrpcStdio;
use super::go_plugin::{ConnInfo, Empty, StdioData};
use super::shutdown::Shutdown;

type Idle<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A stream that sends nothing and ends when the plugin shuts down, so it never holds up a
/// graceful shutdown.
fn idle_until<T: Send + 'static>(shutdown: &Shutdown) -> Idle<T> {
    Box::pin(futures_util::stream::once(shutdown.wait()).filter_map(|()| async { None }))
}

/// GRPCController: Terraform calls Shutdown when it is done with the plugin and waits two
/// seconds for the process to exit, so the plugin exits right away.
pub struct Controller {
    pub shutdown: Shutdown,
    /// In debug (reattach) mode the process outlives Terraform runs and ignores Shutdown.
    pub honour_shutdown: bool,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        if self.honour_shutdown {
            tracing::debug!("GRPCController.Shutdown: stopping the plugin");
            self.shutdown.trigger();
        } else {
            tracing::debug!("GRPCController.Shutdown ignored in debug mode");
        }
        Ok(Response::new(Empty {}))
    }
}

/// GRPCStdio: the plugin writes its logs to stderr directly (Terraform reads the pipe), so
/// this stream stays open and empty until shutdown.
pub struct Stdio {
    pub shutdown: Shutdown,
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = Idle<StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(idle_until(&self.shutdown)))
    }
}

/// GRPCBroker: providers never open extra connections; the stream is accepted and idles.
pub struct Broker {
    pub shutdown: Shutdown,
}

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = Idle<ConnInfo>;

    async fn start_stream(
        &self,
        request: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        let mut inbound = request.into_inner();
        tokio::spawn(async move {
            while let Some(Ok(info)) = inbound.next().await {
                tracing::debug!(service_id = info.service_id, "ignoring a broker request");
            }
        });
        Ok(Response::new(idle_until(&self.shutdown)))
    }
}
