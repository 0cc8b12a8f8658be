# Moving a wrap-up code the official provider created as genesyscloud_routing_wrapupcode.sale_old
# to this provider, without re-creating it: the official provider forgets it (nothing is
# deleted) and this provider imports the same code by its ID. Delete this file after the apply.
removed {
  from = genesyscloud_routing_wrapupcode.sale_old

  lifecycle {
    destroy = false
  }
}

import {
  provider = genesysrust
  to       = genesyscloud_routing_wrapupcode.sale
  id       = "3f1c9a52-7d4e-4b8a-9c61-2e5f0d8a7b13"
}
