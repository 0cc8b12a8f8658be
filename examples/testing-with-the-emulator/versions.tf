terraform {
  required_providers {
    genesyscloud = {
      source = "rustcx/genesyscloud"
    }
  }
}
