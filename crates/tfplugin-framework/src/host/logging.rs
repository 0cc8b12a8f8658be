//! Logs as hclog JSON lines on stderr. Terraform reads a provider's stderr and re-logs lines
//! carrying `@level`, `@message` and `@timestamp` at that level, so `TF_LOG=debug` shows our
//! debug events as debug. Level: `TF_LOG_PROVIDER`, else `TF_LOG`, else warnings only.

use std::io::Write;
use std::sync::Mutex;

use serde_json::{Map, Value as Json};
use time::format_description::FormatItem;
use time::macros::format_description;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber, span};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// The `@module` of every line: Terraform shows it as the logger name.
pub const MODULE: &str = "provider.genesyscloud";

/// hclog's timestamp layout: RFC 3339 with microseconds, in UTC.
const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The level Terraform's log variables ask for: `TF_LOG_PROVIDER` wins over `TF_LOG`;
/// unset means warnings and errors only; an unrecognised value means trace (as Terraform
/// itself treats it).
pub fn level_from(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> LevelFilter {
    let chosen = [tf_log_provider, tf_log]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|value| !value.is_empty());
    match chosen.map(str::to_ascii_uppercase).as_deref() {
        None => LevelFilter::WARN,
        Some("OFF") => LevelFilter::OFF,
        Some("ERROR") => LevelFilter::ERROR,
        Some("WARN") => LevelFilter::WARN,
        Some("INFO") => LevelFilter::INFO,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some(_) => LevelFilter::TRACE,
    }
}

/// Installs the hclog layer for this process, at the level the environment asks for.
/// Libraries below us (HTTP/2, gRPC) are capped at info so trace stays readable.
pub fn init() {
    let level = level_from(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let libraries = level.min(LevelFilter::INFO);
    let directives = format!(
        "{level},h2={libraries},hyper={libraries},hyper_util={libraries},tower={libraries},\
         tonic={libraries},rustls={libraries}"
    );
    let filter = EnvFilter::try_new(directives).unwrap_or_else(|_| EnvFilter::new("warn"));
    let layer = HclogLayer::new(std::io::stderr());
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
}

/// A tracing layer writing one hclog JSON object per event to `writer`.
pub struct HclogLayer<W> {
    writer: Mutex<W>,
}

impl<W: Write> HclogLayer<W> {
    pub fn new(writer: W) -> Self {
        HclogLayer {
            writer: Mutex::new(writer),
        }
    }
}

/// Fields recorded on a span, kept in its extensions and added to its events' lines.
struct SpanFields(Map<String, Json>);

impl<S, W> Layer<S> for HclogLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: Write + Send + 'static,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = FieldVisitor::default();
        attrs.record(&mut fields);
        span.extensions_mut().insert(SpanFields(fields.fields));
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = FieldVisitor::default();
        values.record(&mut fields);
        if let Some(existing) = span.extensions_mut().get_mut::<SpanFields>() {
            existing.0.extend(fields.fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut line = Map::new();
        line.insert(
            "@level".into(),
            Json::from(level_name(*event.metadata().level())),
        );
        line.insert("@module".into(), Json::from(MODULE));
        let timestamp = time::OffsetDateTime::now_utc()
            .format(TIMESTAMP)
            .unwrap_or_default();
        line.insert("@timestamp".into(), Json::from(timestamp));
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(fields) = span.extensions().get::<SpanFields>() {
                    line.extend(fields.0.clone());
                }
            }
        }
        let mut fields = FieldVisitor::default();
        event.record(&mut fields);
        line.extend(fields.fields);
        line.insert(
            "@message".into(),
            Json::from(fields.message.unwrap_or_default()),
        );
        let Ok(mut text) = serde_json::to_vec(&line) else {
            return;
        };
        text.push(b'\n');
        if let Ok(mut writer) = self.writer.lock() {
            let _ = writer.write_all(&text);
            let _ = writer.flush();
        }
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

#[derive(Default)]
struct FieldVisitor {
    message: Option<String>,
    fields: Map<String, Json>,
}

impl FieldVisitor {
    fn put(&mut self, field: &Field, value: Json) {
        if field.name() == "message" {
            self.message = Some(match value {
                Json::String(text) => text,
                other => other.to_string(),
            });
        } else {
            self.fields.insert(field.name().to_string(), value);
        }
    }
}

impl Visit for FieldVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Json::from(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Json::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Json::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Json::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Json::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Json::from(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, Json::from(value.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn tf_log_provider_wins_and_unset_means_warn() {
        assert_eq!(level_from(Some("debug"), Some("ERROR")), LevelFilter::DEBUG);
        assert_eq!(level_from(None, Some("INFO")), LevelFilter::INFO);
        assert_eq!(level_from(Some(""), Some("trace")), LevelFilter::TRACE);
        assert_eq!(level_from(None, Some("JSON")), LevelFilter::TRACE);
        assert_eq!(level_from(None, Some("off")), LevelFilter::OFF);
        assert_eq!(level_from(None, None), LevelFilter::WARN);
    }

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("buffer lock").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_become_hclog_json_lines_with_span_and_event_fields() {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry().with(HclogLayer::new(buffer.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("rpc", rpc = "PlanResourceChange");
            let _entered = span.enter();
            tracing::debug!(type_name = "x_thing", attempt = 2, "planning");
        });
        let text = String::from_utf8(buffer.0.lock().expect("lock").clone()).expect("utf-8");
        let line: Json = serde_json::from_str(text.trim_end()).expect("one JSON line");
        assert_eq!(line["@level"], "debug");
        assert_eq!(line["@message"], "planning");
        assert_eq!(line["@module"], MODULE);
        assert_eq!(line["rpc"], "PlanResourceChange");
        assert_eq!(line["type_name"], "x_thing");
        assert_eq!(line["attempt"], 2);
        let timestamp = line["@timestamp"].as_str().expect("timestamp");
        let parsed =
            time::OffsetDateTime::parse(timestamp, &time::format_description::well_known::Rfc3339);
        assert!(parsed.is_ok(), "{timestamp}");
        assert_eq!(timestamp.len(), "2026-01-02T03:04:05.123456Z".len());
    }
}
