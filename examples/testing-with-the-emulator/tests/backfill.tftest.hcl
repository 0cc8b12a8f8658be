# Runs against the emulator. The CI step (see docs/guides/testing-with-the-emulator.md) seeds a
# wrap-up code, a queue allowing it and a finished call through the emulator's admin API, and
# passes their IDs in as TF_VAR_conversation_id and TF_VAR_sale_code_id.

variable "conversation_id" {
  type = string
}

variable "sale_code_id" {
  type = string
}

variables {
  wrapups = {
    (var.conversation_id) = "Sale completed"
  }
}

run "plan_resolves_the_label_to_the_code_id" {
  command = plan

  assert {
    condition     = genesyscloud_conversation_wrapup.this[var.conversation_id].wrapup_code_id == var.sale_code_id
    error_message = "the plan did not resolve \"Sale completed\" to the seeded code"
  }
}

run "apply_wraps_up_the_call" {
  assert {
    condition     = output.code_ids[var.conversation_id] == var.sale_code_id
    error_message = "the platform did not keep the seeded code on the call"
  }

  assert {
    condition     = genesyscloud_conversation_wrapup.this[var.conversation_id].notes == "back-filled by ops"
    error_message = "the notes were not recorded"
  }
}
