//! STV count of 1,000,000 ranked ballots over 10 candidates for 3 seats (the decisions
//! issue's benchmark), beside a baseline measured in the same run: one pass that reads every
//! ballot and counts its first preference, the least any count must do.
//!
//! Run: `cargo bench -p coop-core --bench stv` (add `-- 200000` for another ballot count).

use coop_core::election::{count, Ballot, Method};
use std::time::{Duration, Instant};

/// A deterministic pseudo-random generator (xorshift), so every run counts the same ballots.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Ballots with a realistic shape: a few popular candidates, rankings of 1 to 10 names.
fn ballots(n: usize, candidates: usize) -> Vec<Ballot> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            let mut order: Vec<usize> = (0..candidates).collect();
            // Bias the first preference towards low indices (popular candidates).
            let first = (rng.next() % candidates as u64) as usize * (rng.next() % 2) as usize;
            order.swap(0, first);
            for i in (2..candidates).rev() {
                let j = 1 + (rng.next() % i as u64) as usize;
                order.swap(i, j);
            }
            let len = 1 + (rng.next() % candidates as u64) as usize;
            order.truncate(len);
            Ballot::Ranking(order)
        })
        .collect()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let names: Vec<String> = (0..10).map(|i| format!("C{i}")).collect();
    let ballots = ballots(n, names.len());

    let (base, firsts) = best_of(3, || {
        let mut firsts = [0u64; 10];
        for b in &ballots {
            if let Ballot::Ranking(r) = b {
                firsts[r[0]] += 1;
            }
        }
        firsts
    });
    let (stv, result) = best_of(3, || count(Method::Stv, 3, &names, &ballots).expect("a valid count"));
    let winners: Vec<&str> = result.winners.iter().map(|&i| names[i].as_str()).collect();
    assert_eq!(firsts.iter().sum::<u64>(), n as u64);

    println!("{:<52} {:>12} {:>10}", "benchmark", "time", "ratio");
    println!("{:<52} {:>9.1} ms {:>10}", format!("baseline: first preferences of {n} ballots"), base.as_secs_f64() * 1e3, "1.0");
    println!(
        "{:<52} {:>9.1} ms {:>10.1}",
        format!("STV count, {n} ballots, 10 candidates, 3 seats"),
        stv.as_secs_f64() * 1e3,
        stv.as_secs_f64() / base.as_secs_f64()
    );
    println!("winners {winners:?} in {} rounds, quota {:?}", result.rounds.len(), result.quota);
}
