//! Exponential backoff with jitter, and the tiny deterministic random source it draws from.

use super::Millis;

/// Reconnect timing (contract B1 `reconnect`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReconnectConfig {
    /// Delay before the first attempt, and the floor of every delay. Default 1000 ms.
    pub min_delay: Millis,
    /// Ceiling of every delay. Default 30000 ms.
    pub max_delay: Millis,
    /// Growth per attempt. Default 2.
    pub factor: f64,
    /// Fraction of the delay that is randomised away, 0–1. Default 0.5.
    pub jitter: f64,
    /// Reconnect attempts allowed after the first connection. Default unlimited.
    pub max_retries: u32,
    /// Time OPEN after which the attempt counter resets. Default 5000 ms.
    pub min_uptime: Millis,
}

impl Default for ReconnectConfig {
    fn default() -> Self {
        ReconnectConfig {
            min_delay: 1000,
            max_delay: 30_000,
            factor: 2.0,
            jitter: 0.5,
            max_retries: u32::MAX,
            min_uptime: 5000,
        }
    }
}

impl ReconnectConfig {
    /// Makes out-of-range values safe: `max_delay >= min_delay`, `factor >= 1`,
    /// `0 <= jitter <= 1`.
    pub fn sanitized(mut self) -> Self {
        if self.max_delay < self.min_delay {
            self.max_delay = self.min_delay;
        }
        if self.factor.is_nan() || self.factor < 1.0 || !self.factor.is_finite() {
            self.factor = 1.0;
        }
        if self.jitter.is_nan() || self.jitter < 0.0 {
            self.jitter = 0.0;
        }
        if self.jitter > 1.0 {
            self.jitter = 1.0;
        }
        self
    }

    /// The wait before attempt `attempt` (1-based), given a uniform sample `r` in [0, 1).
    /// Always within `[min_delay, max_delay]`.
    pub fn delay(&self, attempt: u32, r: f64) -> Millis {
        let exp = attempt.saturating_sub(1).min(1024) as i32;
        let base = (self.min_delay as f64) * self.factor.powi(exp);
        let capped = if base.is_finite() { base.min(self.max_delay as f64) } else { self.max_delay as f64 };
        let jittered = capped * (1.0 - self.jitter * r);
        let d = jittered.round();
        let lo = self.min_delay as f64;
        let hi = self.max_delay as f64;
        (if d < lo {
            lo
        } else if d > hi {
            hi
        } else {
            d
        }) as Millis
    }
}

/// xorshift64*: small, fast, deterministic for tests; seeded from `Math.random` on the web.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from any seed (0 is replaced by a fixed odd constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    /// A uniform sample in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        let v = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (v >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let c = ReconnectConfig { jitter: 0.0, ..Default::default() };
        assert_eq!(c.delay(1, 0.5), 1000);
        assert_eq!(c.delay(2, 0.5), 2000);
        assert_eq!(c.delay(3, 0.5), 4000);
        assert_eq!(c.delay(6, 0.5), 30_000);
        assert_eq!(c.delay(u32::MAX, 0.5), 30_000);
    }

    #[test]
    fn jitter_stays_in_bounds() {
        let c = ReconnectConfig { jitter: 1.0, ..Default::default() };
        let mut rng = Rng::new(7);
        for a in 1..50 {
            let d = c.delay(a, rng.next_f64());
            assert!((1000..=30_000).contains(&d), "{d}");
        }
    }

    #[test]
    fn sanitizes() {
        let c = ReconnectConfig { min_delay: 500, max_delay: 10, factor: f64::NAN, jitter: 7.0, ..Default::default() }
            .sanitized();
        assert_eq!((c.max_delay, c.factor, c.jitter), (500, 1.0, 1.0));
    }
}
