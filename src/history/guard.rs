//! The permalink guard: every capability id and `redirect_from` of the
//! published catalog must still resolve in the new one, so a link in a
//! sales deck never turns into a 404.

use super::changes::successors;
use crate::diagnostics::Diagnostic;
use crate::model::{Audience, CatalogDoc};

/// One error per published permalink that `new` no longer serves.
pub fn permalink_guard(baseline: &CatalogDoc, new: &CatalogDoc) -> Vec<Diagnostic> {
    let resolves = successors(new);
    let mut errors = Vec::new();
    for c in &baseline.capabilities {
        if !resolves.contains_key(c.id.as_str()) {
            errors.push(lost(&c.id, None, new.site.audience));
        }
        for old in c
            .redirect_from
            .iter()
            .filter(|old| !resolves.contains_key(old.as_str()))
        {
            errors.push(lost(old, Some(&c.id), new.site.audience));
        }
    }
    errors
}

fn lost(id: &str, redirect_to: Option<&str>, audience: Audience) -> Diagnostic {
    let what = match redirect_to {
        None => format!("capability `{id}`"),
        Some(to) => format!("the former id `{id}` (it redirected to `{to}`)"),
    };
    let public = match audience {
        Audience::Public => "; in the public catalog it must also stay `public: true`",
        Audience::Internal => "",
    };
    Diagnostic::error(
        None,
        format!(
            "{what} is in the published catalog but not in this build: /capabilities/{id}/ would break"
        ),
    )
    .with_hint(format!(
        "if it was renamed, add `redirect_from: [{id}]` to the capability that replaces it; \
         if it was dropped, keep its page with `claim: not-planned` or `claim: deprecated` \
         instead of deleting it{public}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(caps: &[(&str, &[&str])]) -> CatalogDoc {
        let caps: Vec<String> = caps
            .iter()
            .map(|(id, from)| {
                let from: Vec<String> = from.iter().map(|f| format!("\"{f}\"")).collect();
                format!(
                    r#"{{"id":"{id}","url":"/capabilities/{id}/","title":"T","summary":"","category":"C",
                    "category_slug":"c","aliases":[],"plans":[],"redirect_from":[{}],"status":"available",
                    "status_label":"","answer":"","promise":null,"target":null}}"#,
                    from.join(",")
                )
            })
            .collect();
        let json = format!(
            r#"{{"schema":1,"site":{{"title":"T","base_url":"","audience":"internal"}},
            "built":{{"commit":null,"date":"2026-11-21"}},"capabilities":[{}]}}"#,
            caps.join(",")
        );
        CatalogDoc::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn renames_need_a_redirect_and_deletions_fail() {
        let published = doc(&[("a", &["older-a"]), ("b", &[])]);
        assert!(permalink_guard(&published, &published).is_empty());
        let renamed = doc(&[("a", &["older-a"]), ("b-new", &["b"])]);
        assert!(permalink_guard(&published, &renamed).is_empty());
        let lost = permalink_guard(&published, &doc(&[("a", &[]), ("b-new", &[])]));
        let messages: Vec<&str> = lost.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("the former id `older-a`"),
            "{messages:?}"
        );
        assert!(messages[1].starts_with("capability `b` is in the published catalog"));
        assert!(
            lost[1]
                .hint
                .as_deref()
                .unwrap()
                .contains("redirect_from: [b]")
        );
    }
}
