variable "conversation_id" {
  type = string
}

# terraform apply -invoke=action.genesyscloud_conversation_wrapup.close
action "genesyscloud_conversation_wrapup" "close" {
  config {
    conversation_id  = var.conversation_id
    wrapup_code_name = "Sale completed"
    notes            = "closed by the on-call runbook"
  }
}

# Or run it whenever another resource is created.
resource "terraform_data" "ticket_closed" {
  input = var.conversation_id

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.genesyscloud_conversation_wrapup.close]
    }
  }
}
