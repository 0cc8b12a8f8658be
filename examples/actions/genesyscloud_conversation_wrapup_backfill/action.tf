data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

# Try it first: terraform apply -invoke=action.genesyscloud_conversation_wrapup_backfill.outage -var dry_run=true
variable "dry_run" {
  type    = bool
  default = false
}

# terraform apply -invoke=action.genesyscloud_conversation_wrapup_backfill.outage
action "genesyscloud_conversation_wrapup_backfill" "outage" {
  config {
    interval          = "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z"
    queue_ids         = [data.genesyscloud_routing_queue.support.id]
    media_types       = ["voice"]
    wrapup_code_name  = "Outage follow-up"
    notes             = "back-filled after the 30 November outage"
    max_conversations = 20000
    dry_run           = var.dry_run
  }
}
