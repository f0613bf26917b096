//! `coop demo`: a small, believable co-op to look around in.
//!
//! Everything is seeded through the same use cases as real data (as the operator), dated
//! relative to today so that the demo always looks current: a candidacy is always about to
//! end (the dashboard lists it as due), a leave has just ended, an alumna left last year.

use coop_app::members::{NewMember, StateInput};
use coop_app::{Actor, App};
use coop_core::member::{MemberState, Role};
use coop_core::CoopSettings;
use jiff::civil::Date;
use jiff::Span;
use rand::Rng;

/// The admin's login, printed for the person who started the demo.
pub struct DemoLogin {
    pub email: String,
    pub password: String,
}

const ADMIN_EMAIL: &str = "amina@brightwater.coop";
const ADMITTED: &str = "admitted by consensus at the general meeting";

/// One seeded person: their roles and their history, oldest state first.
struct Person {
    name: &'static str,
    email: &'static str,
    roles: &'static [Role],
    steps: Vec<(MemberState, Date, &'static str)>,
}

/// Founds "Brightwater Digital Cooperative" in an empty database and fills it.
pub async fn seed(app: &App) -> anyhow::Result<DemoLogin> {
    let settings = CoopSettings::new("Brightwater Digital Cooperative", "USD", "America/New_York", "01-01", "en", 9)?;
    app.init(&settings).await?;
    let today = app.today().await?;
    let ago = |years: i64, months: i64, days: i64| today.saturating_sub(Span::new().years(years).months(months).days(days));
    use MemberState::*;
    let people = [
        Person { name: "Amina Haddad", email: ADMIN_EMAIL, roles: &[Role::Admin], steps: vec![(Member, ago(6, 2, 0), "founding member")] },
        Person {
            name: "Rosa Delgado",
            email: "rosa@brightwater.coop",
            roles: &[],
            steps: vec![
                (Member, ago(6, 2, 0), "founding member"),
                (Departed, ago(1, 2, 0), "moved to Lisbon; her capital account is being paid out over two years"),
            ],
        },
        Person {
            name: "Jonas Keller",
            email: "jonas@brightwater.coop",
            roles: &[Role::Secretary],
            steps: vec![(Candidate, ago(5, 4, 0), ""), (Member, ago(4, 7, 0), ADMITTED)],
        },
        Person {
            name: "Priya Raman",
            email: "priya@brightwater.coop",
            roles: &[],
            steps: vec![
                (Applicant, ago(4, 1, 0), "met us at a design meetup"),
                (Candidate, ago(3, 11, 0), ""),
                (Member, ago(3, 2, 0), ADMITTED),
                (OnLeave, ago(1, 8, 0), "parental leave"),
                (Member, ago(1, 2, 0), "back from parental leave"),
            ],
        },
        Person {
            name: "Tomás Ortega",
            email: "tomas@brightwater.coop",
            roles: &[],
            steps: vec![(Candidate, ago(3, 0, 0), ""), (Member, ago(2, 3, 0), ADMITTED)],
        },
        Person {
            name: "Grace Okafor",
            email: "grace@brightwater.coop",
            roles: &[],
            steps: vec![(Candidate, ago(2, 2, 0), ""), (Member, ago(1, 5, 0), ADMITTED)],
        },
        Person {
            name: "Lin Wei",
            email: "lin@brightwater.coop",
            roles: &[],
            steps: vec![(Candidate, ago(1, 6, 0), ""), (Member, ago(0, 9, 0), "admitted by vote at the general meeting (6 yes, 0 no)")],
        },
        // A nine-month candidacy that started eight and a half months ago: due within 30 days.
        Person {
            name: "Kwame Mensah",
            email: "kwame@brightwater.coop",
            roles: &[],
            steps: vec![(Candidate, ago(0, 8, 15), "started after two trial projects")],
        },
        Person { name: "Yuki Tanaka", email: "yuki@brightwater.coop", roles: &[], steps: vec![(Applicant, ago(0, 0, 12), "applied after the open day")] },
    ];

    let password = random_password();
    let op = &Actor::Operator;
    for person in people {
        let mut steps = person.steps.into_iter();
        let (state, since, note) = steps.next().expect("every person has a first state");
        let added = app
            .add_member(
                op,
                NewMember {
                    name: person.name.into(),
                    email: person.email.into(),
                    state: Some(state),
                    since: Some(since),
                    note: note.into(),
                    roles: person.roles.to_vec(),
                    password: (person.email == ADMIN_EMAIL).then(|| password.clone()),
                    ..NewMember::default()
                },
            )
            .await?;
        for (state, on, note) in steps {
            app.change_state(op, added.id, StateInput { state, on: Some(on), note: note.into(), planned_end: None }).await?;
        }
    }
    seed_decisions(app).await?;
    seed_work(app, today).await?;
    Ok(DemoLogin { email: ADMIN_EMAIL.into(), password })
}

/// The co-op's "how we decide" table, one decided proposal, one open, and an election.
async fn seed_decisions(app: &App) -> anyhow::Result<()> {
    use coop_app::decisions::{ClassInput, ProposalInput, ResultsVisibility};
    use coop_app::elections::ElectionInput;
    use coop_core::decision::DecisionRule;
    let op = &Actor::Operator;
    let classes = [
        ("rules", r#"{"kind":"consensus","max_stand_asides":1,"quorum":"2/3","fallback":{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":"2/3"}}"#, true),
        ("day-to-day", r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#, false),
        ("membership", r#"{"kind":"consensus","max_stand_asides":1,"quorum":"1/2","fallback":null}"#, false),
    ];
    for (name, rule, governs) in classes {
        let input = ClassInput {
            name: name.into(),
            rule: DecisionRule::parse_json(rule).map_err(|e| anyhow::anyhow!("demo rule {name}: {e}"))?,
            eligible: vec![MemberState::Member],
            results: ResultsVisibility::Live,
            governs_rules: governs,
        };
        app.set_class(op, input, None).await?;
    }
    let id = |email: &'static str| async move { app.member_id_by_email(op, email).await };
    let days = |n: i64| app.clock().now().checked_add(jiff::SignedDuration::from_hours(24 * n)).ok();

    let decided = app
        .new_proposal(
            op,
            ProposalInput {
                class: "day-to-day".into(),
                title: "Renew the shared office lease for 2027".into(),
                body: "The landlord offers the same rent for another year. The lease ends on 31 December.".into(),
                closes_at: days(7),
                ..ProposalInput::default()
            },
        )
        .await?;
    let votes = [
        (ADMIN_EMAIL, "yes", ""),
        ("jonas@brightwater.coop", "yes", ""),
        ("priya@brightwater.coop", "yes", ""),
        ("tomas@brightwater.coop", "no", "we should look for a space with step-free access"),
        ("grace@brightwater.coop", "yes", ""),
        ("lin@brightwater.coop", "yes", ""),
    ];
    for (email, choice, reason) in votes {
        app.vote(op, decided.id, id(email).await?, choice, Some(reason), None).await?;
    }

    let open = app
        .new_proposal(
            op,
            ProposalInput {
                class: "membership".into(),
                title: "Admit Kwame Mensah as a member".into(),
                body: "Kwame's nine-month candidacy ends this month. Both trial projects went well.".into(),
                closes_at: days(5),
                ..ProposalInput::default()
            },
        )
        .await?;
    for email in [ADMIN_EMAIL, "jonas@brightwater.coop", "grace@brightwater.coop"] {
        app.vote(op, open.id, id(email).await?, "agree", None, None).await?;
    }

    let board = app
        .new_election(
            op,
            ElectionInput {
                title: "Board 2027".into(),
                seats: 3,
                method: coop_core::election::Method::Stv,
                candidates: vec!["Amina Haddad".into(), "Jonas Keller".into(), "Priya Raman".into(), "Grace Okafor".into(), "Lin Wei".into()],
                closes_at: days(10),
                eligible: vec![MemberState::Member],
            },
        )
        .await?;
    for (email, ranking) in [("tomas@brightwater.coop", "Grace Okafor>Priya Raman>Lin Wei"), ("priya@brightwater.coop", "Lin Wei>Jonas Keller")] {
        app.cast_ballot(op, board.id, id(email).await?, ranking, None).await?;
    }
    Ok(())
}

/// A fresh password per demo run, in four groups of four that are easy to type
/// (no 0/o, 1/l/i look-alikes).
/// This year's work: projects, kinds of work with rates, commitments, hours on every weekday
/// so far (imported in one file, as a co-op moving from a time tracker would), some leave, a
/// pay system adopted by the members' vote, and the pay runs of past months approved.
async fn seed_work(app: &App, today: Date) -> anyhow::Result<()> {
    use coop_app::pay::Month;
    use coop_core::hours::Minutes;
    use coop_core::import::{Format, Mapping};
    use coop_core::money::Money;
    use coop_core::pay::PaySystem;
    let op = &Actor::Operator;
    app.add_project(op, "Riverside Clinic website", Some("Riverside Clinic"), true).await?;
    app.add_project(op, "Bakery POS", Some("Hartley's Bakery"), true).await?;
    app.add_project(op, "Co-op admin", None, false).await?;
    // (email, declared hours, leave weeks, daily hours, main project)
    let workers = [
        (ADMIN_EMAIL, 1560, 6, 7, "Riverside Clinic website"),
        ("jonas@brightwater.coop", 1400, 5, 6, "Bakery POS"),
        ("priya@brightwater.coop", 1200, 6, 5, "Riverside Clinic website"),
        ("tomas@brightwater.coop", 1560, 5, 7, "Bakery POS"),
        ("grace@brightwater.coop", 1300, 5, 6, "Riverside Clinic website"),
        ("lin@brightwater.coop", 1560, 4, 8, "Bakery POS"),
        ("kwame@brightwater.coop", 1040, 4, 4, "Bakery POS"),
    ];
    let year = today.year();
    let kinds = ["Programming", "Design", "Support"];
    let mut csv = String::from("email,date,hours,project,category,note\n");
    let mut day = Date::new(year, 1, 1)?;
    let mut n: u64 = 0;
    while day < today {
        if coop_core::hours::is_weekday(day) {
            for (i, (email, _, _, daily, project)) in workers.iter().enumerate() {
                n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407 + i as u64);
                let kind = kinds[((n >> 33) % 3) as usize];
                // Most of the day on the main project, an hour of co-op admin on Fridays.
                let admin = day.weekday() == jiff::civil::Weekday::Friday;
                let main = if admin { daily - 1 } else { *daily };
                csv.push_str(&format!("{email},{day},{main},{project},{kind},\n"));
                if admin {
                    csv.push_str(&format!("{email},{day},1,Co-op admin,Support,weekly meeting\n"));
                }
            }
        }
        day = day.tomorrow()?;
    }
    // Only the days each person was in the co-op are kept.
    let mut kept = String::from("email,date,hours,project,category,note\n");
    let members = app.list_members(op, &Default::default()).await?;
    for line in csv.lines().skip(1) {
        let mut fields = line.split(',');
        let (email, date) = (fields.next().unwrap_or_default(), fields.next().unwrap_or_default());
        let joined = members.iter().find(|m| m.email == email).and_then(|m| m.since.clone()).unwrap_or_default();
        if date >= joined.as_str() {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    app.import_hours(op, &kept, Some(Format::Generic), false, &Mapping { create_unknown: true, ..Mapping::default() }).await?;
    for (email, hours, weeks, _, _) in workers {
        let id = app.member_id_by_email(op, email).await?;
        app.set_commitment(op, id, year, Minutes::from_hours(hours), weeks).await?;
    }
    app.set_kind_rate(op, "Programming", Month { year, month: 1 }, Some(Money(3600)), 100).await?;
    app.set_kind_rate(op, "Design", Month { year, month: 1 }, Some(Money(3200)), 100).await?;
    let priya = app.member_id_by_email(op, "priya@brightwater.coop").await?;
    let spring = Date::new(year, 4, 6)?;
    if spring < today {
        app.take_leave(op, priya, spring, Date::new(year, 4, 10)?, "spring break with the kids").await?;
    }
    let system = PaySystem::from_json(r#"{"basis":{"kind":"by_kind","general_rate":"28.00","internal_paid":true},"max_ratio":"2:1"}"#)
        .map_err(|e| anyhow::anyhow!("demo pay system: {e}"))?;
    let (proposal, _) = app.propose_pay_system(op, system, Month { year, month: 1 }, Some("day-to-day".into()), None).await?;
    for email in [ADMIN_EMAIL, "jonas@brightwater.coop", "priya@brightwater.coop", "tomas@brightwater.coop", "grace@brightwater.coop", "lin@brightwater.coop"] {
        app.vote(op, proposal, app.member_id_by_email(op, email).await?, "yes", None, None).await?;
    }
    for month in 1..today.month() {
        app.approve_pay_run(op, Month { year, month }).await?;
    }
    Ok(())
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let group = |rng: &mut rand::rngs::OsRng| (0..4).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>();
    (0..4).map(|_| group(&mut rng)).collect::<Vec<_>>().join("-")
}
