//! Search: query understanding, the client-side index and the ranking shared
//! by the site and `capcat ask` (SPEC §6).
