# The forum scenario: after a call ends, a script back-fills the agent's wrap-up and puts the
# code's label ("Sale completed") where the platform expects the code's ID. The platform answers
# 200 OK and keeps nothing. With this provider the label is what you write: it is resolved to
# the code's ID among the codes of the agent's queue, posted to the conversation's media
# endpoint, and read back, so an apply that did not stick fails. See
# docs/guides/wrapup-by-label.md.

provider "genesyscloud" {}

variable "conversation_id" {
  type        = string
  description = "The finished conversation whose agent is awaiting wrap-up."
}

variable "wrapup_code_label" {
  type        = string
  description = "The wrap-up code as agents see it in the UI."
  default     = "Sale completed"
}

resource "genesyscloud_conversation_wrapup" "backfill" {
  conversation_id  = var.conversation_id
  wrapup_code_name = var.wrapup_code_label
  notes            = "back-filled after the call"
}

output "wrapup_code_id" {
  description = "The ID the label resolved to: what the platform now holds."
  value       = genesyscloud_conversation_wrapup.backfill.wrapup_code_id
}

output "participant_id" {
  description = "The agent participant the wrap-up was applied to."
  value       = genesyscloud_conversation_wrapup.backfill.participant_id
}
