//! The transport-level backstop for panics: a tower layer over every gRPC service the plugin
//! serves. A panic while a service builds its answer becomes a gRPC `INTERNAL` status carrying
//! the panic message, instead of a reset stream that Terraform reports as a crashed plugin;
//! the connection and the process keep serving. The tfplugin6 RPCs catch their own panics
//! first and answer them in their diagnostics field (see [`crate::panics`]); this
//! layer covers everything else (StopProvider, the go-plugin side services, health).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::FutureExt;
use tower::{Layer, Service};

use crate::panics::panic_message;

/// Wraps a service in [`CatchPanic`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CatchPanicLayer;

impl<S> Layer<S> for CatchPanicLayer {
    type Service = CatchPanic<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CatchPanic { inner }
    }
}

/// A service whose panics (in `call` or in the future it returns) are answered as a gRPC
/// `INTERNAL` status naming the method and the panic message.
#[derive(Debug, Clone)]
pub struct CatchPanic<S> {
    inner: S,
}

type Answer<B, E> = Pin<Box<dyn Future<Output = Result<http::Response<B>, E>> + Send>>;

impl<S, RequestBody, ResponseBody> Service<http::Request<RequestBody>> for CatchPanic<S>
where
    S: Service<http::Request<RequestBody>, Response = http::Response<ResponseBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResponseBody: Default + Send + 'static,
{
    type Response = http::Response<ResponseBody>;
    type Error = S::Error;
    type Future = Answer<ResponseBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<RequestBody>) -> Self::Future {
        let method = request.uri().path().to_string();
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        match called {
            Ok(answer) => Box::pin(async move {
                match AssertUnwindSafe(answer).catch_unwind().await {
                    Ok(answer) => answer,
                    Err(payload) => Ok(panic_status(&method, payload.as_ref())),
                }
            }),
            Err(payload) => {
                let status = panic_status(&method, payload.as_ref());
                Box::pin(std::future::ready(Ok(status)))
            }
        }
    }
}

/// The gRPC answer to a panic in `method`.
fn panic_status<B: Default>(
    method: &str,
    payload: &(dyn std::any::Any + Send),
) -> http::Response<B> {
    let message = panic_message(payload);
    tracing::error!(method, panic = %message, "the provider panicked; answering INTERNAL");
    tonic::Status::internal(format!(
        "the provider panicked in {method} (a bug in the provider): {message}"
    ))
    .into_http()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> http::Request<()> {
        http::Request::builder()
            .uri(path)
            .body(())
            .expect("a valid request")
    }

    fn grpc_status(response: &http::Response<String>) -> (String, String) {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        (header("grpc-status"), header("grpc-message"))
    }

    #[tokio::test]
    async fn a_panic_in_the_answer_becomes_an_internal_status_and_the_service_goes_on() {
        let inner = tower::service_fn(|request: http::Request<()>| async move {
            if request.uri().path().ends_with("/Boom") {
                panic!("deliberate panic");
            }
            Ok::<_, std::convert::Infallible>(http::Response::new("fine".to_string()))
        });
        let mut service = CatchPanicLayer.layer(inner);
        let answer = service
            .call(request("/plugin.GRPCController/Boom"))
            .await
            .expect("the panic is answered");
        let (code, message) = grpc_status(&answer);
        assert_eq!(code, "13", "INTERNAL");
        let message = percent_decoded(&message);
        assert!(
            message.contains("/plugin.GRPCController/Boom") && message.contains("deliberate panic"),
            "{message}"
        );
        let later = service
            .call(request("/plugin.GRPCController/Shutdown"))
            .await
            .expect("served");
        assert_eq!(later.body(), "fine");
        assert!(later.headers().get("grpc-status").is_none());
    }

    #[tokio::test]
    async fn a_panic_while_starting_the_call_is_answered_too() {
        #[derive(Clone)]
        struct PanicsInCall;
        impl Service<http::Request<()>> for PanicsInCall {
            type Response = http::Response<String>;
            type Error = std::convert::Infallible;
            type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
                Poll::Ready(Ok(()))
            }
            fn call(&mut self, _: http::Request<()>) -> Self::Future {
                panic!("panic before any future")
            }
        }
        let mut service = CatchPanicLayer.layer(PanicsInCall);
        let answer = service
            .call(request("/tfplugin6.Provider/StopProvider"))
            .await
            .expect("answered");
        let (code, message) = grpc_status(&answer);
        assert_eq!(code, "13");
        assert!(percent_decoded(&message).contains("panic before any future"));
    }

    /// grpc-message is percent-encoded on the wire.
    fn percent_decoded(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while index < bytes.len() {
            if bytes[index] == b'%'
                && let Some(hex) = text.get(index + 1..index + 3)
                && let Ok(byte) = u8::from_str_radix(hex, 16)
            {
                out.push(byte);
                index += 3;
            } else {
                out.push(bytes[index]);
                index += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
