//! The thesaurus: groups of words and phrases that mean the same thing to a
//! buyer. A built-in set of common SaaS vocabulary, extended by a catalog's
//! `[search] synonyms`.

use super::text;

/// Built-in groups. Each entry is one group; phrases are separated by `|`.
/// Kept to vocabulary that means the same thing in any B2B product, so it
/// does not pull unrelated capabilities together.
const BUILT_IN: &[&str] = &[
    "sso|single sign on|single signon|saml|okta|onelogin|azure ad|entra id|identity provider|idp",
    "2fa|two factor|mfa|multi factor|totp|authenticator app|one time password|one time code|verification code|otp|second factor",
    "rbac|role|permission|access control|privilege|access level|admin right",
    "audit log|audit trail|activity log|audit event|audit",
    "scim|user provisioning|provisioning|deprovisioning|deprovision|automatic user management",
    "csv|spreadsheet|excel|xlsx|comma separated",
    "export|download|extract",
    "multi currency|currency|currencies|euro|dollar|pound sterling|yen|foreign exchange|fx|local currency",
    "invoice|bill|receipt|charge",
    "subscription|recurring billing|recurring payment|renewal|auto renew",
    "pdf|printable",
    "webhook|web hook|http callback|event callback|callback url|call our url|notify our system",
    "api|rest|endpoint|programmatic access|programmatically",
    "graphql|gql",
    "salesforce|crm|sfdc",
    "data residency|data location|data sovereignty|hosted in europe|eu hosting|eu region|gdpr",
    "offline|no internet|no connection|without internet|no signal",
    "mobile|ios|android|iphone|ipad|phone|tablet|smartphone",
    "dashboard|chart|visualization|visualisation|widget",
    "report|reporting|analytics|insight|metric|kpi",
    "schedule|scheduled|recurring|every week|every day|every month|every night|every hour|nightly|hourly|cron|weekly report|daily report|monthly report|automatic email",
    "email|e mail|mail|inbox",
    "feature flag|feature toggle|rollout|roll out|canary|gradual|gradually|percentage rollout|staged rollout|beta flag",
    "usage based|metered|pay as you go|pay per use|consumption|usage pricing",
    "crypto|cryptocurrency|bitcoin|ethereum|stablecoin|usdc|btc",
    "soap|wsdl|xml api",
    "notification|alert|notify|ping",
    "encryption|encrypt|encrypted",
    "backup|back up|restore|disaster recovery",
    "self hosted|on premise|on premises|on prem|private cloud|air gapped|own server|own hardware|own infrastructure|own data center|behind the firewall|behind our firewall",
    "ldap|active directory",
    "translation|localization|localisation|language|i18n|multilingual|translated",
    "branding|white label|whitelabel|custom logo|rebrand",
    "plugin|extension|addon|marketplace",
    "video call|video conferencing|video meeting|voice call|audio call|screen sharing|screen share",
    "file sharing|attachment|attach|upload",
    "markdown|formatting|rich text",
    "dark mode|dark theme|night mode",
    "retention|data retention|purge|auto delete",
    "compliance|regulatory|ediscovery|e discovery|legal hold",
    "high availability|failover|cluster|clustering|redundancy|zero downtime",
    "guest|external user|contractor|partner|vendor",
    "bot|chatbot|bot account",
    "search|find|lookup|look up",
    "payment|checkout|pay|card|credit card",
    "migrate|migration|import",
    "kanban|board|task board|project board",
    "incident|incident response|outage|runbook|checklist",
    "custom|own|bespoke|tailored|tailor made",
    "secret|credential|api key|api token|access token|access key|private key",
    "theme|color|colour|color scheme|appearance|look and feel",
    "score|scoring|rank|ranking|prioritize|prioritise",
    "social media|social network|twitter|tweet|facebook|instagram|linkedin",
];

/// One synonym group: phrases as stemmed tokens. Stop words inside a phrase
/// help recognise it in a question but are not searched for, so a phrase
/// like "on call" would search for "call" alone: avoid such phrases.
pub type Group = Vec<Vec<String>>;

/// The groups used for a build: built-in first, then the catalog's own, each
/// phrase tokenized and stemmed like the index. Phrases made only of stop
/// words are left out (they could never match).
pub fn groups(extra: &[Vec<String>]) -> Vec<Group> {
    let built_in = BUILT_IN
        .iter()
        .map(|g| g.split('|').map(str::to_string).collect::<Vec<_>>());
    built_in
        .chain(extra.iter().cloned())
        .map(|phrases| {
            let mut group: Group = Vec::new();
            for p in phrases {
                let toks = text::tokens(&p);
                if toks.iter().any(|t| !text::is_stop(t)) && !group.contains(&toks) {
                    group.push(toks);
                }
            }
            group
        })
        .filter(|g| g.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_groups_are_usable() {
        let gs = groups(&[]);
        assert_eq!(
            gs.len(),
            BUILT_IN.len(),
            "every built-in group keeps 2+ phrases"
        );
        let sso = &gs[0];
        assert!(sso.contains(&text::tokens("Single sign-on")));
        assert!(sso.contains(&vec!["okta".to_string()]));
    }

    #[test]
    fn config_groups_are_added_and_stemmed() {
        let gs = groups(&[vec!["Payouts".into(), "disbursements".into()]]);
        let last = gs.last().unwrap();
        assert_eq!(
            last,
            &vec![vec!["payout".to_string()], vec!["disbursement".into()]]
        );
    }

    #[test]
    fn stop_word_only_phrases_are_dropped() {
        let gs = groups(&[vec!["the".into(), "it".into(), "widget".into()]]);
        assert_eq!(
            gs.len(),
            BUILT_IN.len(),
            "a group left with one phrase is dropped"
        );
    }
}
