//! The module graph points one way (DESIGN.md: every import points down). This test reads
//! `src/`, finds every module another module names (`use crate::...`, `super::...`,
//! `crate::x::f(...)` in code, a parent's `child::...`), and fails when
//!
//! - a top-level module names one in its own or a higher layer of [`LAYERS`] (a module
//!   missing from the list fails too: add it where it belongs, here and in the README's
//!   Layout), or
//! - inside a directory module, its files name each other in a cycle (a child naming its own
//!   parent's items is fine: the parent is the module's face).
//!
//! Test code (`#[cfg(test)] mod ...`) is left out: tests may use any layer. Comments and
//! string literals are skipped, so doc examples do not count.
//!
//! `cargo test --test layers -- --nocapture` prints the graph; `LAYERS_SRC=dir` reads
//! another source tree (for example an older commit's, to compare).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may name modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // Leaves: small helpers several rooms need; they name no other module.
    &["base64", "digest", "hash_index", "host", "number_parse", "random", "sort", "time"],
    &["value"],
    &["json"],
    &["jsonata"],
    &["query"],
    &["definition", "history"],
    &["services"],
    &["distributed"],
    &["engine"],
    &["test_state"],
    &["import"],
    // The ASL language service (completions, hover, quick fixes) reads everything below.
    &["language"],
    // The crate root (re-exports, `aslplay::validate`), then the faces.
    &["lib"],
    &["wasm", "wasm_importer", "wasm_tools", "wasm_language"],
];

/// A module path below the crate root (`["jsonata", "eval"]`); empty for the root.
type ModPath = Vec<String>;

/// Each module with the paths its code names.
type Named = Vec<(ModPath, Vec<Vec<String>>)>;

struct Crate {
    root: PathBuf,
    /// Every module of the crate that is a file or a directory.
    modules: BTreeSet<ModPath>,
    /// Test-only modules (left out).
    test_modules: BTreeSet<ModPath>,
    /// `pub use` re-exports of the crate root: name -> the top-level module it comes from.
    root_exports: BTreeMap<String, String>,
}

fn source_root() -> PathBuf {
    match std::env::var_os("LAYERS_SRC") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
    }
}

fn module_of(root: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(root).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source with comments, string and character literals blanked out.
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if (c == b'r' || (c == b'b' && b.get(i + 1) == Some(&b'r')))
            && !prev_is_ident(b, i)
            && raw_string_start(b, i + if c == b'b' { 2 } else { 1 }).is_some()
        {
            let start = i + if c == b'b' { 2 } else { 1 };
            let hashes = raw_string_start(b, start).unwrap();
            i = start + hashes + 1;
            loop {
                if i >= b.len() {
                    break;
                }
                if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&h| h == b'#').count() == hashes {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if let Some(len) = src[i + 1..].chars().next().map(char::len_utf8) {
                if b.get(i + 1 + len) == Some(&b'\'') {
                    i += len + 2;
                    out.push_str("' '");
                } else {
                    out.push('\'');
                    i += 1;
                }
            } else {
                i += 1;
            }
        } else {
            let len = src[i..].chars().next().unwrap().len_utf8();
            out.push_str(&src[i..i + len]);
            i += len;
        }
    }
    out
}

