//! A panic inside an RPC's work becomes an error diagnostic carrying the panic message, so a
//! bug in one operation is reported to the user on that operation and the plugin keeps
//! serving every later RPC. (The process is built with `panic = "unwind"`, the default; the
//! plugin host adds a transport-level backstop for RPCs without a diagnostics field.)

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use super::Diagnostics;

/// The message a panic carried: `panic!` payloads are a `&str` or a `String`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(the panic carried no message)".to_string()
    }
}

/// The error diagnostic for a panic with `message` while the provider answered `rpc`.
pub fn panicked(rpc: &str, message: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Provider bug: the provider panicked",
        format!(
            "{rpc} failed because of a bug in the provider: it panicked with \"{message}\". \
             The provider keeps running. Please report this with the Terraform log \
             (TF_LOG=debug); if this was a write, run `terraform plan` to see the remote \
             object's state."
        ),
    );
    diagnostics
}

/// Logs a caught panic of `rpc` and turns it into [`panicked`].
pub(super) fn from_panic(rpc: &str, payload: &(dyn Any + Send)) -> Diagnostics {
    let message = panic_message(payload);
    tracing::error!(rpc, panic = %message, "the provider panicked; answering with a diagnostic");
    panicked(rpc, &message)
}

/// Runs `work`, turning a panic inside it into an error diagnostic.
pub(super) async fn catching<T>(
    rpc: &str,
    work: impl Future<Output = Result<T, Diagnostics>>,
) -> Result<T, Diagnostics> {
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => Err(from_panic(rpc, payload.as_ref())),
    }
}

/// Runs `work`, whose output is its diagnostics, turning a panic into an error diagnostic.
pub(super) async fn catching_diagnostics(
    rpc: &str,
    work: impl Future<Output = Diagnostics>,
) -> Diagnostics {
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(diagnostics) => diagnostics,
        Err(payload) => from_panic(rpc, payload.as_ref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_one_error_with_its_message() {
        let name = "x".to_string();
        let result: Result<(), Diagnostics> = catching("ReadResource", async move {
            if !name.is_empty() {
                panic!("index out of range for {name}");
            }
            Ok(())
        })
        .await;
        let diagnostics = result.expect_err("the panic is an error");
        assert_eq!(diagnostics.0.len(), 1);
        assert!(diagnostics.has_errors());
        assert!(diagnostics.0[0].detail.contains("ReadResource"));
        assert!(diagnostics.0[0].detail.contains("index out of range for x"));
    }

    #[tokio::test]
    async fn work_that_does_not_panic_is_answered_as_is() {
        let result = catching("PlanResourceChange", async { Ok::<_, Diagnostics>(7) }).await;
        assert_eq!(result, Ok(7));
        let mut warning = Diagnostics::default();
        warning.warning("w", "d");
        let kept = catching_diagnostics("InvokeAction", {
            let warning = warning.clone();
            async move { warning }
        })
        .await;
        assert_eq!(kept, warning);
    }

    #[test]
    fn payloads_without_text_still_say_so() {
        assert_eq!(panic_message(&"static text"), "static text");
        assert_eq!(panic_message(&String::from("owned text")), "owned text");
        assert_eq!(panic_message(&42_u8), "(the panic carried no message)");
    }
}
