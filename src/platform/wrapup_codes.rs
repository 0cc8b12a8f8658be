//! The wrap-up code view of the platform: the code as the Terraform types see it, the
//! operations they need, and [`WrapupCodeCatalog`], those operations with the process's read cache
//! in front (one listing serves every refresh and every name check; writes patch it).

use super::lag_waits::LagWaits;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use tokio::sync::OnceCell;

use super::PlatformError;
use genesys_client::read_cache::{CacheSource, Cacheable, ReadCache};
use genesys_client::{GenesysClient, WrapupCodeQuery, models};

/// A wrap-up code as the Terraform types see it. `description` is `None` when the platform
/// holds none or an empty one: the two are the same thing to users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrapupCodeRecord {
    pub id: String,
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
    /// Who and when the platform says created the code, for deciding whether a code is ours.
    pub origin: Origin,
}

/// The platform's record of a code's creation: `createdBy` (the SDK: "the ID of the user that
/// created the wrap-up code"; for a client-credentials write the emulator records the OAuth
/// client's ID, which is assumed, not confirmed, for the real platform) and `dateCreated`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub created_by: Option<String>,
    pub date_created: Option<String>,
}

impl Origin {
    /// `dateCreated` as an instant, when the platform gave one that parses (ISO-8601).
    pub fn created_at(&self) -> Option<time::OffsetDateTime> {
        let text = self.date_created.as_deref()?;
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
    }
}

/// Who this provider process writes as, and what it may adopt; set once per configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriterPolicy {
    /// The OAuth client ID the process authenticates as; `None` with a bare access token,
    /// whose owner the provider does not know (so nothing is ever proved to be ours).
    pub writer: Option<String>,
    /// `adopt_identical_wrapup_codes`: a create may take over an existing code that equals
    /// its configuration in every attribute and that this OAuth client created.
    pub adopt_identical: bool,
}

/// Someone in this run who wants a name: a planned code (by state ID when it has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClaim {
    /// The name as the claimant spelled it.
    pub name: String,
    /// The claimant's code ID, `None` for a code still to be created.
    pub id: Option<String>,
}

impl Cacheable for WrapupCodeRecord {
    fn cache_id(&self) -> &str {
        &self.id
    }
}

/// What create and update send: `division_id: None` lets the platform pick the home division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCodeFields {
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
}

