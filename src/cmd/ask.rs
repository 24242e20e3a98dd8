//! `capcat ask`: answer a question from the terminal with the site's ranking.

use super::{fail, print_diagnostics, print_out};
use crate::cli::{AskArgs, Cli};
use capcat::model::Audience;
use capcat::pipeline::{self, BuildOptions};
use capcat::search::ask::{Answers, ask};
use capcat::view::SiteView;
use std::process::ExitCode;

/// Loads the catalog like a build (same sources, same audience rules),
/// answers, and prints text or JSON. The catalog's own diagnostics are shown
/// with `-v` only: they do not stop an answer.
pub fn run(args: &AskArgs, cli: &Cli) -> ExitCode {
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
        print_out(&to_text(&answers));
    }
    ExitCode::SUCCESS
}

/// One numbered block per result.
fn to_text(answers: &Answers) -> String {
    if answers.results.is_empty() {
        return format!(
            "No capability matches \"{}\".\nTry fewer or other words, e.g. the feature's name.\n",
            answers.query
        );
    }
    let mut out = String::new();
    for (n, a) in answers.results.iter().enumerate() {
        out.push_str(&format!("{}. {} [{}]\n", n + 1, a.title, a.status.as_str()));
        out.push_str(&format!("   {}\n", a.answer));
        out.push_str(&format!("   {}\n", a.url));
    }
    out
}
