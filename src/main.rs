//! The provider binary Terraform launches.

fn main() -> std::process::ExitCode {
    genesyscloud_provider::plugin::main(genesyscloud_provider::provider::new)
}
