terraform {
  required_providers {
    genesyscloud = {
      source  = "rustcx/genesyscloud"
      version = "~> 0.1"
    }
  }
}
