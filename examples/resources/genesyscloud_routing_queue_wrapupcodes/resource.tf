# The wrap-up codes agents on the Support queue may choose from. Authoritative: a code
# assigned to the queue outside Terraform is removed by the next apply.
data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_wrapupcode" "backfill" {
  name        = "Back-filled after outage"
  description = "Applied by Terraform to conversations left without a wrap-up"
}

data "genesyscloud_routing_wrapupcode" "sale" {
  name = "Sale completed"
}

resource "genesyscloud_routing_queue_wrapupcodes" "support" {
  queue_id = data.genesyscloud_routing_queue.support.id
  wrapup_code_ids = [
    genesyscloud_routing_wrapupcode.backfill.id,
    data.genesyscloud_routing_wrapupcode.sale.id,
  ]
}
