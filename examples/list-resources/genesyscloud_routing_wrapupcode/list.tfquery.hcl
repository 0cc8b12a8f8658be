# `terraform query` lists wrap-up codes to bring under management;
# `terraform query -generate-config-out=generated.tf` writes resource and import blocks.
list "genesyscloud_routing_wrapupcode" "sales" {
  provider = genesyscloud

  config {
    name_prefix = "Sale"
    # division_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
  }
}
