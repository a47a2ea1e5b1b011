//! How far the simulated M/M/c mean wait lands from Erlang C, over several seeds (1M customers,
//! 80% load). Run: `cargo run --release -p scalelab-engine --example erlang_check`.
//! The unit tests pin one seed; this shows the spread that seed was drawn from.

use scalelab_engine::sim::multiserver::{mmc_wq, run_mmc, MmcParams};

fn main() {
    for c in [1u32, 4, 16] {
        let lambda = 0.8 * f64::from(c);
        let theory = mmc_wq(lambda, 1.0, c);
        let errs: Vec<String> = (0..8)
            .map(|seed| {
                let s = run_mmc(MmcParams {
                    arrival_rate: lambda,
                    service_rate: 1.0,
                    servers: c,
                    customers: 1_000_000,
                    seed,
                });
                format!(
                    "{:+.2}%",
                    (s.model().mean_wait_s() - theory) / theory * 100.0
                )
            })
            .collect();
        println!(
            "M/M/{c}: Erlang C Wq = {theory:.4}; simulated, seeds 0..8: {}",
            errs.join(" ")
        );
    }
}
