//! Properties of `coop_core::pay` that must hold for every pay system and every month: the
//! arithmetic adds up exactly, the bonus pool pays out exactly, a declared salary's twelve
//! months make its year, the ratio check agrees with a brute-force comparison of every pair, and
//! a stored pay system reads back unchanged.

use std::collections::BTreeMap;

use coop_core::hours::Minutes;
use coop_core::money::Money;
use coop_core::pay::{pay_month, BonusPool, MemberMonth, MonthPay, PayBasis, PayRatio, PaySystem, WorkedMinutes};
use proptest::prelude::*;

const PROJECTS: [&str; 5] = ["Alpha", "beta", "Client", "Admin", " ALPHA "];
const KINDS: [&str; 4] = ["programming", "Design", "repair", "PROGRAMMING"];

fn rate() -> impl Strategy<Value = Money> {
    (0i64..=30_000).prop_map(Money)
}

fn basis() -> impl Strategy<Value = PayBasis> {
    prop_oneof![
        (rate(), any::<bool>()).prop_map(|(rate, internal_paid)| PayBasis::EqualHourly { rate, internal_paid }),
        (rate(), any::<bool>()).prop_map(|(general_rate, internal_paid)| PayBasis::ByKind { general_rate, internal_paid }),
        (0i64..=80 * 60, rate()).prop_map(|(base, rate)| PayBasis::BasePlusHourly { base_hours: Minutes(base), rate }),
        rate().prop_map(|rate| PayBasis::DeclaredSalary { rate }),
    ]
}

fn pool() -> impl Strategy<Value = Option<BonusPool>> {
    prop::option::of((0i64..=2_000_000, prop::sample::subsequence(vec!["alpha", "Beta", "Grant"], 0..=3)).prop_map(|(amount, priorities)| BonusPool {
        amount: Money(amount),
        priorities: priorities.into_iter().map(str::to_string).collect(),
    }))
}

fn limit() -> impl Strategy<Value = Option<PayRatio>> {
    prop::option::of((1u64..=800, 1u64..=100).prop_filter_map("top below bottom", |(a, b)| PayRatio::new(a.max(b), a.min(b))))
}

fn system() -> impl Strategy<Value = PaySystem> {
    (basis(), pool(), limit()).prop_map(|(basis, bonus_pool, max_ratio)| PaySystem { basis, bonus_pool, max_ratio })
}

fn worked() -> impl Strategy<Value = WorkedMinutes> {
    (prop::option::of(prop::sample::select(PROJECTS.to_vec())), any::<bool>(), prop::option::of(prop::sample::select(KINDS.to_vec())), 0i64..=600).prop_map(
        |(project, billable, kind, minutes)| WorkedMinutes { project: project.map(str::to_string), billable, kind: kind.map(str::to_string), minutes: Minutes(minutes) },
    )
}

/// Members with distinct ids, given in no particular order.
fn members() -> impl Strategy<Value = Vec<MemberMonth>> {
    prop::collection::vec(
        (prop::collection::vec(worked(), 0..6), 0i64..=40 * 60, 0i64..=3000 * 60, 1u32..=23, 0u32..=23),
        0..7,
    )
    .prop_flat_map(|rows| {
        let n = rows.len();
        (Just(rows), Just((1..=n as i64).map(|i| i * 3).collect::<Vec<_>>()).prop_shuffle())
    })
    .prop_map(|(rows, ids)| {
        rows.into_iter()
            .zip(ids)
            .map(|((worked, leave, declared, working_days, days), member_id)| MemberMonth {
                member_id,
                name: format!("Member {member_id}"),
                worked,
                leave: Minutes(leave),
                declared_year: Some(Minutes(declared)),
                days_in_coop: days.min(working_days),
                working_days,
            })
            .collect()
    })
}

