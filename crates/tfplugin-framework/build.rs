//! Generates the gRPC code for tfplugin6 and go-plugin's side services from `proto/`, with the
//! pure-Rust `protox` compiler so no `protoc` is needed on the build machine. Also writes the
//! compiled file descriptor sets (`tfplugin6.fds`, `plugin.fds` in `OUT_DIR`), which the
//! proto modules expose so tests can compare them with the descriptors Terraform embeds.

use protox::prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tfplugin = ["proto/tfplugin6.proto"];
    let plugin = [
        "proto/plugin/grpc_controller.proto",
        "proto/plugin/grpc_stdio.proto",
        "proto/plugin/grpc_broker.proto",
    ];
    let protos: Vec<&str> = tfplugin.iter().chain(&plugin).copied().collect();
    for proto in &protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    for (name, files) in [
        ("tfplugin6.fds", &tfplugin[..]),
        ("plugin.fds", &plugin[..]),
    ] {
        let mut set = protox::compile(files, ["proto"])?;
        // Only our own files: not the well-known types they import.
        set.file
            .retain(|file| !file.name().starts_with("google/protobuf/"));
        for file in &mut set.file {
            file.source_code_info = None;
        }
        std::fs::write(out_dir.join(name), set.encode_to_vec())?;
    }
    let descriptors = protox::compile(&protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
