terraform {
  required_providers {
    genesyscloud = {
      source = "rustcx/genesyscloud"
    }
  }
}

# Credentials usually come from the environment:
#   export GENESYSCLOUD_OAUTHCLIENT_ID=...
#   export GENESYSCLOUD_OAUTHCLIENT_SECRET=...
#   export GENESYSCLOUD_REGION=eu-west-1
provider "genesyscloud" {
  aws_region = "eu-west-1"
}
