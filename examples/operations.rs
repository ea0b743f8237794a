//! Prints the operations list (`src/ops/list.rs`) as JSON: scripts/build.sh writes it to
//! `pkg/web/operations.json`, which the package ships and the proxy's route table reads.
//!   cargo run --quiet --example operations

fn main() {
    print!("{}", points_activity::ops::list::to_json());
}
