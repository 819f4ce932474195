//! The layers stay apart: the protocol, the orders and the simulator know nothing of the window
//! or the app (docs/ARCHITECTURE.md). A `use` that crosses the line fails here.

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
