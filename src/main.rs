//! The provider binary Terraform launches.

fn main() -> std::process::ExitCode {
    tfplugin_framework::host::main(genesyscloud_provider::provider::new)
}
