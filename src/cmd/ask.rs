//! `capcat ask`: answer a question from the terminal with the site's ranking.

use super::{USAGE, fail, print_diagnostics, print_err, print_out};
use crate::cli::{AskArgs, Cli};
use capcat::model::Audience;
use capcat::pipeline::{self, BuildOptions};
use capcat::search::ask::{Answers, ask};
use capcat::search::text;
use capcat::view::SiteView;
use std::process::ExitCode;

/// Loads the catalog like a build (same sources, same audience rules),
/// answers, and prints text or JSON. The catalog's own diagnostics are shown
/// with `-v` only: they do not stop an answer. A question without a word is
/// a usage error.
pub fn run(args: &AskArgs, cli: &Cli) -> ExitCode {
    if text::words(&text::fold(&args.question)).is_empty() {
        print_err(
            "error: the question has no words; ask e.g. capcat ask \"can we export reports to CSV?\"",
        );
        return ExitCode::from(USAGE);
    }
    let opts = BuildOptions {
        config_path: args.config.clone(),
        audience: args.audience.map(Audience::from),
        offline: args.offline,
        verbose: cli.verbose,
        quiet: true,
        ..BuildOptions::default()
    };
    let loaded = match pipeline::load_catalog(&opts) {
        Ok(l) => l,
        Err(e) => return fail(e, cli.quiet),
    };
    if cli.verbose {
        print_diagnostics(loaded.diagnostics.iter(), false);
    }
    let view = SiteView::new(&loaded.catalog, pipeline::audience(&loaded, &opts));
    let index = capcat::search::index_of(&view, &loaded.config.search);
    let answers = ask(
        &index,
        &view.site.base_url,
        &args.question,
        usize::from(args.limit),
    );
    if args.json {
        let json = serde_json::to_string_pretty(&answers).unwrap_or_default();
        print_out(&format!("{json}\n"));
    } else {
        print_out(&to_text(&answers, &view.site.contact));
    }
    ExitCode::SUCCESS
}

/// One numbered block per result; when the first is not a confident answer,
/// a line saying so first, and where to ask.
fn to_text(answers: &Answers, contact: &str) -> String {
    let mut out = String::new();
    if !answers.confident {
        let what = if answers.missing.is_empty() {
            answers.query.trim().to_string()
        } else {
            answers.missing.join(" ")
        };
        out.push_str(&format!("No capability in the catalog matches \"{what}\"."));
        if answers.results.is_empty() {
            out.push_str(" Try other words, e.g. the feature's name.\n");
        } else {
            out.push_str(" Closest matches:\n");
        }
    }
    for (n, a) in answers.results.iter().enumerate() {
        out.push_str(&format!("{}. {} [{}]\n", n + 1, a.title, a.status.as_str()));
        out.push_str(&format!("   {}\n", a.answer));
        out.push_str(&format!("   {}\n", a.url));
    }
    if !answers.confident && !contact.is_empty() {
        out.push_str(&format!("Ask us: {contact}\n"));
    }
    out
}
