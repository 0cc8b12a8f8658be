/// A Genesys Cloud region: the `aws_region` name users configure and the domain its API
/// (`https://api.{domain}`) and login (`https://login.{domain}`) hosts live under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    pub domain: &'static str,
}

impl Region {
    /// Every region the provider knows, as named by the official provider's `aws_region`; the
    /// domains match the official SDK's region host table (`PureCloudRegionHosts`, SDK 269).
    pub const ALL: &'static [Region] = &[
        Region {
            name: "us-east-1",
            domain: "mypurecloud.com",
        },
        Region {
            name: "us-east-2",
            domain: "use2.us-gov-pure.cloud",
        },
        Region {
            name: "us-west-2",
            domain: "usw2.pure.cloud",
        },
        Region {
            name: "ca-central-1",
            domain: "cac1.pure.cloud",
        },
        Region {
            name: "sa-east-1",
            domain: "sae1.pure.cloud",
        },
        Region {
            name: "mx-central-1",
            domain: "mxc1.pure.cloud",
        },
        Region {
            name: "eu-central-1",
            domain: "mypurecloud.de",
        },
        Region {
            name: "eu-central-2",
            domain: "euc2.pure.cloud",
        },
        Region {
            name: "eu-west-1",
            domain: "mypurecloud.ie",
        },
        Region {
            name: "eu-west-2",
            domain: "euw2.pure.cloud",
        },
        Region {
            name: "eusc-de-east-1",
            domain: "edee1.eusc-pure.cloud",
        },
        Region {
            name: "ap-south-1",
            domain: "aps1.pure.cloud",
        },
        Region {
            name: "ap-northeast-1",
            domain: "mypurecloud.jp",
        },
        Region {
            name: "ap-northeast-2",
            domain: "apne2.pure.cloud",
        },
        Region {
            name: "ap-northeast-3",
            domain: "apne3.pure.cloud",
        },
        Region {
            name: "ap-southeast-1",
            domain: "apse1.pure.cloud",
        },
        Region {
            name: "ap-southeast-2",
            domain: "mypurecloud.com.au",
        },
        Region {
            name: "me-central-1",
            domain: "mec1.pure.cloud",
        },
    ];

    /// The default region when none is configured.
    pub const DEFAULT: &'static str = "us-east-1";

    /// Looks a region up by its configured name, ignoring ASCII case and surrounding blanks as
    /// the official provider does.
    pub fn by_name(name: &str) -> Option<Region> {
        let name = name.trim();
        Region::ALL
            .iter()
            .copied()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// Names of every known region, for error messages listing the valid choices.
    pub fn names() -> Vec<&'static str> {
        Region::ALL.iter().map(|r| r.name).collect()
    }

    /// Base URL of the Platform API, e.g. `https://api.mypurecloud.com`.
    pub fn api_base(&self) -> String {
        format!("https://api.{}", self.domain)
    }

    /// Base URL of the login host, e.g. `https://login.mypurecloud.com`.
    pub fn login_base(&self) -> String {
        format!("https://login.{}", self.domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_region_is_us_east_1_on_mypurecloud_com() {
        let region = Region::by_name(Region::DEFAULT).expect("default region is in the table");
        assert_eq!(region.api_base(), "https://api.mypurecloud.com");
        assert_eq!(region.login_base(), "https://login.mypurecloud.com");
    }

    #[test]
    fn lookup_ignores_case_and_blanks() {
        let region = Region::by_name(" EU-West-1 ").expect("eu-west-1 is known");
        assert_eq!(region.domain, "mypurecloud.ie");
    }

    #[test]
    fn newer_regions_are_known() {
        assert_eq!(
            Region::by_name("mx-central-1").map(|r| r.domain),
            Some("mxc1.pure.cloud")
        );
        assert_eq!(
            Region::by_name("ap-southeast-1").map(|r| r.domain),
            Some("apse1.pure.cloud")
        );
        assert_eq!(
            Region::by_name("eusc-de-east-1").map(|r| r.domain),
            Some("edee1.eusc-pure.cloud")
        );
    }

    #[test]
    fn unknown_region_is_none() {
        assert!(Region::by_name("us-west-1").is_none());
    }

    #[test]
    fn region_names_are_unique() {
        let mut names = Region::names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Region::ALL.len());
    }
}
