# Runs against the emulator started with ../seed.json (by compose.yaml, or by ci.sh), which
# holds the wrap-up code "Sale completed", the queue "Sales" allowing it and a finished call
# answered on that queue, each with a fixed ID.

variables {
  conversation_id = "c0ffee00-1234-4abc-8def-000000000301"
  sale_code_id    = "8f0c3a5e-1d2b-4c6f-8a90-3b4c5d6e7f01"
  wrapups = {
    "c0ffee00-1234-4abc-8def-000000000301" = "Sale completed"
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
