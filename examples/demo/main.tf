# The configuration scripts/demo.sh applies against the local emulator: two wrap-up codes, a
# lookup by name, and an action that wraps up a finished conversation with one of them.
# Credentials and the emulator's address come from GENESYSCLOUD_* environment variables.
terraform {
  required_providers {
    genesyscloud = {
      source = "rustcx/genesyscloud"
    }
  }
}

provider "genesyscloud" {}

variable "conversation_id" {
  description = "A conversation whose agent is awaiting wrap-up (the demo seeds one)."
  type        = string
}

resource "genesyscloud_routing_wrapupcode" "sale" {
  name        = "Sale completed"
  description = "Customer bought something"
}

resource "genesyscloud_routing_wrapupcode" "callback" {
  name        = "Callback requested"
  description = "Customer asked to be called back"
}

data "genesyscloud_routing_wrapupcode" "sale" {
  name = genesyscloud_routing_wrapupcode.sale.name
}

# Run with: terraform apply -invoke=action.genesyscloud_conversation_wrapup.close
# The code is named by its label; the provider resolves it to the ID the platform needs and
# reads the wrap-up back to prove it persisted.
action "genesyscloud_conversation_wrapup" "close" {
  config {
    conversation_id  = var.conversation_id
    wrapup_code_name = "Sale completed"
    notes            = "Wrapped up by the Terraform demo"
  }
}

output "wrapup_code_ids" {
  value = {
    sale     = genesyscloud_routing_wrapupcode.sale.id
    callback = genesyscloud_routing_wrapupcode.callback.id
  }
}

output "sale_code_found_by_name" {
  value = data.genesyscloud_routing_wrapupcode.sale.id
}