/// The wrap-up code operations the Terraform types need, implemented over the API client
/// ([`GenesysWrapupCodeStore`]) and, with the read cache in front, by [`WrapupCodeCatalog`]. A seam so
/// the types' decisions can be tested without a network.
#[async_trait]
pub trait WrapupCodeStore: Send + Sync {
    /// Every code, all pages at the largest page size.
    async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError>;
    /// Codes the platform's name search returns for `name` (may be partial or case
    /// insensitive: callers filter for the exact match they need).
    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCodeRecord>, PlatformError>;
    /// Codes in one division, optionally narrowed by the platform's name search.
    async fn list_filtered(
        &self,
        name: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCodeRecord>, PlatformError>;
    async fn get(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError>;
    /// POST: never replayed by the client; a dropped answer is [`PlatformError::Ambiguous`].
    async fn create(&self, input: &WrapupCodeFields) -> Result<WrapupCodeRecord, PlatformError>;
    async fn update(
        &self,
        id: &str,
        input: &WrapupCodeFields,
    ) -> Result<WrapupCodeRecord, PlatformError>;
    /// Ok(false) when the code was already gone.
    async fn delete(&self, id: &str) -> Result<bool, PlatformError>;
    /// The org's home division, where codes created without a division land.
    async fn home_division_id(&self) -> Result<String, PlatformError>;

    /// The code holding `name` (ignoring case, as the platform does) for an "is this name
    /// free" check. A listing may lag a delete, so a holder it shows is confirmed by ID: a
    /// code that is gone, or renamed since, does not hold the name.
    async fn name_holder(&self, name: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        let listed = pick_holder(self.search_by_name(name).await?, name);
        match listed {
            Some(code) => confirm_holder(self, code, name).await,
            None => Ok(None),
        }
    }
}

/// Whether two names are the same to the platform, which keeps names unique ignoring case
/// and surrounding whitespace.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The exact match for `name` among `found`, else one equal ignoring case.
fn pick_holder(found: Vec<WrapupCodeRecord>, name: &str) -> Option<WrapupCodeRecord> {
    let exact = found.iter().position(|code| code.name == name);
    let similar = found.iter().position(|code| same_name(&code.name, name));
    let index = exact.or(similar)?;
    found.into_iter().nth(index)
}

/// The listed holder of `name` as the platform holds it now (a GET by ID), if it still does.
async fn confirm_holder<A: WrapupCodeStore + ?Sized>(
    api: &A,
    listed: WrapupCodeRecord,
    name: &str,
) -> Result<Option<WrapupCodeRecord>, PlatformError> {
    Ok(api
        .get(&listed.id)
        .await?
        .filter(|code| same_name(&code.name, name)))
}

/// Wrap-up code access for one provider process: the API and its read cache.
#[derive(Clone)]
pub struct WrapupCodeCatalog {
    api: Arc<dyn WrapupCodeStore>,
    cache: Arc<ReadCache<WrapupCodeRecord>>,
    home_division: Arc<OnceCell<String>>,
    policy: WriterPolicy,
    lag_waits: LagWaits,
    run: Arc<Mutex<RunNames>>,
}

/// What this run (one configuration of the provider) learned about names and codes: the
/// names planned codes want, and the IDs of codes some resource's state holds.
#[derive(Default)]
struct RunNames {
    claims: Vec<NameClaim>,
    managed: Vec<String>,
}

impl WrapupCodeCatalog {
    /// Access over `api`, serving reads from a bulk listing when `read_cache` is on.
    pub fn new(api: Arc<dyn WrapupCodeStore>, read_cache: bool) -> Self {
        WrapupCodeCatalog {
            api,
            cache: ReadCache::new(read_cache),
            home_division: Arc::new(OnceCell::new()),
            policy: WriterPolicy::default(),
            lag_waits: LagWaits::FULL,
            run: Arc::new(Mutex::new(RunNames::default())),
        }
    }

    /// The same access, writing as `policy` says.
    pub fn with_policy(mut self, policy: WriterPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Who this process writes as and what it may adopt.
    pub fn policy(&self) -> &WriterPolicy {
        &self.policy
    }

    /// The same access, waiting out the platform's lag as `lag_waits` says.
    pub fn with_lag_waits(mut self, lag_waits: LagWaits) -> Self {
        self.lag_waits = lag_waits;
        self
    }

    /// How long waits for the search and listing lag run (`lag_wait_percent`).
    pub fn lag_waits(&self) -> LagWaits {
        self.lag_waits
    }

    /// Records that `claim` wants its name in this run (one configuration of the provider,
    /// so one plan or one apply) and returns the earlier claims on the same name (ignoring
    /// case, as the platform does) by someone else: two codes that cannot both exist. An
    /// earlier claim by the same code ID is that code planned again, not a rival.
    pub fn claim_name(&self, claim: NameClaim) -> Vec<NameClaim> {
        let mut run = self.run.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = &claim.id
            && !run.managed.contains(id)
        {
            run.managed.push(id.clone());
        }
        let rivals = run
            .claims
            .iter()
            .filter(|earlier| same_name(&earlier.name, &claim.name))
            .filter(|earlier| earlier.id.is_none() || earlier.id != claim.id)
            .cloned()
            .collect();
        run.claims.push(claim);
        rivals
    }

    /// Every claim of this run on `name` (ignoring case) except the caller's own (`name`,
    /// `id`): the rivals known now, later claims included.
    pub fn rivals(&self, name: &str, id: Option<&str>) -> Vec<NameClaim> {
        let run = self.run.lock().unwrap_or_else(PoisonError::into_inner);
        let mut rivals: Vec<NameClaim> = run
            .claims
            .iter()
            .filter(|claim| same_name(&claim.name, name))
            .filter(|claim| id.is_none() || claim.id.as_deref() != id)
            .cloned()
            .collect();
        if let Some(own) = rivals
            .iter()
            .position(|claim| claim.name == name && claim.id.as_deref() == id)
        {
            rivals.remove(own);
        }
        rivals
    }

    /// Records that some resource's state holds code `id` (a refresh read it).
    pub fn note_managed(&self, id: &str) {
        let mut run = self.run.lock().unwrap_or_else(PoisonError::into_inner);
        if !run.managed.iter().any(|known| known == id) {
            run.managed.push(id.to_owned());
        }
    }

    /// Whether some resource of this run holds code `id` in its state.
    pub fn is_managed(&self, id: &str) -> bool {
        self.run
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .managed
            .iter()
            .any(|known| known == id)
    }

    /// The home division's ID, asked once per process; `None` if the platform would not say
    /// (e.g. the OAuth client may not view divisions).
    pub async fn home_division_id(&self) -> Option<String> {
        self.home_division().await.ok().flatten()
    }

    /// Like [`home_division_id`](Self::home_division_id), but refused credentials are an
    /// error: the first refusal of a run must reach the user, naming the settings to check.
    pub async fn home_division(&self) -> Result<Option<String>, PlatformError> {
        match self
            .home_division
            .get_or_try_init(|| self.api.home_division_id())
            .await
        {
            Ok(id) => Ok(Some(id.clone())),
            Err(error) if error.refused_credentials() => Err(error),
            Err(error) => {
                tracing::warn!(
                    ?error,
                    "cannot look up the home division; planning it as unknown"
                );
                Ok(None)
            }
        }
    }

    /// The operations, with the cache in front: writes (and GETs) made through it patch the
    /// cache, so no call site can forget to.
    pub fn api(&self) -> &dyn WrapupCodeStore {
        self
    }

    /// One code by ID, through the read cache.
    pub async fn read(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        self.cache.get(&ApiSource(&*self.api), id).await
    }

    /// One code by ID for a refresh: served from the listing when it matches what the caller
    /// holds (`unchanged`), else confirmed with a GET, so a lagging listing reports no drift
    /// the platform does not have.
    pub async fn read_checked(
        &self,
        id: &str,
        unchanged: impl Fn(&WrapupCodeRecord) -> bool + Send,
    ) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        self.cache
            .get_checked(&ApiSource(&*self.api), id, unchanged)
            .await
    }

    /// Every code from the cache's listing; `None` when the cache is off or unavailable.
    pub async fn snapshot(&self) -> Option<Vec<WrapupCodeRecord>> {
        self.cache.snapshot(&ApiSource(&*self.api)).await
    }

    /// Records a code (writes through [`api`](Self::api) already do).
    pub async fn remember(&self, code: WrapupCodeRecord) {
        self.cache.put(code).await;
    }

    /// Forgets a code (deletes through [`api`](Self::api) already do).
    pub async fn forget(&self, id: &str) {
        self.cache.remove(id).await;
    }
}

/// The operations through the cache: reads the cache cannot answer and every write go to the
/// platform, and what they learn patches the cache.
#[async_trait]
impl WrapupCodeStore for WrapupCodeCatalog {
    async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        self.api.list_all().await
    }

    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        self.api.search_by_name(name).await
    }

