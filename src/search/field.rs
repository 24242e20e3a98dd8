//! The fields of a capability that search looks in, strongest first.

/// Where in a capability a term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The title.
    Title = 0,
    /// Aliases, the id and former ids.
    Alias = 1,
    /// The summary.
    Summary = 2,
    /// Category, plans and status.
    Facet = 3,
    /// The description.
    Body = 4,
    /// Summaries of linked work.
    Work = 5,
    /// Code identifiers of the evidence.
    Code = 6,
    /// A "Not included: …" or other negated sentence of the description.
    NotIncluded = 7,
}

impl Field {
    /// Every field, in order.
    pub const ALL: [Field; 8] = [
        Field::Title,
        Field::Alias,
        Field::Summary,
        Field::Facet,
        Field::Body,
        Field::Work,
        Field::Code,
        Field::NotIncluded,
    ];

    /// The name `ask --json` uses in `match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Alias => "alias",
            Field::Summary => "summary",
            Field::Facet => "category",
            Field::Body => "body",
            Field::Work => "work",
            Field::Code => "code",
            Field::NotIncluded => "not-included",
        }
    }

    /// Title, aliases, summary, category: what a capability is about,
    /// rather than what its description happens to mention.
    pub fn is_strong(self) -> bool {
        self <= Field::Facet
    }
}
