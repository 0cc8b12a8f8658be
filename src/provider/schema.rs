use tfplugin_framework::cty::Type;
use tfplugin_framework::{Attribute, Block, Schema};

/// The kind of value a provider setting holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    String,
    Bool,
    Number,
}

/// One attribute of the `provider "genesyscloud"` block and the environment variable it falls
/// back to. The schema, the validation and the docs are all driven from [`SETTINGS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    pub env: &'static str,
    pub kind: SettingKind,
    pub sensitive: bool,
    /// Markdown description, without the env-var sentence (added by [`Setting::description`]).
    pub summary: &'static str,
}

impl Setting {
    /// The Markdown description shown in the schema, naming the env-var fallback.
    pub fn description(&self) -> String {
        format!(
            "{} Can also be set with the `{}` environment variable.",
            self.summary, self.env
        )
    }
}

pub const OAUTHCLIENT_ID: Setting = Setting {
    name: "oauthclient_id",
    env: "GENESYSCLOUD_OAUTHCLIENT_ID",
    kind: SettingKind::String,
    sensitive: false,
    summary: "ID of the OAuth client (client-credentials grant) the provider authenticates \
              with. Used together with `oauthclient_secret`; conflicts with `access_token`.",
};

pub const OAUTHCLIENT_SECRET: Setting = Setting {
    name: "oauthclient_secret",
    env: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
    kind: SettingKind::String,
    sensitive: true,
    summary: "Secret of the OAuth client named by `oauthclient_id`.",
};

pub const AWS_REGION: Setting = Setting {
    name: "aws_region",
    env: "GENESYSCLOUD_REGION",
    kind: SettingKind::String,
    sensitive: false,
    summary: "Genesys Cloud region of the organization, e.g. `us-east-1`, `eu-west-1`, \
              `ap-southeast-2`; selects the API and login hosts. Defaults to `us-east-1`.",
};

pub const ACCESS_TOKEN: Setting = Setting {
    name: "access_token",
    env: "GENESYSCLOUD_ACCESS_TOKEN",
    kind: SettingKind::String,
    sensitive: true,
    summary: "A bearer token to use instead of OAuth client credentials (for example one \
              obtained by a CI pipeline). Conflicts with `oauthclient_id` and \
              `oauthclient_secret`.",
};

pub const API_URL: Setting = Setting {
    name: "api_url",
    env: "GENESYSCLOUD_API_URL",
    kind: SettingKind::String,
    sensitive: false,
    summary: "Base URL of the Platform API (e.g. `https://api.mypurecloud.com`), overriding \
              the one derived from `aws_region`; for gateways and the local emulator. Must be \
              `https://`, except `http://` on a loopback host (`localhost`, `127.0.0.0/8`, \
              `::1`).",
};

pub const LOGIN_URL: Setting = Setting {
    name: "login_url",
    env: "GENESYSCLOUD_LOGIN_URL",
    kind: SettingKind::String,
    sensitive: false,
    summary: "Base URL of the login host that issues OAuth tokens (e.g. \
              `https://login.mypurecloud.com`), overriding the one derived from `aws_region`. \
              Same `https://` rule as `api_url`.",
};

pub const READ_CACHE: Setting = Setting {
    name: "read_cache",
    env: "GENESYSCLOUD_READ_CACHE",
    kind: SettingKind::Bool,
    sensitive: false,
    summary: "Whether refresh reads many objects of a type with one paged list per run \
              instead of one request each. Defaults to `true`; set `false` to read every \
              object individually.",
};

/// Every provider setting, in schema order.
pub const TOKEN_POOL_SIZE: Setting = Setting {
    name: "token_pool_size",
    env: "GENESYSCLOUD_TOKEN_POOL_SIZE",
    kind: SettingKind::Number,
    sensitive: false,
    summary: "How many access tokens the provider may hold at once, 1 to 50; defaults to 10. \
              The platform meters requests per token, so each token adds a budget. The \
              provider starts with one token and logs in for another only when every token's \
              budget is spent and requests are waiting. Ignored with `access_token`.",
};