    async fn list_filtered(
        &self,
        name: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        self.api.list_filtered(name, division_id).await
    }

    async fn get(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        let found = self.api.get(id).await?;
        match &found {
            Some(code) => self.cache.put(code.clone()).await,
            None => self.cache.remove(id).await,
        }
        Ok(found)
    }

    async fn create(&self, input: &WrapupCodeFields) -> Result<WrapupCodeRecord, PlatformError> {
        let code = self.api.create(input).await?;
        self.cache.put(code.clone()).await;
        Ok(code)
    }

    async fn update(
        &self,
        id: &str,
        input: &WrapupCodeFields,
    ) -> Result<WrapupCodeRecord, PlatformError> {
        match self.api.update(id, input).await {
            Ok(code) => {
                self.cache.put(code.clone()).await;
                Ok(code)
            }
            Err(error) => {
                if matches!(error, PlatformError::NotFound(_)) {
                    self.cache.remove(id).await;
                }
                Err(error)
            }
        }
    }

    async fn delete(&self, id: &str) -> Result<bool, PlatformError> {
        let deleted = self.api.delete(id).await?;
        self.cache.remove(id).await;
        Ok(deleted)
    }

    async fn home_division_id(&self) -> Result<String, PlatformError> {
        self.home_division
            .get_or_try_init(|| self.api.home_division_id())
            .await
            .cloned()
    }

