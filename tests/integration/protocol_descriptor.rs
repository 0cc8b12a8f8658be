//! Our hand-written protos against the descriptors the real Terraform binaries embed: every
//! message, field number, type, label, enum value and RPC of `proto/tfplugin6.proto` and of
//! go-plugin's `proto/plugin/*.proto`. The descriptors are extracted from the binaries at test
//! time (nothing upstream is committed). The Terraform release our proto names must match
//! exactly; older and newer releases must agree on everything both have, and what only one
//! side has is printed (`--nocapture`) as the precise difference between the versions.
//!
//! Our proto is 6.11 (Terraform 1.16), and no 1.16 binary can be installed here: so against
//! the last 6.10 release (Terraform 1.15) ours must be exactly Terraform's plus the 6.11
//! additions, listed one by one in [`ADDED_IN_6_11`].

use crate::protocol_support::descriptors::{
    Differences, Extracted, TerraformBuild, compare, embedded_files, extracted, our_files,
    protocol_minor, shape,
};
use tfplugin_framework::{host, tfplugin6};

const OUR_PROTO: &str = include_str!("../../crates/tfplugin-framework/proto/tfplugin6.proto");

/// The last release of protocol 6.10.
const LAST_6_10_RELEASE: &str = "1.15";

/// What protocol 6.11 (Terraform 1.16, `docs/plugin-protocol/tfplugin6.proto` at v1.16.0)
/// adds to Terraform 1.15's 6.10, as the descriptor comparison names elements.
const ADDED_IN_6_11: [&str; 4] = [
    "message .tfplugin6.ClientCapabilities field  3: bool store_planned_private",
    "message .tfplugin6.ClientCapabilities field  4: bool computed_blocks_allowed",
    "message .tfplugin6.PlanResourceChange.Request field  9: bytes planned_private",
    "message .tfplugin6.Schema.Block field  8: bool computed",
];

/// What the header of our proto claims: the protocol minor ("tfplugin6 protocol 6.N") and the
/// Terraform release whose proto it matches ("match Terraform vX.Y.Z").
fn claimed() -> (u32, String) {
    let header: String = OUR_PROTO
        .lines()
        .take_while(|line| line.starts_with("//"))
        .collect::<Vec<_>>()
        .join(" ");
    let after = |marker: &str| {
        let start = header
            .find(marker)
            .expect("the proto header names its version")
            + marker.len();
        header[start..]
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .expect("a version")
            .trim_end_matches('.')
            .to_string()
    };
    let minor = after("tfplugin6 protocol 6.");
    let release = after("match Terraform v");
    (minor.parse().expect("a protocol minor"), release)
}

