# Import the codes of a queue by the queue's ID (a UUID).
terraform import genesyscloud_routing_queue_wrapupcodes.support 5b2c7e0a-3f1d-4c8e-9a2b-6d4e8f0a1c3b

# Terraform 1.12+ can also import with an import block, by identity:
#   import {
#     to       = genesyscloud_routing_queue_wrapupcodes.support
#     identity = { queue_id = "5b2c7e0a-3f1d-4c8e-9a2b-6d4e8f0a1c3b" }
#   }
