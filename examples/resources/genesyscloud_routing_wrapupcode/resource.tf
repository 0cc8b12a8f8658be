# The platform chooses the division (state records it: the home division, or "*").
resource "genesyscloud_routing_wrapupcode" "sale" {
  name        = "Sale completed"
  description = "Customer bought something"
}

# A wrap-up code in a given division; changing division_id moves the code in place.
resource "genesyscloud_routing_wrapupcode" "callback" {
  name        = "Callback requested"
  division_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

# A wrap-up code in all divisions.
resource "genesyscloud_routing_wrapupcode" "everywhere" {
  name        = "Wrong number"
  division_id = "*"
}
