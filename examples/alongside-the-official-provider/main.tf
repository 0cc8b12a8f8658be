terraform {
  required_providers {
    # The official provider keeps everything it manages today.
    genesyscloud = {
      source = "mypurecloud/genesyscloud"
    }
    # This provider under a second local name. Its types also start with `genesyscloud_`, so
    # each resource or data source that should use it says so with `provider = genesysrust`.
    genesysrust = {
      source = "rustcx/genesyscloud"
    }
  }
}

# Both read the same GENESYSCLOUD_* environment variables (or set the same arguments here).
provider "genesyscloud" {}

provider "genesysrust" {}

resource "genesyscloud_routing_wrapupcode" "sale" {
  provider    = genesysrust
  name        = "Sale completed"
  description = "Customer bought something"
}

data "genesyscloud_routing_wrapupcode" "no_sale" {
  provider = genesysrust
  name     = "No sale"
}

output "no_sale_id" {
  value = data.genesyscloud_routing_wrapupcode.no_sale.id
}
