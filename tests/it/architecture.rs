//! The layers stay apart: the protocol, the orders and the simulator know nothing of the window
//! or the app (docs/ARCHITECTURE.md). A `use` that crosses the line fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                // Unit tests of a layer may check the sentences its errors give.
                && path.file_name().is_none_or(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&path).expect("source file");
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

/// The lines of `text` that are code, not comments.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
}

#[test]
fn the_core_layers_import_neither_egui_nor_the_app() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let forbidden = [
        "egui",
        "eframe",
        "crate::app",
        "crate::ui",
        "crate::platform",
        "crate::worker",
        "crate::text",
    ];
    let mut crossings = Vec::new();
    for layer in ["api", "orders", "sim"] {
        let files = sources(&root.join(layer));
        assert!(!files.is_empty(), "src/{layer} has no sources");
        for (path, text) in files {
            for line in code_lines(&text) {
                if let Some(word) = forbidden.iter().find(|w| line.contains(*w)) {
                    crossings.push(format!("{path}: uses {word}: {line}"));
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "layers crossed:\n{}",
        crossings.join("\n")
    );
}

#[test]
fn the_check_finds_a_crossing() {
    // The scan itself works: a line that imports egui is seen, a comment is not.
    let text = "// egui is mentioned in a comment\nuse egui::Ui;\n";
    let lines: Vec<&str> = code_lines(text).collect();
    assert_eq!(lines, ["use egui::Ui;"]);
}

/// Process-wide switches a test may throw only in a binary of its own: the tests of this binary
/// run side by side, so a clock moved here ages every other test's orders (a website cancel was
/// once read as "refund not confirmed" because another test had moved time on by minutes).
const PROCESS_WIDE: [&str; 3] = [
    "set_date_shift_for_tests",
    "pass_time_for_tests",
    "logging::init",
];

#[test]
fn no_test_in_the_shared_binary_moves_the_clocks_or_sets_the_logger() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut found = Vec::new();
    for dir in ["it", "common"] {
        let files = sources(&here.join(dir));
        assert!(
            files.len() > 1 || dir == "common",
            "tests/{dir} has no sources"
        );
        // This file names them to look for them.
        for (path, text) in files
            .iter()
            .filter(|(p, _)| !p.ends_with("architecture.rs"))
        {
            for line in code_lines(text) {
                if let Some(word) = PROCESS_WIDE.iter().find(|w| line.contains(*w)) {
                    found.push(format!("{path}: {word}: {line}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "move these tests to a binary of their own (tests/*.rs):\n{}",
        found.join("\n")
    );
    // The scan sees a call where one is written.
    let planted = "    clock::pass_time_for_tests(MINUTE);";
    assert!(code_lines(planted).any(|l| PROCESS_WIDE.iter().any(|w| l.contains(w))));
}

/// The code of `text` as statements: comment lines left out, and a `use` written over several
/// lines (as rustfmt writes a long group) joined into one.
fn statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for line in code_lines(text) {
        let line = line.split(" //").next().unwrap_or_default().trim_end();
        match open.as_mut() {
            Some(statement) => statement.push_str(line.trim()),
            None if line.contains("use ") && !line.ends_with(';') => {
                open = Some(line.to_owned());
                continue;
            }
            None => out.push(line.to_owned()),
        }
        if line.ends_with(';')
            && let Some(statement) = open.take()
        {
            out.push(statement);
        }
    }
    out.extend(open);
    out
}

/// The items of a `{…}` group at the start of `text`, split at its own commas (a nested group
/// stays whole); `None` when `text` starts with no group.
fn group_items(text: &str) -> Option<Vec<&str>> {
    let body = text.strip_prefix('{')?;
    let (mut depth, mut start, mut items) = (0usize, 0usize, Vec::new());
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&body[start..i]);
                return Some(items);
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&body[start..]);
    Some(items)
}

/// The names `src/lib.rs` re-exports at the crate's root (`pub use app::{App, AppConfig};`,
/// `pub use app::view::ViewState as View;`), with the module each comes from: `crate::App` uses
/// `app` as much as `crate::app::App` does.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in statements(lib) {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let rest = rest
            .strip_prefix("crate::")
            .or_else(|| rest.strip_prefix("self::"))
            .unwrap_or(rest);
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = group_items(items).unwrap_or_else(|| vec![items]);
        for item in items {
            let item = item.trim();
            // The name it is known by: after `as`, else the path's last part.
            let name = match item.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => item.rsplit("::").next().unwrap_or(item).trim(),
            };
            if !name.is_empty() && !name.contains('{') {
                names.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    names
}

/// The top-level modules a `crate::…` path at the start of `after` (what follows `crate::`)
/// names: `app::x` and `{app, ui::{y, z}}` by their first parts, a root re-export by its module.
fn modules_named(after: &str, reexports: &BTreeMap<String, String>) -> Vec<String> {
    let first = |part: &str| -> Option<String> {
        let name: String = part
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if let Some(module) = reexports.get(&name) {
            return Some(module.clone());
        }
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
            .then_some(name)
    };
    match group_items(after) {
        Some(items) => items.into_iter().filter_map(first).collect(),
        None => first(after).into_iter().collect(),
    }
}

/// The top-level modules of `src` and which others each one names (`crate::x`, or a name the
/// crate's root re-exports from `x`) in its code, unit tests and comments left out.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs"));
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("src").flatten() {
        let path = entry.path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let files = if path.is_dir() {
            sources(&path)
        } else {
            vec![(
                String::new(),
                std::fs::read_to_string(&path).expect("source"),
            )]
        };
        let uses = graph.entry(name.clone()).or_default();
        for (_, text) in files {
            // Unit tests left out: the file from its `#[cfg(test)]` test module on.
            let tests_at = [
                "#[cfg(test)]\nmod ",
                "#[cfg(test)]\npub(crate) mod ",
                "#[cfg(test)]\npub mod ",
            ]
            .iter()
            .filter_map(|start| text.find(start))
            .min()
            .unwrap_or(text.len());
            let code = text.get(..tests_at).unwrap_or_default();
            for line in statements(code) {
                for (i, _) in line.match_indices("crate::") {
                    for used in modules_named(&line[i + 7..], &reexports) {
                        if used != name {
                            uses.insert(used);
                        }
                    }
                }
            }
        }
    }
    graph
}

/// The groups of modules that use each other, directly or through others (more than one each).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(m) = stack.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut groups: Vec<BTreeSet<String>> = Vec::new();
    for (m, from_m) in &reached {
        let group: BTreeSet<String> = from_m
            .iter()
            .filter(|o| reached.get(o).is_some_and(|r| r.contains(*m)))
            .cloned()
            .collect();
        if group.len() > 1 && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The names in backquotes on a line.
fn quoted(line: &str) -> BTreeSet<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// docs/ARCHITECTURE.md's dependency table (between its two markers): each module and the
/// modules it may use.
fn documented(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let part = doc
        .split("<!-- dependencies -->")
        .nth(1)
        .expect("the dependency table's markers in docs/ARCHITECTURE.md");
    let mut table = BTreeMap::new();
    for line in part.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, module, may_use, ..] = cells.as_slice()
            && let Some(module) = quoted(module).into_iter().next()
        {
            table.insert(module, quoted(may_use));
        }
    }
    table
}

/// What the code does against what the table says: modules missing from the table, uses it
/// does not list, uses it lists that the code does not make, and any cycle.
fn faults(
    graph: &BTreeMap<String, BTreeSet<String>>,
    table: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut faults = Vec::new();
    for (module, uses) in graph {
        let Some(may) = table.get(module) else {
            faults.push(format!("src/{module} is not in the table"));
            continue;
        };
        for used in uses.difference(may) {
            faults.push(format!(
                "{module} uses {used}, which the table does not allow"
            ));
        }
        // The table says what is, not what once was.
        for unused in may.difference(uses) {
            faults.push(format!(
                "the table lets {module} use {unused}, which it does not"
            ));
        }
    }
    for group in cycles(graph) {
        faults.push(format!("a cycle: {group:?}"));
    }
    faults
}

#[test]
fn every_module_uses_only_what_docs_architecture_allows_and_nothing_goes_round() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("the doc");
    let table = documented(&doc);
    assert!(table.len() >= 10, "the table was read: {table:?}");
    // The table itself goes one way only.
    assert!(
        cycles(&table).is_empty(),
        "the table has a cycle: {:?}",
        cycles(&table)
    );
    let graph = module_graph(&root.join("src"));
    let found = faults(&graph, &table);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_planted_cycle_or_an_unlisted_use_is_found() {
    let set = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
    let table: BTreeMap<String, BTreeSet<String>> = [
        ("text".to_owned(), set(&[])),
        ("orders".to_owned(), set(&["text"])),
        ("app".to_owned(), set(&["orders", "text"])),
        ("ui".to_owned(), set(&["app", "text"])),
    ]
    .into();
    // As allowed: no fault.
    assert!(faults(&table, &table).is_empty());
    // app → ui, planted: a use the table forbids, and a cycle of two.
    let mut planted = table.clone();
    planted.get_mut("app").unwrap().insert("ui".into());
    let found = faults(&planted, &table);
    assert!(found.iter().any(|f| f.contains("app uses ui")), "{found:?}");
    assert_eq!(cycles(&planted), [set(&["app", "ui"])]);
    // text → app, planted: a cycle through three modules.
    let mut planted = table.clone();
    planted.get_mut("text").unwrap().insert("app".into());
    assert_eq!(cycles(&planted), [set(&["app", "orders", "text"])]);
    // A module the table does not list.
    let mut unlisted = table.clone();
    unlisted.insert("updates".into(), set(&[]));
    assert_eq!(
        faults(&unlisted, &table),
        ["src/updates is not in the table"]
    );
}

#[test]
fn a_name_the_crate_root_reexports_counts_as_a_use_of_its_module() {
    let reexports =
        root_reexports("pub mod app;\npub use app::{App, AppConfig};\npub use ui::Frame as F;\n");
    assert_eq!(reexports.get("AppConfig").map(String::as_str), Some("app"));
    assert_eq!(reexports.get("F").map(String::as_str), Some("ui"));
    // What a line names after `crate::`.
    assert_eq!(
        modules_named("{App, AppConfig};", &reexports),
        ["app", "app"]
    );
    assert_eq!(modules_named("App::new(ctx)", &reexports), ["app"]);
    assert_eq!(
        modules_named("{orders::Order, text};", &reexports),
        ["orders", "text"]
    );
    assert_eq!(modules_named("app::Command", &reexports), ["app"]);
    // Nested groups, and a group rustfmt wrote over several lines.
    assert_eq!(
        modules_named("{app::{A, B}, ui};", &reexports),
        ["app", "ui"]
    );
    assert_eq!(
        modules_named("{orders::{self, history}, text};", &reexports),
        ["orders", "text"]
    );
    let joined = statements(
        "use crate::{\n    orders::Order,\n    // a comment\n    text,\n};\nfn f() {}\n",
    );
    assert_eq!(joined[0], "use crate::{orders::Order,text,};");
    let used: Vec<String> = joined[0]
        .match_indices("crate::")
        .flat_map(|(i, _)| modules_named(&joined[0][i + 7..], &reexports))
        .collect();
    assert_eq!(used, ["orders", "text"]);
    // A re-export by path and under another name.
    let deeper = root_reexports(
        "pub use app::view::ViewState;\npub use crate::ui::{\n    Shown as S,\n};\n",
    );
    assert_eq!(deeper.get("ViewState").map(String::as_str), Some("app"));
    assert_eq!(deeper.get("S").map(String::as_str), Some("ui"));
    // A constant of the root itself is no module.
    assert!(modules_named("APP_NAME)", &reexports).is_empty());
}
