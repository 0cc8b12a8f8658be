# Look a queue up by its exact name.
data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

output "support_queue_id" {
  value = data.genesyscloud_routing_queue.support.id
}
