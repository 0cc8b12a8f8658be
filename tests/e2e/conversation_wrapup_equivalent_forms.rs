//! Equivalent configuration forms of `genesyscloud_conversation_wrapup` never plan a change
//! (which would re-apply the wrap-up): notes omitted, `null` or `""`, and tags omitted,
//! `null` or `[]`, config to config in every direction, through the real CLI.

use crate::conversation_wrapup_common::{Org, new_queue_id, resource_block};

#[test]
fn notes_and_tags_omitted_null_and_empty_are_one_form_in_every_direction() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    let seeded = org.seed("call", &queue, "disconnected");
    let workdir = org.workdir();
    let config = |notes: &str, tags: &str| {
        resource_block(
            "w",
            &format!(
                "  conversation_id  = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n{notes}{tags}",
                seeded.conversation_id
            ),
        )
    };
    let notes = [
        ("omitted", ""),
        ("\"\"", "  notes = \"\"\n"),
        ("null", "  notes = null\n"),
    ];
    let tags = [
        ("omitted", ""),
        ("[]", "  tags = []\n"),
        ("null", "  tags = null\n"),
    ];
    // Every ordered pair of forms once (0->1, 1->2, 2->0, 0->2, 2->1, 1->0), notes and tags
    // switching together.
    let order = [0, 1, 2, 0, 2, 1, 0];
    workdir.config(&config(notes[0].1, tags[0].1));
    workdir.apply();
    // Wrap-up writes (POST .../communications/{id}/wrapup, any media) so far.
    let writes = || {
        let (status, counts) = org.call(reqwest::Method::GET, "/__emulator/requests", None);
        assert_eq!(status, 200, "{counts}");
        counts["routes"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(route, _)| route.starts_with("POST ") && route.ends_with("/wrapup"))
            .map(|(_, count)| count.as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    let after_create = writes();
    for pair in order.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        workdir.config(&config(notes[to].1, tags[to].1));
        let output = workdir.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(
            output.status, 0,
            "switching notes {} -> {} and tags {} -> {} planned a change: {output}",
            notes[from].0, notes[to].0, tags[from].0, tags[to].0
        );
        workdir.apply();
    }
    assert!(after_create >= 1, "the create wrote the wrap-up");
    assert_eq!(writes(), after_create, "no switch re-applied the wrap-up");
}
