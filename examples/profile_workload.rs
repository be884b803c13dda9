//! Runs one benchmark workload once (for profilers: `valgrind --tool=callgrind target/release/examples/profile_workload choice_loop`).
use aslplay::services::{ListedResponses, MockConfig, ServiceLayer};
use aslplay::{json, Definition, Execution, Options};
use std::rc::Rc;
fn main() {
    let name = std::env::args().nth(1).unwrap();
    if std::env::args().nth(2).as_deref() == Some("--validate-only") {
        let text = std::fs::read_to_string(format!("{}/benches/workloads/{name}.asl.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let _ = Definition::from_text(&text).unwrap();
        }
        println!("parse+validate+model: {:?} per definition", t.elapsed() / 10);
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/workloads");
    let def =
        Rc::new(Definition::from_text(&std::fs::read_to_string(format!("{dir}/{name}.asl.json")).unwrap()).unwrap());
    let input = json::parse(&std::fs::read_to_string(format!("{dir}/{name}.input.json")).unwrap()).unwrap();
    let mocks =
        std::fs::read_to_string(format!("{dir}/{name}.mocks.json")).ok().map(|t| MockConfig::from_text(&t).unwrap());
    let services: Box<dyn ServiceLayer> = match &mocks {
        Some(c) => Box::new(c.test_case(Some("Bench"), "Bench", Box::new(ListedResponses::new())).unwrap()),
        None => Box::new(ListedResponses::new()),
    };
    let mut e = Execution::start_with_services(
        def,
        input,
        Options { max_events: 10_000_000, payload_limit: usize::MAX, ..Options::default() },
        services,
    );
    e.run();
    println!("{:?} {}", e.status(), e.history().len());
}
