# Look a wrap-up code up by its exact name.
data "genesyscloud_routing_wrapupcode" "sale" {
  name = "Sale completed"
}

output "sale_wrapup_code_id" {
  value = data.genesyscloud_routing_wrapupcode.sale.id
}
