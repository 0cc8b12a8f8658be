//! Genesys Cloud Platform API v2 client: auth, retries, paging, typed models. Knows nothing of
//! Terraform.

pub mod read_cache;
pub mod region;

pub use region::Region;
