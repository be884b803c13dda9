//! The editor's language service on large definitions (1,000 and 10,000 states): a
//! completion of a transition target, of a field name, of a variable inside an expression,
//! and a hover, each reading the whole text as the worker does on every request. `make bench`
//! runs it; the budget is 50 ms per answer at 1,000 states (in the browser's worker:
//! `node benches/language.mjs` times the wasm build).

use aslplay::language::{self, Doc, Request};

fn main() {
    divan::main();
}

/// A definition of `n` Task states in a chain, each with parameters, a retrier and every
/// tenth with an assignment, pretty-printed as an editor holds it; and the byte offsets of
/// the places asked about, in the middle of the chain.
pub struct Big {
    pub text: String,
    /// Inside the value of a `Next` (a transition target).
    pub next: usize,
    /// Where a new field of a state may be typed.
    pub field: usize,
    /// After `$` inside a `.$` value (variables and the context).
    pub variable: usize,
    /// On a field name (hover).
    pub hover: usize,
}

pub fn big(n: usize) -> Big {
    let mut text = String::from("{\n  \"Comment\": \"benchmark\",\n  \"StartAt\": \"S0\",\n  \"States\": {\n");
    let (mut next, mut field, mut variable, mut hover) = (0, 0, 0, 0);
    for i in 0..n {
        let middle = i == n / 2;
        text.push_str(&format!("    \"S{i}\": {{\n      \"Type\": \"Task\",\n"));
        text.push_str("      \"Resource\": \"arn:aws:states:::lambda:invoke\",\n");
        if middle {
            hover = text.len() + 8;
        }
        text.push_str(&format!("      \"Parameters\": {{\"FunctionName\": \"f{i}\", \"Payload.$\": \"$"));
        if middle {
            variable = text.len();
        }
        text.push_str("\"},\n");
        text.push_str("      \"Retry\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"MaxAttempts\": 2}],\n");
        if i % 10 == 0 {
            text.push_str(&format!("      \"Assign\": {{\"v{i}\": {i}}},\n"));
        }
        if middle {
            field = text.len();
            text.push_str("      \n");
        }
        if i + 1 < n {
            text.push_str("      \"Next\": \"");
            if middle {
                next = text.len();
            }
            text.push_str(&format!("S{}\"\n    }},\n", i + 1));
        } else {
            text.push_str("      \"End\": true\n    }\n");
        }
    }
    text.push_str("  }\n}\n");
    Big { text, next, field, variable, hover }
}

fn ask(text: &str, byte: usize) -> Request<'_> {
    Request { doc: Doc::Definition, text, offset: language::utf16_offset(text, byte), definition: "", explicit: true }
}

#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn complete_next_target(bencher: divan::Bencher, n: usize) {
    let b = big(n);
    assert!(language::complete(&ask(&b.text, b.next)).is_some_and(|c| c.options.len() == n));
    bencher.bench_local(|| language::complete(&ask(&b.text, b.next)));
}

#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn complete_field_name(bencher: divan::Bencher, n: usize) {
    let b = big(n);
    assert!(language::complete(&ask(&b.text, b.field)).is_some_and(|c| c.options.iter().any(|o| o.label == "Catch")));
    bencher.bench_local(|| language::complete(&ask(&b.text, b.field)));
}

#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn complete_variable(bencher: divan::Bencher, n: usize) {
    let b = big(n);
    assert!(language::complete(&ask(&b.text, b.variable)).is_some_and(|c| c.options.iter().any(|o| o.label == "$v0")));
    bencher.bench_local(|| language::complete(&ask(&b.text, b.variable)));
}

#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn hover_field(bencher: divan::Bencher, n: usize) {
    let b = big(n);
    assert!(language::hover(&ask(&b.text, b.hover)).is_some());
    bencher.bench_local(|| language::hover(&ask(&b.text, b.hover)));
}
