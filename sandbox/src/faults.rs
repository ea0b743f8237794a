//! Injected faults (`--faults`): asked for per request (`x-sandbox-fault`), queued for a path
//! by a test (`POST /_sandbox/faults`), or drawn at random for a share of requests
//! (`--fault-rate`). Some strike before the operation (it never happens), some after it was
//! applied (the caller cannot tell that it did).

use std::collections::VecDeque;

/// One fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 500 `SERVICE_UNAVAILABLE`, nothing applied.
    Unavailable,
    /// 429 with `Retry-After: 1`, nothing applied.
    RateLimited,
    /// Never answers, nothing applied.
    Hang,
    /// The connection drops, nothing applied.
    Drop,
    /// 200 with a body that is not JSON, nothing applied.
    Garbage,
    /// The operation is applied, then the connection drops.
    DropAfter,
    /// The operation is applied, then no answer comes (the caller's time limit ends it).
    HangAfter,
}

impl Fault {
    /// The fault a name asks for.
    pub fn named(name: &str) -> Option<Fault> {
        Some(match name {
            "500" => Fault::Unavailable,
            "429" => Fault::RateLimited,
            "hang" => Fault::Hang,
            "drop" => Fault::Drop,
            "garbage" => Fault::Garbage,
            "drop-after" => Fault::DropAfter,
            "hang-after" => Fault::HangAfter,
            _ => return None,
        })
    }

    /// Whether it strikes after the operation was applied.
    pub fn after(self) -> bool {
        matches!(self, Fault::DropAfter | Fault::HangAfter)
    }
}

/// What to inject: queued faults by path, and a random share of requests.
pub struct Plan {
    queued: VecDeque<(String, Fault)>,
    /// Faults per million requests drawn at random.
    rate_ppm: u32,
    random: u64,
}

/// The faults `--fault-rate` draws from, all kinds alike.
const RANDOM: [Fault; 5] = [
    Fault::Unavailable,
    Fault::Drop,
    Fault::DropAfter,
    Fault::HangAfter,
    Fault::RateLimited,
];

/// Longest queue a test may build (a bound, not a feature).
const MAX_QUEUED: usize = 1000;

impl Plan {
    /// A plan drawing `rate_ppm` faults per million requests, seeded.
    pub fn new(rate_ppm: u32, seed: u64) -> Self {
        Plan {
            queued: VecDeque::new(),
            rate_ppm,
            random: seed.max(1),
        }
    }

    /// Queues faults for the next requests to `path`; false when the queue is full.
    pub fn queue(&mut self, path: &str, faults: &[Fault]) -> bool {
        if self.queued.len() + faults.len() > MAX_QUEUED {
            return false;
        }
        self.queued
            .extend(faults.iter().map(|&f| (path.to_owned(), f)));
        true
    }

    /// The fault for a request to `path`, if any: a queued one first, else a random draw.
    pub fn next(&mut self, path: &str) -> Option<Fault> {
        if let Some(i) = self.queued.iter().position(|(p, _)| p == path) {
            return self.queued.remove(i).map(|(_, f)| f);
        }
        if self.rate_ppm == 0 {
            return None;
        }
        // xorshift64: deterministic for a seed, enough for spreading faults.
        let mut x = self.random;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.random = x;
        ((x % 1_000_000) < u64::from(self.rate_ppm))
            .then(|| RANDOM[(x >> 32) as usize % RANDOM.len()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_faults_go_to_their_path_in_order() {
        let mut p = Plan::new(0, 1);
        assert!(p.queue("/a", &[Fault::DropAfter, Fault::Drop]));
        assert_eq!(p.next("/b"), None);
        assert_eq!(p.next("/a"), Some(Fault::DropAfter));
        assert_eq!(p.next("/a"), Some(Fault::Drop));
        assert_eq!(p.next("/a"), None);
        assert!(!p.queue("/a", &[Fault::Drop; MAX_QUEUED + 1]));
    }

    #[test]
    fn the_random_share_is_near_the_rate() {
        let mut p = Plan::new(50_000, 7);
        let n = (0..100_000).filter(|_| p.next("/x").is_some()).count();
        assert!((4_000..6_000).contains(&n), "{n}");
        assert_eq!(Fault::named("drop-after"), Some(Fault::DropAfter));
        assert!(Fault::DropAfter.after() && !Fault::Drop.after());
        assert_eq!(Fault::named("nope"), None);
    }
}
