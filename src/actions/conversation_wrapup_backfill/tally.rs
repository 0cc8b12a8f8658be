//! What the back-fill did so far: counts by outcome, the first failures with their reasons,
//! the progress line and the final summary.

use std::time::Duration;

use tfplugin_framework::Diagnostics;

use super::select::SkipReason;

/// How many refusals and failures the summary lists with their reasons; the rest are counted.
pub const LISTED: usize = 10;

/// What happened to one selected participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written and read back (`unproven`: it held the same values before and the platform
    /// shows no end time to tell this write landed).
    Written {
        unproven: bool,
    },
    /// Dry run: resolved, and would be written.
    WouldWrite,
    Skipped(SkipReason),
    /// Refused before any write, with the single wrap-up's reason (code not on the queue,
    /// participant still connected, ...).
    Refused(String),
    /// The platform failed or refused the write, or did not keep it.
    Failed(String),
    /// Not written because Terraform asked the provider to stop first.
    NotSent,
}

/// One participant's outcome, with who it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub conversation_id: String,
    pub participant_id: String,
    pub outcome: Outcome,
}

/// The running counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub conversations: u64,
    pub written: u64,
    pub unproven: u64,
    pub would_write: u64,
    pub wrapped_up: u64,
    pub not_required: u64,
    pub refused: u64,
    pub failed: u64,
    pub not_sent: u64,
    pub listed: Vec<String>,
}

fn clock(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 3600 {
        format!("{}h {:02}m", seconds / 3600, seconds % 3600 / 60)
    } else if seconds >= 60 {
        format!("{}m {:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}

impl Tally {
    /// Counts one participant's outcome.
    pub fn record(&mut self, done: Done) {
        let reason = match done.outcome {
            Outcome::Written { unproven } => {
                self.written += 1;
                self.unproven += u64::from(unproven);
                return;
            }
            Outcome::WouldWrite => {
                self.would_write += 1;
                return;
            }
            Outcome::Skipped(SkipReason::WrappedUp) => {
                self.wrapped_up += 1;
                return;
            }
            Outcome::Skipped(SkipReason::NoWrapupRequired) => {
                self.not_required += 1;
                return;
            }
            Outcome::NotSent => {
                self.not_sent += 1;
                return;
            }
            Outcome::Refused(reason) => {
                self.refused += 1;
                format!("refused: {reason}")
            }
            Outcome::Failed(reason) => {
                self.failed += 1;
                format!("failed: {reason}")
            }
        };
        if self.listed.len() < LISTED {
            self.listed.push(format!(
                "conversation {} participant {} {reason}",
                done.conversation_id, done.participant_id
            ));
        }
    }

    fn skipped(&self) -> u64 {
        self.wrapped_up + self.not_required
    }

    /// The counts as one line: `written` reads `would write` in a dry run.
    pub fn counts(&self, dry_run: bool) -> String {
        let done = if dry_run {
            format!("{} would be written", self.would_write)
        } else {
            format!("{} written and verified", self.written)
        };
        let not_sent = if self.not_sent > 0 {
            format!(", {} not sent (stopped first)", self.not_sent)
        } else {
            String::new()
        };
        format!(
            "{done}, {} skipped ({} already wrapped up, {} without after-call work), {} refused, \
             {} failed{not_sent}",
            self.skipped(),
            self.wrapped_up,
            self.not_required,
            self.refused,
            self.failed
        )
    }

    /// The progress line: counts, the rate over the run so far and the time left, estimated
    /// from the conversations the query matched.
    pub fn progress(&self, dry_run: bool, elapsed: Duration, total: Option<u64>) -> String {
        let rate = self.conversations as f64 / elapsed.as_secs_f64().max(0.001);
        let left = match total {
            Some(total) if rate > 0.0 && total >= self.conversations => {
                let seconds = (total - self.conversations) as f64 / rate;
                format!(
                    "; about {} left ({} of {total} conversations)",
                    clock(Duration::from_secs_f64(seconds)),
                    self.conversations
                )
            }
            _ => String::new(),
        };
        format!(
            "Back-fill: {}; {rate:.1} conversations/s{left}",
            self.counts(dry_run)
        )
    }

    /// The final diagnostics: an error when anything failed or the run was stopped, a warning
    /// listing refusals, and otherwise nothing (the summary went out as progress).
    pub fn to_diagnostics(&self, summary: &str, stopped: bool, diagnostics: &mut Diagnostics) {
        let more = (self.refused + self.failed).saturating_sub(self.listed.len() as u64);
        let mut detail = summary.to_owned();
        if !self.listed.is_empty() {
            detail.push_str("\n\nFirst refusals and failures:");
            for line in &self.listed {
                detail.push_str("\n  - ");
                detail.push_str(line);
            }
            if more > 0 {
                detail.push_str(&format!("\n  … and {more} more (counted above)."));
            }
        }
        if self.unproven > 0 {
            detail.push_str(&format!(
                "\n\n{} of the writes held the same values before and the platform shows no \
                 end time, so reading them back cannot prove this run's write landed.",
                self.unproven
            ));
        }
        if stopped {
            detail.push_str(&format!(
                "\n\nStopped on request: every write sent was read back and is counted above; \
                 {} not sent. Invoke the action again to finish: participants already wrapped \
                 up are skipped.",
                self.not_sent
            ));
            diagnostics.error("Back-fill stopped before it finished", detail);
        } else if self.failed > 0 {
            diagnostics.error(
                format!("Back-fill finished with {} failures", self.failed),
                detail,
            );
        } else if self.refused > 0 || self.unproven > 0 {
            diagnostics.warning(
                format!("Back-fill finished; {} participants refused", self.refused),
                detail,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(outcome: Outcome) -> Done {
        Done {
            conversation_id: "c".into(),
            participant_id: "p".into(),
            outcome,
        }
    }

    #[test]
    fn the_first_failures_are_listed_with_reasons_and_the_rest_counted() {
        let mut tally = Tally::default();
        tally.record(done(Outcome::Written { unproven: false }));
        tally.record(done(Outcome::Skipped(SkipReason::WrappedUp)));
        for i in 0..12 {
            tally.record(done(Outcome::Failed(format!("reason {i}"))));
        }
        tally.record(done(Outcome::Refused("still connected".into())));
        assert_eq!(tally.listed.len(), LISTED);
        assert_eq!(
            tally.counts(false),
            "1 written and verified, 1 skipped (1 already wrapped up, 0 without after-call \
             work), 1 refused, 12 failed"
        );
        let mut diagnostics = Diagnostics::default();
        tally.to_diagnostics("summary", false, &mut diagnostics);
        assert_eq!(diagnostics.0.len(), 1);
        assert_eq!(
            diagnostics.0[0].summary,
            "Back-fill finished with 12 failures"
        );
        assert!(diagnostics.0[0].detail.contains("reason 0"));
        assert!(!diagnostics.0[0].detail.contains("reason 11"));
        assert!(diagnostics.0[0].detail.contains("and 3 more"));
    }

    #[test]
    fn progress_gives_the_rate_and_the_time_left() {
        let tally = Tally {
            conversations: 100,
            would_write: 100,
            ..Tally::default()
        };
        let line = tally.progress(true, Duration::from_secs(10), Some(700));
        assert!(line.contains("100 would be written"), "{line}");
        assert!(line.contains("10.0 conversations/s"), "{line}");
        assert!(line.contains("about 1m 00s left (100 of 700"), "{line}");
    }
}