/// Whether `version` is older than, the same minor as, or newer than `reference`.
fn relation(version: &str, reference: &str) -> std::cmp::Ordering {
    let minor = |v: &str| -> (u32, u32) {
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    minor(version).cmp(&minor(reference))
}

/// The base names of our go-plugin files (`grpc_stdio.proto`, ...).
fn plugin_file_names() -> Vec<String> {
    our_files(host::go_plugin::FILE_DESCRIPTOR_SET)
        .iter()
        .map(|file| {
            file.name()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn builds_or_skip() -> Option<&'static [Extracted]> {
    let builds = extracted(&plugin_file_names());
    if builds.is_empty() {
        println!(
            "SKIPPED: no Terraform binary found ($TERRAFORM, `terraform` on PATH, \
             .tools/terraform/*/terraform): nothing to compare the protos with"
        );
        return None;
    }
    Some(builds)
}

/// Prints the differences for one build and returns the failures they make under the rule:
/// conflicts always fail; at the reference release anything one-sided fails; on an older
/// release what only Terraform has fails (we would drop a field it sends); on a newer one
/// what only we have fails (Terraform never had it). While the reference is a 1.16 release,
/// Terraform 1.15 must differ from ours by exactly `added_in_6_11`, all only ours.
fn judge(
    what: &str,
    build: &TerraformBuild,
    reference: &str,
    differences: &Differences,
    added_in_6_11: &[&str],
) -> Vec<String> {
    let mut failures = Vec::new();
    for (key, ours, theirs) in &differences.conflicts {
        println!("  CONFLICT {key}: ours `{ours}`, Terraform's `{theirs}`");
        failures.push(format!(
            "{what} in Terraform {}: {key}: ours `{ours}`, Terraform's `{theirs}`",
            build.version
        ));
    }
    for only in &differences.only_ours {
        println!("  only ours:      {only}");
    }
    for only in &differences.only_theirs {
        println!("  only Terraform: {only}");
    }
    let one_sided = match relation(&build.version, reference) {
        _ if reference.starts_with("1.16.")
            && relation(&build.version, LAST_6_10_RELEASE).is_eq() =>
        {
            // Exactly Terraform 1.15's elements plus the listed 6.11 additions.
            let unlisted = differences
                .only_ours
                .iter()
                .filter(|only| !added_in_6_11.contains(&only.as_str()))
                .cloned();
            let missing = added_in_6_11
                .iter()
                .filter(|added| !differences.only_ours.iter().any(|only| only == *added))
                .map(|added| format!("the 6.11 addition {added} is not in our proto"));
            differences
                .only_theirs
                .iter()
                .cloned()
                .chain(unlisted)
                .chain(missing)
                .collect()
        }
        std::cmp::Ordering::Equal => [
            differences.only_ours.as_slice(),
            differences.only_theirs.as_slice(),
        ]
        .concat(),
        std::cmp::Ordering::Greater => differences.only_ours.clone(),
        std::cmp::Ordering::Less => differences.only_theirs.clone(),
    };
    failures.extend(
        one_sided
            .into_iter()
            .map(|only| format!("{what} vs Terraform {}: one-sided {only}", build.version)),
    );
    failures
}

#[test]
fn tfplugin6_proto_matches_the_descriptor_terraform_embeds() {
    let Some(builds) = builds_or_skip() else {
        return;
    };
    let (claimed_minor, reference) = claimed();
    let ours = shape(&our_files(tfplugin6::FILE_DESCRIPTOR_SET));
    println!(
        "our proto/tfplugin6.proto claims protocol 6.{claimed_minor}, matching Terraform {reference}: {} elements",
        ours.len()
    );
    let mut failures = Vec::new();
    let mut reference_seen = false;
    for Extracted {
        build,
        tfplugin6: files,
        ..
    } in builds
    {
        let minor = protocol_minor(&build.version);
        let protocol = minor.map_or("unknown".to_string(), |m| format!("6.{m}"));
        println!(
            "Terraform {} (protocol {protocol}), {}: {} tfplugin6.proto descriptor(s)",
            build.version,
            build.code.display(),
            files.len()
        );
        let [file] = files.as_slice() else {
            failures.push(format!(
                "Terraform {}: expected one embedded tfplugin6.proto, found {}",
                build.version,
                files.len()
            ));
            continue;
        };
        let theirs = shape(std::slice::from_ref(file));
        let differences = compare(&ours, &theirs);
        println!(
            "  {} elements; {} in common, {} conflicting, {} only ours, {} only Terraform's",
            theirs.len(),
            ours.len() - differences.only_ours.len() - differences.conflicts.len(),
            differences.conflicts.len(),
            differences.only_ours.len(),
            differences.only_theirs.len()
        );
        if relation(&build.version, &reference).is_eq() {
            reference_seen = true;
            if minor != Some(claimed_minor) {
                failures.push(format!(
                    "our proto claims 6.{claimed_minor}, Terraform {} speaks {protocol}",
                    build.version
                ));
            }
        }
        failures.extend(judge(
            "tfplugin6.proto",
            build,
            &reference,
            &differences,
            &ADDED_IN_6_11,
        ));
    }
    if !reference_seen {
        let last_6_10_seen = builds
            .iter()
            .any(|extracted| relation(&extracted.build.version, LAST_6_10_RELEASE).is_eq());
        println!(
            "note: no Terraform {reference} among the builds; common subsets were checked{}",
            if last_6_10_seen {
                ", and Terraform 1.15's 6.10 plus the listed 6.11 additions"
            } else {
                ""
            }
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn go_plugin_protos_match_the_descriptors_terraform_embeds() {
    let Some(builds) = builds_or_skip() else {
        return;
    };
    let (_, reference) = claimed();
    let ours = our_files(host::go_plugin::FILE_DESCRIPTOR_SET);
    let mut failures = Vec::new();
    for Extracted { build, plugin, .. } in builds {
        for our_file in &ours {
            let suffix = our_file.name().rsplit('/').next().unwrap_or_default();
            let files = &plugin[suffix];
            println!(
                "Terraform {}: {} descriptor(s) of go-plugin's {suffix}",
                build.version,
                files.len()
            );
            let [file] = files.as_slice() else {
                failures.push(format!(
                    "Terraform {}: expected one embedded {suffix}, found {}",
                    build.version,
                    files.len()
                ));
                continue;
            };
            let differences = compare(
                &shape(std::slice::from_ref(our_file)),
                &shape(std::slice::from_ref(file)),
            );
            failures.extend(judge(suffix, build, &reference, &differences, &[]));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_descriptor_reader_finds_a_file_among_other_bytes_and_stops_at_its_end() {
    use prost::Message;
    let ours = our_files(tfplugin6::FILE_DESCRIPTOR_SET);
    let mut file = ours[0].clone();
    file.name = Some("tfplugin6.proto".to_string());
    let mut code = b"unrelated read-only data\x0a\x05bytes".to_vec();
    code.extend(file.encode_to_vec());
    // What follows in a binary: another string constant that starts like a field.
    code.extend_from_slice(b"\x0a\x03abc\x12more");
    let found = embedded_files(&code, "tfplugin6.proto", "tfplugin6");
    assert_eq!(found, vec![file.clone()]);
    assert_eq!(compare(&shape(&ours), &shape(&found)).conflicts, Vec::new());

    // A changed field number is a conflict and a one-sided element on each side.
    let mut changed = file;
    let message = changed
        .message_type
        .iter_mut()
        .find(|m| m.name() == "DynamicValue")
        .expect("DynamicValue");
    message.field[1].number = Some(3);
    let differences = compare(&shape(&ours), &shape(&[changed]));
    assert_eq!(
        differences.only_ours,
        ["message .tfplugin6.DynamicValue field  2: bytes json"]
    );
    assert_eq!(
        differences.only_theirs,
        ["message .tfplugin6.DynamicValue field  3: bytes json"]
    );
}