fn kind_rates() -> impl Strategy<Value = BTreeMap<String, Money>> {
    prop::collection::btree_map(prop::sample::select(vec!["programming".to_string(), "design".to_string()]), rate(), 0..=2)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn is_bonus(label: &str) -> bool {
    label.starts_with("Bonus pool")
}

/// The exact paid time of a member, in minutes as `num / den`, worked out from the inputs
/// independently of the module.
fn paid_time(basis: &PayBasis, m: &MemberMonth) -> (i128, i128) {
    let sum = |f: &dyn Fn(&WorkedMinutes) -> bool| m.worked.iter().filter(|w| f(w)).map(|w| i128::from(w.minutes.get())).sum::<i128>();
    let leave = i128::from(m.leave.get());
    match basis {
        PayBasis::EqualHourly { internal_paid, .. } | PayBasis::ByKind { internal_paid, .. } => (sum(&|w| w.billable || *internal_paid) + leave, 1),
        PayBasis::BasePlusHourly { .. } => (sum(&|_| true) + leave, 1),
        PayBasis::DeclaredSalary { .. } => (i128::from(m.declared_year.unwrap().get()) * i128::from(m.days_in_coop), 12 * i128::from(m.working_days)),
    }
}

fn run(system: &PaySystem, month: u8, kinds: &BTreeMap<String, Money>, members: &[MemberMonth]) -> MonthPay {
    pay_month(system, month, kinds, members).expect("valid inputs are paid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn gross_is_the_sum_of_the_lines_and_total_the_sum_of_gross(sys in system(), month in 1u8..=12, kinds in kind_rates(), members in members()) {
        let pay = run(&sys, month, &kinds, &members);
        prop_assert_eq!(pay.members.len(), members.len());
        prop_assert!(pay.members.windows(2).all(|w| w[0].member_id < w[1].member_id), "ordered by member id");
        for m in &pay.members {
            prop_assert_eq!(m.gross.cents(), m.lines.iter().map(|l| l.amount.cents()).sum::<i64>());
            prop_assert!(m.gross.cents() >= 0);
        }
        prop_assert_eq!(pay.total.cents(), pay.members.iter().map(|m| m.gross.cents()).sum::<i64>());
    }

    #[test]
    fn hourly_lines_are_within_half_a_cent_of_exact(sys in system(), kinds in kind_rates(), members in members()) {
        let pay = run(&sys, 1, &kinds, &members);
        for line in pay.members.iter().flat_map(|m| &m.lines) {
            // Pro-rated salary lines round a different exact value; every other line with a
            // rate and hours is rate x minutes / 60 rounded to the nearest cent.
            if let (Some(rate), Some(minutes)) = (line.rate, line.minutes) {
                if line.label.starts_with("Salary") || line.label.contains("working days") {
                    continue;
                }
                let exact_times_60 = i128::from(rate.cents()) * i128::from(minutes.get());
                prop_assert!((i128::from(line.amount.cents()) * 60 - exact_times_60).abs() <= 30, "{:?}", line);
            } else {
                prop_assert!(line.rate.is_none());
                prop_assert!(is_bonus(&line.label) || line.amount == Money(0), "{:?}", line);
            }
        }
    }

    #[test]
    fn the_bonus_pool_pays_out_exactly_when_anyone_worked_on_a_priority(sys in system(), kinds in kind_rates(), members in members()) {
        let pay = run(&sys, 6, &kinds, &members);
        let bonus: i64 = pay.members.iter().flat_map(|m| &m.lines).filter(|l| is_bonus(&l.label)).map(|l| l.amount.cents()).sum();
        match &sys.bonus_pool {
            None => {
                prop_assert_eq!(bonus, 0);
                prop_assert!(pay.bonus_note.is_none());
            }
            Some(pool) => {
                let priorities: Vec<String> = pool.priorities.iter().map(|p| p.trim().to_lowercase()).collect();
                let anyone = members.iter().flat_map(|m| &m.worked).any(|w| {
                    w.minutes.get() > 0 && w.project.as_deref().is_some_and(|p| priorities.contains(&p.trim().to_lowercase()))
                });
                let note = pay.bonus_note.clone().unwrap();
                if anyone {
                    prop_assert_eq!(bonus, pool.amount.cents());
                    prop_assert!(note.contains("is shared among"), "{}", note);
                } else {
                    prop_assert_eq!(bonus, 0);
                    prop_assert!(pay.members.iter().flat_map(|m| &m.lines).all(|l| !is_bonus(&l.label)));
                    prop_assert!(note.contains("is not paid"), "{}", note);
                }
            }
        }
    }

    #[test]
    fn twelve_declared_salary_months_sum_to_the_year(rate in rate(), declared in 0i64..=4000 * 60, working in 1u32..=23, other in 0i64..=30_000) {
        let sys = PaySystem { basis: PayBasis::DeclaredSalary { rate }, bonus_pool: None, max_ratio: None };
        let member = MemberMonth {
            member_id: 1, name: "A".into(), worked: vec![], leave: Minutes(0), declared_year: Some(Minutes(declared)),
            days_in_coop: working, working_days: working,
        };
        // Hours worked do not change a declared salary.
        let busy = MemberMonth { worked: vec![WorkedMinutes { project: None, billable: true, kind: None, minutes: Minutes(other) }], ..member.clone() };
        let months: Vec<i64> = (1..=12).map(|month| run(&sys, month, &BTreeMap::new(), std::slice::from_ref(&member)).total.cents()).collect();
        for month in 1..=12u8 {
            prop_assert_eq!(run(&sys, month, &BTreeMap::new(), std::slice::from_ref(&busy)).total.cents(), months[usize::from(month - 1)]);
        }
        // The year: rate x declared / 60 to the nearest cent, halves up (all values are >= 0).
        let yearly = (2 * i128::from(rate.cents()) * i128::from(declared) + 60) / 120;
        prop_assert_eq!(i128::from(months.iter().sum::<i64>()), yearly);
        // Equal parts: within a cent of each other, the extra cents in the earliest months.
        prop_assert!(months.windows(2).all(|w| w[0] >= w[1] && w[0] - w[1] <= 1), "{:?}", months);
    }

    #[test]
    fn the_ratio_check_agrees_with_every_pair(sys in system(), kinds in kind_rates(), members in members()) {
        let pay = run(&sys, 2, &kinds, &members);
        let by_id: BTreeMap<i64, &MemberMonth> = members.iter().map(|m| (m.member_id, m)).collect();
        // Effective hourly pay as gross x 60 x den / num, for members with paid time.
        let hourly: Vec<(i64, i128, i128)> = pay
            .members
            .iter()
            .filter_map(|p| {
                let (num, den) = paid_time(&sys.basis, by_id[&p.member_id]);
                (num > 0).then(|| (p.member_id, i128::from(p.gross.cents()) * 60 * den, num))
            })
            .collect();
        let le = |a: (i128, i128), b: (i128, i128)| a.0 * b.1 <= b.0 * a.1;
        if hourly.is_empty() {
            prop_assert!(pay.ratio.highest.is_none() && pay.ratio.lowest.is_none() && pay.ratio.within_limit);
        } else {
            let (hi, lo) = (pay.ratio.highest.unwrap().0, pay.ratio.lowest.unwrap().0);
            let of = |id: i64| hourly.iter().find(|h| h.0 == id).map(|h| (h.1, h.2)).unwrap();
            for &(_, n, d) in &hourly {
                prop_assert!(le((n, d), of(hi)) && le(of(lo), (n, d)));
            }
            // Within the limit iff every member's hourly pay is at most the limit times every other's.
            let within = match sys.max_ratio {
                None => true,
                Some(r) => hourly.iter().all(|&(_, n1, d1)| {
                    hourly.iter().all(|&(_, n2, d2)| n1 * d2 * i128::from(r.den()) <= n2 * d1 * i128::from(r.num()))
                }),
            };
            prop_assert_eq!(pay.ratio.within_limit, within);
            prop_assert_eq!(pay.ratio.limit, sys.max_ratio);
            // A limit of exactly the month's own ratio passes (the limit is inclusive); a limit
            // just below it fails.
            let ((hn, hd), (ln, ld)) = (of(hi), of(lo));
            let (top, bottom) = (hn * ld, hd * ln);
            if bottom > 0 && top > 0 {
                if let (Ok(top), Ok(bottom)) = (u64::try_from(top), u64::try_from(bottom)) {
                    if let Some(exact) = PayRatio::new(top, bottom) {
                        let at = PaySystem { max_ratio: Some(exact), ..sys.clone() };
                        prop_assert!(run(&at, 2, &kinds, &members).ratio.within_limit);
                        if let Some(below) = PayRatio::new(exact.num() * 1000 - 1, exact.den() * 1000) {
                            let under = PaySystem { max_ratio: Some(below), ..sys.clone() };
                            prop_assert!(!run(&under, 2, &kinds, &members).ratio.within_limit);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rates_by_kind_at_the_general_rate_are_equal_pay(rate in rate(), internal_paid in any::<bool>(), members in members()) {
        let kinds = BTreeMap::from([("programming".to_string(), rate), ("design".to_string(), rate)]);
        let by_kind = PaySystem { basis: PayBasis::ByKind { general_rate: rate, internal_paid }, bonus_pool: None, max_ratio: None };
        let equal = PaySystem { basis: PayBasis::EqualHourly { rate, internal_paid }, bonus_pool: None, max_ratio: None };
        let a = run(&by_kind, 3, &kinds, &members);
        let b = run(&equal, 3, &BTreeMap::new(), &members);
        // Line by line the split differs, so rounding may differ by under a cent per line; the
        // paid time is the same, and each gross is within half a cent per line of the other.
        for (x, y) in a.members.iter().zip(&b.members) {
            prop_assert_eq!(x.paid_minutes, y.paid_minutes);
            let slack = (x.lines.len() + y.lines.len()) as i64;
            prop_assert!((x.gross.cents() - y.gross.cents()).abs() <= slack, "{:?} vs {:?}", x, y);
        }
    }

    #[test]
    fn a_pay_system_round_trips_through_json(sys in system()) {
        let text = sys.to_json();
        prop_assert_eq!(PaySystem::from_json(&text).unwrap(), sys.clone());
        let value = serde_json::to_value(&sys).unwrap();
        prop_assert_eq!(serde_json::from_value::<PaySystem>(value).unwrap(), sys);
    }

    #[test]
    fn a_ratio_reads_back_from_its_text(a in 1u64..=3_000_000_000, b in 1u64..=3_000_000_000, k in 1u64..=1000) {
        let (num, den) = (a.max(b), a.min(b));
        let Some(r) = PayRatio::new(num, den) else {
            // Refused only when the reduced top is beyond the largest side.
            prop_assert!(num / gcd(num, den) > PayRatio::MAX_SIDE);
            return Ok(());
        };
        prop_assert_eq!(PayRatio::new(num * k, den * k), Some(r));
        prop_assert_eq!(PayRatio::parse(&r.to_string()).unwrap(), r);
        // Reduced: the same ratio however it is written.
        prop_assert_eq!(u128::from(r.num()) * u128::from(den), u128::from(r.den()) * u128::from(num));
        prop_assert!(PayRatio::new(den, num).is_none() || num == den);
    }
}
