# Back-fill: wrap up yesterday's Support calls that were left without a wrap-up, with one code.
#
# The for_each keys on a filter whose result does not change when the wrap-ups are written:
# every agent participant of the closed interval (wrapup = "any"), kept when it has no
# wrap-up yet or already holds the back-fill code. `wrapup = "missing"` would drop each
# participant from the set as soon as it is wrapped up, and the next plan would destroy it.
variable "interval" {
  description = "The day to back-fill, e.g. 2026-11-30T00:00:00Z/2026-12-01T00:00:00Z."
  type        = string
}

data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

# The code must exist before this configuration is planned (create it in another
# configuration, or in the admin UI), so its ID is known when for_each is evaluated.
data "genesyscloud_routing_wrapupcode" "backfill" {
  name = "Back-filled after outage"
}

data "genesyscloud_conversations" "yesterday" {
  interval    = var.interval
  queue_ids   = [data.genesyscloud_routing_queue.support.id]
  media_types = ["voice"]
  wrapup      = "any"
}

locals {
  backfill = {
    for c in data.genesyscloud_conversations.yesterday.conversations :
    c.participant_id => c
    if c.wrapup_required && (c.wrapup_code_id == null || c.wrapup_code_id == data.genesyscloud_routing_wrapupcode.backfill.id)
  }
}

resource "genesyscloud_conversation_wrapup" "backfill" {
  for_each = local.backfill

  conversation_id  = each.value.conversation_id
  participant_id   = each.value.participant_id
  communication_id = each.value.communication_id
  wrapup_code_name = data.genesyscloud_routing_wrapupcode.backfill.name
  notes            = "Back-filled by Terraform"
}

output "backfilled" {
  value = length(local.backfill)
}
