variable "conversation_id" {
  type = string
}

variable "callback_conversation_id" {
  type = string
}

# Name the code by its label: the provider resolves it to the code's ID among the codes
# allowed on the participant's queue, posts the wrap-up and reads it back.
resource "genesyscloud_conversation_wrapup" "fix" {
  conversation_id  = var.conversation_id
  wrapup_code_name = "Sale completed"
  notes            = "back-filled by ops"
}

# Or by ID, for example of a code managed in the same configuration.
resource "genesyscloud_routing_wrapupcode" "callback" {
  name = "Callback scheduled"
}

resource "genesyscloud_conversation_wrapup" "callback" {
  conversation_id = var.callback_conversation_id
  wrapup_code_id  = genesyscloud_routing_wrapupcode.callback.id
  tags            = ["backfill"]
}
