//! The benchmark workloads (from the project's shared perf folder): each runs a whole
//! execution with history recorded; divan prints time, transitions per second (items/s) and
//! allocations. `make bench` runs them; `cargo bench --bench workloads -- NAME` runs one.

use aslplay::services::{ListedResponses, MockConfig, ServiceLayer};
use aslplay::{json, Definition, Execution, Options, Status, Value};
use divan::counter::ItemsCount;
use divan::{AllocProfiler, Bencher};
use std::rc::Rc;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

struct Workload {
    def: Rc<Definition>,
    input: Value,
    mocks: Option<MockConfig>,
    transitions: usize,
}

fn load(name: &str) -> Workload {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/workloads");
    let read = |f: String| std::fs::read_to_string(dir.join(f)).unwrap();
    let def = Rc::new(Definition::from_text(&read(format!("{name}.asl.json"))).unwrap());
    let input = json::parse(&read(format!("{name}.input.json"))).unwrap();
    let mocks = std::fs::read_to_string(dir.join(format!("{name}.mocks.json")))
        .ok()
        .map(|t| MockConfig::from_text(&t).unwrap());
    let mut w = Workload { def, input, mocks, transitions: 0 };
    let exec = run(&w);
    assert_eq!(exec.status(), Status::Succeeded, "{name}: {:?} {:?}", exec.error(), exec.cause());
    w.transitions = exec.state_transitions(); // states entered plus retries, as AWS counts
    w
}

fn run(w: &Workload) -> Execution {
    let services: Box<dyn ServiceLayer> = match &w.mocks {
        Some(cfg) => Box::new(cfg.test_case(Some("Bench"), "Bench", Box::new(ListedResponses::new())).unwrap()),
        None => Box::new(ListedResponses::new()),
    };
    // The event and payload limits are raised: map_inline's result (10,000 items) exceeds
    // AWS's 256 KiB, and choice_loop's history exceeds 25,000 events.
    let options = Options { max_events: 10_000_000, payload_limit: usize::MAX, ..Options::default() };
    let mut exec = Execution::start_with_services(w.def.clone(), w.input.clone(), options, services);
    exec.run();
    exec
}

fn bench(bencher: Bencher, name: &str) {
    let w = load(name);
    bencher.counter(ItemsCount::new(w.transitions)).bench_local(|| run(&w));
}

#[divan::bench(sample_count = 10)]
fn pass_chain(b: Bencher) {
    bench(b, "pass_chain");
}

#[divan::bench(sample_count = 5)]
fn choice_loop(b: Bencher) {
    bench(b, "choice_loop");
}

#[divan::bench(sample_count = 5)]
fn map_inline(b: Bencher) {
    bench(b, "map_inline");
}

#[divan::bench(sample_count = 10)]
fn parallel_fanout(b: Bencher) {
    bench(b, "parallel_fanout");
}

#[divan::bench(sample_count = 10)]
fn big_payload(b: Bencher) {
    bench(b, "big_payload");
}

#[divan::bench(sample_count = 5)]
fn intrinsics(b: Bencher) {
    bench(b, "intrinsics");
}

#[divan::bench(sample_count = 5)]
fn task_loop(b: Bencher) {
    bench(b, "task_loop");
}

#[divan::bench(sample_count = 10)]
fn retry_catch(b: Bencher) {
    bench(b, "retry_catch");
}

#[divan::bench(sample_count = 5)]
fn choice_loop_jsonata(b: Bencher) {
    bench(b, "choice_loop_jsonata");
}

#[divan::bench(sample_count = 5)]
fn map_inline_jsonata(b: Bencher) {
    bench(b, "map_inline_jsonata");
}

/// A distributed Map over 100,000 items, each a child execution with its own history.
#[divan::bench(sample_count = 3)]
fn map_distributed(b: Bencher) {
    bench(b, "map_distributed");
}
