/// A Genesys Cloud region: the `aws_region` name users configure and the domain its API
/// (`https://api.{domain}`) and login (`https://login.{domain}`) hosts live under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    pub domain: &'static str,
}

impl Region {
    /// Every region the provider knows, as named by the official provider's `aws_region`.
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

    /// Looks a region up by its configured name (exact match).
    pub fn by_name(name: &str) -> Option<Region> {
        Region::ALL.iter().copied().find(|r| r.name == name)
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