fn prev_is_ident(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// At `i`: `#*"` opening a raw string; the number of `#`.
fn raw_string_start(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i.min(b.len())..].iter().take_while(|&&h| h == b'#').count();
    (b.get(i + hashes) == Some(&b'"')).then_some(hashes)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

fn tokenize(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            toks.push(Tok::PathSep);
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// Removes `#[cfg(test)] mod name { ... }` blocks; returns the names of `#[cfg(test)] mod name;`
/// declarations (test modules in files of their own).
fn drop_test_modules(toks: Vec<Tok>) -> (Vec<Tok>, Vec<String>) {
    let cfg_test: Vec<Tok> = "# [ cfg ( test ) ]"
        .split(' ')
        .map(|t| {
            if t.chars().all(char::is_alphabetic) {
                Tok::Ident(t.into())
            } else {
                Tok::Punct(t.chars().next().unwrap())
            }
        })
        .collect();
    let mut out = Vec::with_capacity(toks.len());
    let mut test_files = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i..].starts_with(&cfg_test) {
            let mut j = i + cfg_test.len();
            if toks.get(j) == Some(&Tok::Ident("pub".into())) {
                j += 1;
                if toks.get(j) == Some(&Tok::Punct('(')) {
                    while toks.get(j) != Some(&Tok::Punct(')')) {
                        j += 1;
                    }
                    j += 1;
                }
            }
            if toks.get(j) == Some(&Tok::Ident("mod".into())) {
                if let Some(Tok::Ident(name)) = toks.get(j + 1) {
                    match toks.get(j + 2) {
                        Some(Tok::Punct(';')) => {
                            test_files.push(name.clone());
                            i = j + 3;
                            continue;
                        }
                        Some(Tok::Punct('{')) => {
                            let mut depth = 0;
                            let mut k = j + 2;
                            loop {
                                match toks.get(k) {
                                    Some(Tok::Punct('{')) => depth += 1,
                                    Some(Tok::Punct('}')) => {
                                        depth -= 1;
                                        if depth == 0 {
                                            break;
                                        }
                                    }
                                    None => break,
                                    _ => {}
                                }
                                k += 1;
                            }
                            i = k + 1;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
        }
        out.push(toks[i].clone());
        i += 1;
    }
    (out, test_files)
}

/// The paths a `use` tree names (`a::{b, c::d}` -> `a::b`, `a::c::d`), from just after `use`
/// up to its `;`.
fn use_paths(toks: &[Tok], prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut path: Vec<String> = prefix.to_vec();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Ident(id) if id == "as" => i += 1,
            Tok::Ident(id) => path.push(id.clone()),
            Tok::PathSep => {}
            Tok::Punct('{') => {
                i += 1;
                loop {
                    i += use_paths(&toks[i..], &path, out);
                    match toks.get(i) {
                        Some(Tok::Punct(',')) => i += 1,
                        _ => break,
                    }
                    if toks.get(i) == Some(&Tok::Punct('}')) {
                        break;
                    }
                }
                i += 1; // the '}'
                return i;
            }
            Tok::Punct('*') => {}
            Tok::Punct(_) => {
                if path.len() > prefix.len() {
                    out.push(path);
                }
                return i;
            }
        }
        i += 1;
    }
    out.push(path);
    i
}

/// Every path a file names, as written.
fn paths_named(toks: &[Tok]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == Tok::Ident("use".into()) {
            let end = toks[i..].iter().position(|t| *t == Tok::Punct(';')).map_or(toks.len(), |p| i + p);
            use_paths(&toks[i + 1..end], &[], &mut out);
            i = end + 1;
            continue;
        }
        let starts_path = matches!(toks[i], Tok::Ident(_))
            && toks.get(i + 1) == Some(&Tok::PathSep)
            && (i == 0 || toks[i - 1] != Tok::PathSep);
        if starts_path {
            let mut path = Vec::new();
            let mut j = i;
            while let Some(Tok::Ident(id)) = toks.get(j) {
                path.push(id.clone());
                if toks.get(j + 1) != Some(&Tok::PathSep) {
                    break;
                }
                j += 2;
            }
            out.push(path);
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out
}

impl Crate {
    fn read() -> (Crate, Named) {
        let root = source_root();
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        files.retain(|f| !f.starts_with(root.join("bin")));
        let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(&root, f)).collect();
        let mut krate = Crate { root, modules, test_modules: BTreeSet::new(), root_exports: BTreeMap::new() };
        let mut named = Vec::new();
        for file in &files {
            let module = module_of(&krate.root, file);
            let text = std::fs::read_to_string(file).unwrap();
            let (toks, test_files) = drop_test_modules(tokenize(&strip(&text)));
            for name in test_files {
                let mut m = module.clone();
                m.push(name);
                krate.test_modules.insert(m);
            }
            if module.is_empty() {
                krate.read_root_exports(&toks);
            }
            named.push((module, paths_named(&toks)));
        }
        let tests = krate.test_modules.clone();
        named.retain(|(m, _)| !tests.iter().any(|t| m.starts_with(t)));
        (krate, named)
    }

    fn read_root_exports(&mut self, toks: &[Tok]) {
        for w in toks.windows(2).enumerate().filter(|(_, w)| w[0] == Tok::Ident("pub".into())) {
            let i = w.0;
            if toks.get(i + 1) != Some(&Tok::Ident("use".into())) {
                continue;
            }
            let end = toks[i..].iter().position(|t| *t == Tok::Punct(';')).map_or(toks.len(), |p| i + p);
            let mut paths = Vec::new();
            use_paths(&toks[i + 2..end], &[], &mut paths);
            for p in paths {
                if let (Some(first), Some(last)) = (p.first(), p.last()) {
                    self.root_exports.insert(last.clone(), first.clone());
                }
            }
        }
    }

    /// The module a path names from `from`, as deep as modules go; `None` for other crates,
    /// local items and the module itself.
    fn resolve(&self, from: &ModPath, path: &[String]) -> Option<ModPath> {
        let mut base: ModPath;
        let mut rest = path;
        match path.first().map(String::as_str) {
            Some("crate") => {
                base = Vec::new();
                rest = &path[1..];
                // A name the crate root re-exports stands for its module.
                if let Some(first) = rest.first() {
                    if !self.modules.contains(&vec![first.clone()]) {
                        return match self.root_exports.get(first) {
                            Some(module) => Some(vec![module.clone()]),
                            None => Some(Vec::new()),
                        };
                    }
                }
            }
            Some("super") => {
                base = from.clone();
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
            }
            Some("self") => {
                base = from.clone();
                rest = &path[1..];
            }
            Some(first) => {
                let mut child = from.clone();
                child.push(first.to_string());
                if !self.modules.contains(&child) {
                    return None;
                }
                base = from.clone();
            }
            None => return None,
        }
        for segment in rest {
            let mut deeper = base.clone();
            deeper.push(segment.clone());
            if !self.modules.contains(&deeper) {
                break;
            }
            base = deeper;
        }
        Some(base)
    }
}

/// Module -> modules it names (itself left out).
fn graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let (krate, named) = Crate::read();
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (module, paths) in named {
        let entry = edges.entry(module.clone()).or_default();
        for path in paths {
            if let Some(target) = krate.resolve(&module, &path) {
                if target != module && !krate.test_modules.iter().any(|t| target.starts_with(t)) {
                    entry.insert(target);
                }
            }
        }
    }
    edges
}

fn top(m: &ModPath) -> &str {
    m.first().map_or("lib", String::as_str)
}

fn name(m: &ModPath) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// A cycle in `edges`, if any (depth-first search), as the list of its nodes.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|s| s == m).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n.as_str()) {
            if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn every_top_level_module_names_only_lower_layers() {
    let mut problems = Vec::new();
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in graph() {
        for to in targets {
            if top(&from) != top(&to) {
                tops.entry(top(&from).to_string()).or_default().insert(top(&to).to_string());
                let (a, b) = (layer_of(top(&from)), layer_of(top(&to)));
                if a.is_some() && b.is_some() && b >= a {
                    problems.push(format!(
                        "{} names {} (a module of the same or a higher layer)",
                        name(&from),
                        name(&to)
                    ));
                }
            }
        }
        if layer_of(top(&from)).is_none() {
            problems.push(format!(
                "module {} is in no layer: add it to LAYERS in tests/layers.rs and to the README's Layout",
                top(&from)
            ));
        }
    }
    problems.dedup();
    if std::env::var_os("LAYERS_SRC").is_some() || problems.is_empty() {
        for (from, to) in &tops {
            println!("{from} -> {}", to.iter().cloned().collect::<Vec<_>>().join(", "));
        }
    }
    assert!(problems.is_empty(), "imports that point up:\n{}", problems.join("\n"));
}

#[test]
fn no_cycles_among_the_files_of_a_module() {
    let edges = graph();
    // For each directory module: its children (files or subdirectories) and which name which.
    let mut per_parent: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, targets) in &edges {
        for to in targets {
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            // A child naming its parent (the module's face), or the parent naming its child, is
            // not an edge between siblings.
            if common == to.len() || common == from.len() {
                continue;
            }
            let parent = from[..common].to_vec();
            per_parent.entry(parent).or_default().entry(from[common].clone()).or_default().insert(to[common].clone());
        }
    }
    let mut problems = Vec::new();
    for (parent, siblings) in &per_parent {
        if let Some(cycle) = find_cycle(siblings) {
            problems.push(format!("in {}: {}", name(parent), cycle.join(" -> ")));
        }
        if !parent.is_empty() && std::env::var_os("LAYERS_SRC").is_some() {
            for (from, to) in siblings {
                println!("{}: {from} -> {}", name(parent), to.iter().cloned().collect::<Vec<_>>().join(", "));
            }
        }
    }
    assert!(problems.is_empty(), "module cycles:\n{}", problems.join("\n"));
}

/// The reader itself: `use` trees, paths in code, test modules and literals.
#[test]
fn the_reader_finds_what_a_file_names() {
    let src = r##"
        use super::{a::B, c};
        use crate::x::{self, y::Z as W};
        // use crate::commented::Out;
        fn f() { let s = "crate::in_string::X"; let r = r#"crate::raw::X"#; crate::called::f(); other::g('a'); }
        #[cfg(test)]
        mod tests { use crate::only_in_tests::X; }
    "##;
    let (toks, _) = drop_test_modules(tokenize(&strip(src)));
    let paths: Vec<String> = paths_named(&toks).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["super::a::B", "super::c", "crate::x::self", "crate::x::y::Z", "crate::called::f", "other::g"]);
}
