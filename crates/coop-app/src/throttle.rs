//! Sign-in throttling, per account and per address.
//!
//! - **Per account**: after `account_failures` wrong passwords within `window`, the account
//!   is locked for `lockout` (doubling with every further failure, up to `max_lockout`). While
//!   locked, no password is even checked: the answer is 429.
//! - **Per address**: after `address_failures` wrong passwords from one address within
//!   `window`, that address is throttled. A throttled address may still sign in to an account
//!   that has no recent failures, when the password is right, so colleagues behind the same
//!   office router are not slowed by one person's typos or an attacker; but any wrong
//!   password from it, or any attempt on an account that has recent failures, gets 429.
//!
//! The state is kept in memory: a restart forgets it, which only ever helps a legitimate user.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    pub window: Duration,
    pub account_failures: u32,
    pub address_failures: u32,
    pub lockout: Duration,
    pub max_lockout: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            window: Duration::from_secs(15 * 60),
            account_failures: 5,
            address_failures: 20,
            lockout: Duration::from_secs(60),
            max_lockout: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Clone, Debug)]
struct Record {
    failures: u32,
    first: Instant,
    locked_until: Option<Instant>,
}

/// What the throttle says before a password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Check the password normally.
    Open,
    /// The address is throttled: check the password, but a wrong one is answered with 429.
    OnlyIfRight { retry_after: Duration },
    /// Refuse without checking.
    Refuse { retry_after: Duration },
}

pub struct Throttle {
    config: ThrottleConfig,
    accounts: Mutex<HashMap<String, Record>>,
    addresses: Mutex<HashMap<String, Record>>,
}

impl Throttle {
    pub fn new(config: ThrottleConfig) -> Throttle {
        Throttle { config, accounts: Mutex::new(HashMap::new()), addresses: Mutex::new(HashMap::new()) }
    }

    fn live<'a>(&self, map: &'a mut HashMap<String, Record>, key: &str, now: Instant) -> Option<&'a mut Record> {
        let expired = map.get(key).is_some_and(|r| {
            now.duration_since(r.first) > self.config.window && r.locked_until.is_none_or(|u| u <= now)
        });
        if expired {
            map.remove(key);
        }
        map.get_mut(key)
    }

    /// Decides whether to check a password for `account` from `address`.
    pub fn gate(&self, account: &str, address: &str, now: Instant) -> Gate {
        let mut accounts = self.accounts.lock().unwrap();
        let account_rec = self.live(&mut accounts, account, now).cloned();
        if let Some(until) = account_rec.as_ref().and_then(|r| r.locked_until).filter(|u| *u > now) {
            return Gate::Refuse { retry_after: until - now };
        }
        let mut addresses = self.addresses.lock().unwrap();
        if let Some(until) = self.live(&mut addresses, address, now).and_then(|r| r.locked_until).filter(|u| *u > now) {
            let account_has_failures = account_rec.is_some_and(|r| r.failures > 0);
            return if account_has_failures {
                Gate::Refuse { retry_after: until - now }
            } else {
                Gate::OnlyIfRight { retry_after: until - now }
            };
        }
        Gate::Open
    }

    /// Records a wrong password; returns how long the caller must now wait, if at all.
    pub fn failed(&self, account: &str, address: &str, now: Instant) -> Option<Duration> {
        let account_wait = self.bump(&self.accounts, account, self.config.account_failures, now);
        let address_wait = self.bump(&self.addresses, address, self.config.address_failures, now);
        account_wait.max(address_wait)
    }

    fn bump(&self, map: &Mutex<HashMap<String, Record>>, key: &str, limit: u32, now: Instant) -> Option<Duration> {
        let mut map = map.lock().unwrap();
        if self.live(&mut map, key, now).is_none() {
            map.insert(key.to_string(), Record { failures: 0, first: now, locked_until: None });
        }
        let rec = map.get_mut(key).expect("inserted above");
        rec.failures += 1;
        if rec.failures >= limit {
            let extra = (rec.failures - limit).min(10);
            let wait = (self.config.lockout * 2u32.pow(extra)).min(self.config.max_lockout);
            rec.locked_until = Some(now + wait);
            Some(wait)
        } else {
            None
        }
    }

    /// A right password clears the account's record (not the address's).
    pub fn succeeded(&self, account: &str) {
        self.accounts.lock().unwrap().remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottleConfig { account_failures: 3, address_failures: 5, ..ThrottleConfig::default() })
    }

    #[test]
    fn account_locks_after_repeated_failures_and_unlocks_later() {
        let t = throttle();
        let now = Instant::now();
        assert_eq!(t.failed("ana", "10.0.0.1", now), None);
        assert_eq!(t.failed("ana", "10.0.0.2", now), None);
        assert_eq!(t.failed("ana", "10.0.0.3", now), Some(Duration::from_secs(60)));
        assert!(matches!(t.gate("ana", "10.0.0.9", now), Gate::Refuse { .. }), "locked from every address");
        assert_eq!(t.gate("ben", "10.0.0.1", now), Gate::Open, "other accounts are not affected");
        assert_eq!(t.gate("ana", "10.0.0.9", now + Duration::from_secs(61)), Gate::Open);
    }

    #[test]
    fn lockout_doubles_up_to_the_cap() {
        let t = throttle();
        let now = Instant::now();
        let waits: Vec<_> = (0..6).map(|_| t.failed("ana", "a", now)).collect();
        assert_eq!(waits[2], Some(Duration::from_secs(60)));
        assert_eq!(waits[3], Some(Duration::from_secs(120)));
        assert_eq!(waits[4], Some(Duration::from_secs(240)));
    }

    #[test]
    fn a_throttled_address_lets_other_members_in_with_the_right_password() {
        let t = throttle();
        let now = Instant::now();
        for who in ["x1", "x2", "x3", "x4", "x5"] {
            t.failed(who, "office", now);
        }
        assert!(matches!(t.gate("ben", "office", now), Gate::OnlyIfRight { .. }));
        assert!(matches!(t.gate("x1", "office", now), Gate::Refuse { .. }), "an account with failures is refused");
        assert_eq!(t.gate("ben", "home", now), Gate::Open);
    }

    #[test]
    fn success_clears_the_account() {
        let t = throttle();
        let now = Instant::now();
        t.failed("ana", "a", now);
        t.failed("ana", "a", now);
        t.succeeded("ana");
        assert_eq!(t.failed("ana", "a", now), None, "the count starts again");
    }
}
