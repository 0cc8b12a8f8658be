# Import a wrap-up code by its ID (a UUID).
terraform import genesyscloud_routing_wrapupcode.sale 3fa85f64-5717-4562-b3fc-2c963f66afa6

# Or by its exact name, prefixed with `name:`.
terraform import genesyscloud_routing_wrapupcode.sale "name:Sale completed"

# Terraform 1.12+ can also import with an import block, by ID or by identity:
#   import {
#     to       = genesyscloud_routing_wrapupcode.sale
#     identity = { id = "3fa85f64-5717-4562-b3fc-2c963f66afa6" }
#   }