pub const MAX_REQUESTS_PER_MINUTE: Setting = Setting {
    name: "max_requests_per_minute",
    env: "GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE",
    kind: SettingKind::Number,
    sensitive: false,
    summary: "The provider's own request budget per access token and minute, 1 to 100000. \
              Defaults to the org's own per-token limit (`client.credentials.token.rate.per.minute`), \
              read once per provider process when a run comes near 300 requests a minute on a \
              token, or 300, the platform's default, when the OAuth client may not read it. \
              Requests beyond it wait instead of meeting a 429; a 429 lowers the budget by a \
              tenth (once per rate-limit pause), and each 10 s without one raises it again by a \
              tenth of its ceiling, up to this figure (or the org's limit).",
};

pub const ADOPT_IDENTICAL_WRAPUP_CODES: Setting = Setting {
    name: "adopt_identical_wrapup_codes",
    env: "GENESYSCLOUD_ADOPT_IDENTICAL_WRAPUP_CODES",
    kind: SettingKind::Bool,
    sensitive: false,
    summary: "Whether a `genesyscloud_routing_wrapupcode` to be created takes over an existing \
              code of the same name instead of failing with \"name already in use\", when \
              that code equals the configuration in every attribute (exact name, \
              description, division) and was created by this OAuth client: the code a \
              killed apply left behind. The plan says so with a warning naming the code. \
              Defaults to `false`.",
};

pub const SETTINGS: &[Setting] = &[
    OAUTHCLIENT_ID,
    OAUTHCLIENT_SECRET,
    AWS_REGION,
    ACCESS_TOKEN,
    API_URL,
    LOGIN_URL,
    READ_CACHE,
    TOKEN_POOL_SIZE,
    MAX_REQUESTS_PER_MINUTE,
    ADOPT_IDENTICAL_WRAPUP_CODES,
];

/// The `provider "genesyscloud"` block's schema: every setting optional.
pub fn provider_schema() -> Schema {
    let attributes = SETTINGS
        .iter()
        .map(|setting| Attribute {
            name: setting.name.to_string(),
            ty: match setting.kind {
                SettingKind::String => Type::String,
                SettingKind::Bool => Type::Bool,
                SettingKind::Number => Type::Number,
            },
            description: setting.description(),
            required: false,
            optional: true,
            computed: false,
            sensitive: setting.sensitive,
            write_only: false,
            deprecated: false,
        })
        .collect();
    Schema {
        version: 0,
        block: Block {
            attributes,
            block_types: Vec::new(),
            description: "The Genesys Cloud provider manages Genesys Cloud configuration \
                          through the Platform API v2. Every setting is optional and falls back \
                          to a `GENESYSCLOUD_*` environment variable; credentials are only \
                          needed once a resource talks to the API."
                .to_string(),
            deprecated: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_is_optional_and_names_its_env_var() {
        let schema = provider_schema();
        assert_eq!(schema.block.attributes.len(), SETTINGS.len());
        for (attribute, setting) in schema.block.attributes.iter().zip(SETTINGS) {
            assert_eq!(attribute.name, setting.name);
            assert!(attribute.optional && !attribute.required && !attribute.computed);
            assert!(
                attribute.description.contains(setting.env),
                "{} description lacks {}",
                setting.name,
                setting.env
            );
        }
    }

    #[test]
    fn only_secret_and_token_are_sensitive() {
        let sensitive: Vec<_> = provider_schema()
            .block
            .attributes
            .into_iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name)
            .collect();
        assert_eq!(sensitive, ["oauthclient_secret", "access_token"]);
    }

    #[test]
    fn flags_are_bools_pool_and_budget_are_numbers_and_the_rest_strings() {
        for attribute in provider_schema().block.attributes {
            let expected = match attribute.name.as_str() {
                "read_cache" | "adopt_identical_wrapup_codes" => Type::Bool,
                "token_pool_size" | "max_requests_per_minute" => Type::Number,
                _ => Type::String,
            };
            assert_eq!(attribute.ty, expected, "{}", attribute.name);
        }
    }
}
