//! Listings split into pages of [`PAGE_SIZE`] cards, so no page grows with
//! the catalog (docs/output.md, "Page size").

use serde::Serialize;

/// Cards on one listing page (a card is about half a kilobyte of HTML).
pub const PAGE_SIZE: usize = 200;

/// Capabilities named under each category on the home page.
pub const HOME_PER_CATEGORY: usize = 6;

/// Where a listing page sits among its pages; `pager` in templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pager {
    /// This page, from 1.
    pub page: usize,
    /// How many pages the listing has.
    pub pages: usize,
    /// Cards on all pages together.
    pub total: usize,
    /// Position of this page's first card, from 1.
    pub first: usize,
    /// Position of this page's last card.
    pub last: usize,
    /// Site-relative folder of the previous page (`categories/x/`), if any.
    pub prev: Option<String>,
    /// Site-relative folder of the next page, if any.
    pub next: Option<String>,
    /// Every page: its number and folder, for the page links.
    pub links: Vec<(usize, String)>,
}

/// How many pages `total` cards take (an empty listing is one page).
pub fn page_count(total: usize) -> usize {
    total.div_ceil(PAGE_SIZE).max(1)
}

/// The folder of page `page` of the listing at `base` (`status/beta/`):
/// the first page is `base` itself, page n is `base` + `page/n/`.
pub fn page_folder(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

impl Pager {
    /// Page `page` (from 1) of a listing of `total` cards at `base`.
    pub fn new(base: &str, page: usize, total: usize) -> Pager {
        let pages = page_count(total);
        let first = (page - 1) * PAGE_SIZE;
        Pager {
            page,
            pages,
            total,
            first: (first + 1).min(total),
            last: (first + PAGE_SIZE).min(total),
            prev: (page > 1).then(|| page_folder(base, page - 1)),
            next: (page < pages).then(|| page_folder(base, page + 1)),
            links: (1..=pages).map(|p| (p, page_folder(base, p))).collect(),
        }
    }

    /// The slice of `members` on this page.
    pub fn slice<'m, T>(&self, members: &'m [T]) -> &'m [T] {
        let start = (self.page - 1) * PAGE_SIZE;
        &members[start.min(members.len())..(start + PAGE_SIZE).min(members.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_member_once() {
        let members: Vec<usize> = (0..PAGE_SIZE * 2 + 5).collect();
        let pages = page_count(members.len());
        assert_eq!(pages, 3);
        let mut seen = Vec::new();
        for p in 1..=pages {
            let pager = Pager::new("status/beta/", p, members.len());
            seen.extend_from_slice(pager.slice(&members));
        }
        assert_eq!(seen, members);
        let last = Pager::new("status/beta/", 3, members.len());
        assert_eq!(last.prev.as_deref(), Some("status/beta/page/2/"));
        assert_eq!(last.next, None);
        assert_eq!(
            (last.first, last.last),
            (PAGE_SIZE * 2 + 1, PAGE_SIZE * 2 + 5)
        );
        let first = Pager::new("status/beta/", 1, members.len());
        assert_eq!(first.links[0].1, "status/beta/");
        assert_eq!(page_count(0), 1);
        assert_eq!(Pager::new("x/", 1, 0).slice(&members[..0]).len(), 0);
    }
}
