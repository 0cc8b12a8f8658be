# A small module of the kind teams write: back-fill wrap-ups on finished conversations, naming
# each outcome by the label agents see, and report the code ID the platform kept for each.

variable "wrapups" {
  description = "Outcome label (wrap-up code name) per conversation ID."
  type        = map(string)
}

variable "notes" {
  description = "Notes recorded with every wrap-up."
  type        = string
  default     = "back-filled by ops"
}

resource "genesyscloud_conversation_wrapup" "this" {
  for_each = var.wrapups

  conversation_id  = each.key
  wrapup_code_name = each.value
  notes            = var.notes
}

output "code_ids" {
  description = "The wrap-up code ID kept on each conversation."
  value       = { for id, wrapup in genesyscloud_conversation_wrapup.this : id => wrapup.wrapup_code_id }
}