    /// From the cache's listing when there is one (one listing per process serves every
    /// name check), else the platform's name search; a holder is confirmed by ID either way.
    async fn name_holder(&self, name: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        let snapshot = self.cache.try_snapshot(&ApiSource(&*self.api)).await?;
        let listed = match snapshot {
            Some(all) => pick_holder(all, name),
            None => pick_holder(self.api.search_by_name(name).await?, name),
        };
        match listed {
            Some(code) => confirm_holder(self, code, name).await,
            None => Ok(None),
        }
    }
}

struct ApiSource<'a>(&'a dyn WrapupCodeStore);

#[async_trait]
impl CacheSource<WrapupCodeRecord> for ApiSource<'_> {
    type Error = PlatformError;
    async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        self.0.list_all().await
    }
    async fn get_by_id(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        self.0.get(id).await
    }
    fn is_fatal(error: &PlatformError) -> bool {
        error.refused_credentials()
    }
}

/// The wrap-up code operations over the real API client.
pub struct GenesysWrapupCodeStore(pub GenesysClient);

fn view(code: models::WrapupCode) -> WrapupCodeRecord {
    WrapupCodeRecord {
        division_id: code.division_id().map(str::to_owned),
        description: code.description.filter(|text| !text.is_empty()),
        id: code.id,
        name: code.name,
        origin: Origin {
            created_by: code.created_by,
            date_created: code.date_created,
        },
    }
}

fn request(input: &WrapupCodeFields) -> models::WrapupCodeRequest {
    models::WrapupCodeRequest::new(
        input.name.clone(),
        input.division_id.clone(),
        input.description.clone(),
    )
}

#[async_trait]
impl WrapupCodeStore for GenesysWrapupCodeStore {
    async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        let all = self
            .0
            .wrapup_codes()
            .list_all(&WrapupCodeQuery::default())
            .await?;
        Ok(all.into_iter().map(view).collect())
    }

    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        let found = self
            .0
            .wrapup_codes()
            .list_all(&WrapupCodeQuery::by_name(name))
            .await?;
        Ok(found.into_iter().map(view).collect())
    }

    async fn list_filtered(
        &self,
        name_prefix: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
        let query = WrapupCodeQuery {
            // The platform's name filter takes a trailing `*` as "starts with".
            name: name_prefix.map(|prefix| format!("{prefix}*")),
            division_ids: division_id.into_iter().map(str::to_owned).collect(),
            ..WrapupCodeQuery::default()
        };
        let found = self.0.wrapup_codes().list_all(&query).await?;
        Ok(found.into_iter().map(view).collect())
    }

    async fn get(&self, id: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
        Ok(self.0.wrapup_codes().get_optional(id).await?.map(view))
    }

    async fn create(&self, input: &WrapupCodeFields) -> Result<WrapupCodeRecord, PlatformError> {
        Ok(view(self.0.wrapup_codes().create(&request(input)).await?))
    }

    async fn update(
        &self,
        id: &str,
        input: &WrapupCodeFields,
    ) -> Result<WrapupCodeRecord, PlatformError> {
        Ok(view(
            self.0.wrapup_codes().update(id, &request(input)).await?,
        ))
    }

    async fn home_division_id(&self) -> Result<String, PlatformError> {
        Ok(self.0.divisions().home().await?.id)
    }

    async fn delete(&self, id: &str) -> Result<bool, PlatformError> {
        match self.0.wrapup_codes().delete(id).await {
            Ok(()) => Ok(true),
            Err(error) if error.is_not_found() => Ok(false),
            Err(error) => Err(error.into()),
        }
    }
}
