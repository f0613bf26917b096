# English messages for the coop web shell.
# Keep this file and ar.ftl in the same order, key for key: a unit test in
# src/i18n.rs fails when a key exists in one file and not the other.
# Messages are plain text: templates escape them, so never put HTML here.

## The shell: name, navigation, header and footer

app-name = coop
nav-main-label = Main navigation
nav-dashboard = Dashboard
nav-members = Members
nav-decisions = Decisions
nav-meetings = Meetings
nav-work = Work
nav-money = Money
nav-policies = Policies
nav-journal = Journal
nav-logout = Sign out
nav-settings = Settings
nav-account = My account
language-en = English
language-ar = العربية
language-default = The co-op's default
list-separator = { ", " }
form-cancel = Cancel
form-password-hint = At least 10 characters. A few unrelated words make a strong password.
form-invalid-date = Enter a date as YYYY-MM-DD, for example 2026-03-01.
form-invalid-state = Choose a state from the list.
form-invalid-role = Choose roles from the list.
form-invalid-number = Enter a whole number.

## Signing in

login-title = Sign in
login-email = Email
login-password = Password
login-submit = Sign in
login-failed = Wrong email or password.
login-throttled = Too many failed attempts. Try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }.
logged-in-as = Signed in as { $name }
coop-name-label = Co-op: { $name }
footer-journal-head = Journal head: { $hash }
skip-to-content = Skip to content

## Dashboard

dashboard-title = Dashboard
dashboard-members-by-state = Members by state
dashboard-candidacies-due = Candidacies ending soon
dashboard-candidacy-due-line = { $name }: candidacy ends { $date }
dashboard-no-candidacies = No candidacy ends in the coming weeks.
dashboard-recent-journal = Recent journal entries
dashboard-count = Count
dashboard-all-journal = The whole journal

## Member states and roles (the state keys follow the contract's spelling)

state-applicant = Applicant
state-candidate = Candidate
state-member = Member
state-on_leave = On leave
state-departed = Departed (alumni)
role-admin = Administrator
role-secretary = Secretary

## Members

members-title = Members
members-search = Search by name or email
members-search-submit = Search
members-filter-state = State
members-all-states = All states
members-add = Add a member
members-none = No member matches.
members-count = { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
member-name = Name
member-email = Email
member-state = State
member-since = Since
member-roles = Roles
member-language = Language
member-planned-end = Candidacy planned end
member-note = Note
member-history = History
member-edit = Edit
member-save = Save
member-change-state = Change state
member-change-state-submit = Apply the change
member-effective-date = Effective date
member-added = { $name } was added.
member-updated = The member was updated.
member-state-changed = The state was changed.
member-password-optional = Password (optional: leave it empty and issue a reset link instead)
member-reset-link = Issue a password reset link
member-reset-link-issued = One-time reset link, valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }: { $link }
member-detail-title = Member details
member-since-hint = Leave it empty for today.
member-planned-end-hint = Only for a candidate. Leave it empty for the co-op's usual candidacy length.
member-candidacy-due = Due soon
member-account = Account
member-has-password = Has a password
member-no-password = No password yet
member-added-on = Added on
member-seal = Seal
member-reset-link-hint = The link works once. Hand it to the member yourself; it is shown only on the next page.

## Journal

journal-title = Journal
journal-filter-action = Action
journal-filter-actor = Actor
journal-filter-submit = Filter
journal-seq = No.
journal-at = When
journal-actor = Actor
journal-action = Action
journal-subject = Subject
journal-hash = Hash
journal-none = No journal entry matches.
journal-filter-action-hint = The beginning of an action, for example member.
journal-actor-all = Everyone
journal-actor-cli = The command line (cli)
journal-verify = Verify the journal
journal-paging = Journal pages
journal-newest = Newest entries
journal-older = Older entries
journal-verify-ok = The journal verifies: { $entries ->
        [one] { $entries } entry
       *[other] { $entries } entries
    }.
journal-verify-failed = The journal does not verify: an entry or a seal was changed. Run "coop journal verify" to see the first bad entry, and tell the other members.

## My account

account-title = My account
account-change-password = Change password
account-current-password = Current password
account-new-password = New password
account-password-changed = Your password was changed.
account-tokens = API tokens
account-token-label = Label
account-token-create = Create a token
account-token-created = Your new API token (shown once): { $token }
account-language = Language
account-language-saved = Your language was saved.
account-tokens-hint = A token lets a script act as you through the API. Revoke the ones you no longer use.
account-token-created-at = Created
account-token-status = Status
account-token-active = Active
account-token-revoked-state = Revoked
account-token-revoke = Revoke
account-token-revoked = The token was revoked.
account-token-none = You have no API tokens.

## Errors, password reset and co-op settings

area-coming-soon = This area arrives in a coming release.
error-title = Something went wrong
error-not-found = This page does not exist.
error-forbidden = You are not allowed to do this.
error-csrf = The form expired. Reload the page and try again.
error-invalid = Some values are not valid. Correct them and try again.
error-internal = Something failed on the server. Try again; if it keeps failing, tell an administrator.
error-back-home = Back to the dashboard
form-required = required
reset-title = Choose a new password
reset-submit = Set the password
reset-done = Your password is set. You can sign in now.
reset-invalid = This reset link is invalid or has expired. Ask an administrator for a new one.
settings-title = Co-op settings
settings-name = Co-op name
settings-currency = Currency
settings-timezone = Time zone
settings-fiscal-year-start = Fiscal year starts (MM-DD)
settings-language = Default language
settings-saved = The settings were saved.
settings-currency-hint = A three-letter code such as USD, EUR or EGP.
settings-timezone-hint = Area/City, for example Europe/Berlin or Africa/Cairo.
settings-candidacy-months = Usual candidacy length (months)

## Decisions: proposals, votes, secret ballots and decision classes

form-invalid-datetime = Enter a date and a time, for example 2026-03-01 14:30.
form-invalid-choice = Choose a value from the list.
decisions-title = Decisions
decisions-open = Open proposals
decisions-decided = Decided proposals
decisions-none-open = No proposal is open for voting.
decisions-none-decided = No proposal has been decided yet.
decisions-new = New proposal
decisions-classes-link = How we decide: the decision classes
decisions-col-title = Proposal
decisions-col-class = Class
decisions-col-closes = Voting closes
decisions-col-turnout = Voted
decisions-col-to-pass = To pass
decisions-col-status = Outcome
decisions-col-summary = Result
decisions-col-decided = Decided
decisions-turnout = { $turnout } of { $eligible }
decisions-needs-more = needs { $count } more
decisions-passes-now = would pass now
decisions-cannot-pass = can no longer pass
decisions-results-hidden = hidden until later
decisions-secret-badge = Secret ballot
status-open = Open
status-passed = Passed
status-failed = Failed
status-no_quorum = No quorum
status-blocked = Blocked
outcome-passed = passed
outcome-failed = failed
outcome-no_quorum = no quorum
outcome-blocked = blocked
outcome-next_round = to a second round
choice-yes = Yes
choice-no = No
choice-abstain = Abstain
choice-agree = Agree
choice-stand_aside = Stand aside
choice-block = Block
choice-consent = Consent
choice-object = Object
ratio-named = { $name } ({ $ratio })
ratio-1-1 = all
ratio-1-2 = half
ratio-1-3 = one-third
ratio-2-3 = two-thirds
ratio-1-4 = one-quarter
ratio-3-4 = three-quarters
ratio-3-5 = three-fifths
ratio-4-5 = four-fifths
rule-separator = { "; " }
rule-vote = Vote: { $terms }
rule-vote-terms = { $share } of { $base }
rule-vote-unanimous = all { $base } (unanimity)
rule-share-at-least = at least { $ratio }
rule-share-more-than = more than { $ratio }
rule-base-cast = votes cast (yes and no)
rule-base-cast_with_abstain = votes cast, abstentions included
rule-base-eligible = eligible members
rule-base-present = members present at the meeting
rule-quorum = quorum { $ratio } of eligible members
rule-no-quorum = no quorum
rule-consensus = Consensus: passes with no block
rule-stand-asides-max = { $count ->
        [one] at most { $count } stand-aside
       *[other] at most { $count } stand-asides
    }
rule-stand-asides-any = any number of stand-asides
rule-fallback = if someone blocks, a second round decides by vote, and its result is final: { $terms }
rule-no-fallback = a block stops the proposal
rule-consent = Consent: passes unless someone objects
summary = { $outcome }: { $details }
summary-separator = { ", " }
summary-vote = { $yes } of { $count } { $base }, { $share } needed
summary-share-unanimous = all
summary-consensus = { $agree } agree, { $stand_aside } standing aside, { $block } blocking
summary-stand-aside-limit = at most { $max } stand-asides allowed
summary-consent = { $consent } consenting, { $object } objecting
summary-quorum-met = quorum { $needed } of { $eligible } met
summary-quorum-not-met = quorum { $needed } of { $eligible } not met ({ $participation } took part)
proposal-class = Class
proposal-class-version = version { $version }
proposal-rule = Rule
proposal-opened = Voting opened
proposal-closes = Voting closes
proposal-closed = Decided
proposal-ballot = Ballot
proposal-ballot-secret = Secret: no one's choice is stored with their name
proposal-ballot-open = Open: every vote is shown with the voter's name and reason
proposal-turnout = Have voted
proposal-seal = Seal
proposal-round-2 = Round 2: the consensus round was blocked, so this round decides by the fallback vote. Its result is final.
proposal-amendment = If it passes, this proposal changes the decision class { $class }.
proposal-text = The proposal
proposal-no-text = This proposal has no text beyond its title.
proposal-tally = Tally so far
proposal-outcome = Outcome
proposal-tally-choice = Choice
proposal-tally-count = Votes
proposal-results-hidden-vote = The tally is shown to you once you have voted.
proposal-results-hidden-close = The tally is shown when voting closes ({ $closes }).
proposal-if-closed-now = If voting closed now: { $summary }
proposal-needs-more = { $count ->
        [one] It needs { $count } more supporting vote ({ $choice }) to pass.
       *[other] It needs { $count } more supporting votes ({ $choice }) to pass.
    }
proposal-passes-now = With the votes cast so far, it would pass.
proposal-cannot-pass = It can no longer pass, even if everyone still to vote chose { $choice }.
proposal-vote-title = Your vote
proposal-meeting = This proposal is decided by a show of hands at meeting { $meeting }; the secretary enters the counts.
proposal-my-vote = Your current vote: { $choice }. You can change it until voting closes.
proposal-secret-my-vote = On a secret ballot coop does not keep your choice with your name, so this page cannot show your vote. Your receipt code finds it.
proposal-no-vote-yet = You have not voted yet.
proposal-vote-refused = You cannot vote on this proposal.
proposal-vote-choice = Your choice
proposal-vote-choose = Choose one of the options.
proposal-vote-reason = Reason
proposal-vote-reason-hint = Optional, but required when you choose { $choices }: the others need to know what would have to change.
proposal-vote-reason-hint-optional = Optional. On an open ballot everyone can read it.
proposal-vote-reason-secret = On a secret ballot the reason is checked but not kept, so that it cannot identify you; say it in the discussion if you want it heard.
proposal-vote-receipt = Receipt code (only to change a secret vote you already cast)
proposal-vote-receipt-hint = Leave it empty for your first vote. To change your vote, enter the receipt code you were shown when you voted.
proposal-vote-submit = Vote
proposal-vote-change = Change my vote
proposal-find-later = After voting closes, every ballot is published on this page. Enter your receipt code under "Find my ballot" to check that yours was counted as you cast it.
proposal-close = Close voting now
proposal-close-hint = Ends voting before its deadline and computes the outcome from the votes cast so far. This cannot be undone.
proposal-votes = Votes and reasons
proposal-votes-member = Member
proposal-votes-choice = Choice
proposal-votes-reason = Reason
proposal-votes-at = When
proposal-ballots = Published ballots
proposal-ballots-hint = Every ballot of this secret vote, in no particular order. Find yours with your receipt code.
proposal-ballots-id = Ballot
proposal-ballots-round = Round
proposal-ballots-choice = Choice
proposal-ballots-receipt = Receipt fingerprint
proposal-ballots-none = No ballot was cast.
proposal-find = Find my ballot
proposal-find-receipt = Receipt code
proposal-find-submit = Find
proposal-find-empty = Enter the receipt code you were shown when you voted.
proposal-find-found = Your ballot { $ballot } was counted: { $choice } (round { $round }).
proposal-find-missing = No ballot has this receipt code. Check that you typed it exactly as it was shown.
proposal-operator-title = What an operator with database access can still learn
proposal-operator-intro = A secret ballot keeps your choice apart from your name, but it has limits. Whoever can read coop's database or its files (the person who runs the server, or anyone holding a backup) can still learn:
proposal-operator-turnout = who voted: the turnout list names every member who voted, but not how they voted;
proposal-operator-time = when each member voted: the journal records the time of each vote and who cast it, but not the choice;
proposal-operator-count = the running count of each choice while voting is open, even when this class hides the tally from members.
proposal-operator-no-link = Nothing in the database links a ballot to a member: each ballot is stored under a random key, with no name, no time and no order of arrival.
proposal-operator-live = A determined operator who watches the server live while someone votes (reading the database just before and after a vote, its write-ahead log, or the server's memory) could still tell which ballot is whose. With very few voters, or a unanimous result, the count alone can reveal how people voted.
proposal-operator-receipt = Your receipt code lets you check, after voting closes, that your ballot is in the published list as you cast it. Only a fingerprint of the code is stored; keep the code to yourself.
proposal-comments = Discussion
proposal-comments-none = No comment yet.
proposal-comment-by = { $name }, { $at }
proposal-comment-cli = The command line
proposal-comment-body = Your comment
proposal-comment-submit = Add the comment
proposal-comment-closed = The discussion closed with the vote.
proposal-opened-now = The proposal is open for voting.
proposal-voted = Your vote was recorded.
proposal-vote-changed = Your vote was changed.
proposal-voted-decided = Your vote was recorded. It was the last one, so the proposal is decided: see the outcome below.
proposal-secret-receipt = Your secret vote was recorded. While voting is open, your receipt code lets you change your vote; after voting closes, enter it under "Find my ballot" to check that your ballot was counted. Write it down now: it is shown only this once. Your receipt code: { $receipt }
proposal-secret-changed = Your secret vote was changed. Your receipt code stays the same.
proposal-commented = Your comment was added.
proposal-closed-now = Voting was closed and the outcome computed.
proposal-next-round = The consensus round was blocked: a second round, decided by the fallback vote, is now open.
proposal-new-title = New proposal
proposal-new-class = Decision class
proposal-new-class-hint = The class decides who votes and by which rule.
proposal-new-no-class = There is no decision class yet. An administrator sets one up first.
proposal-new-title-field = Title
proposal-new-body = Text (Markdown)
proposal-new-body-hint = Shown exactly as you type it. Say what is proposed, why, and what it costs.
proposal-new-closes = Voting closes (co-op time, { $tz })
proposal-new-closes-hint = A week from now unless you change it.
proposal-new-secret = Secret ballot
proposal-new-secret-hint = No one's choice is shown with their name; each voter gets a receipt code to find their ballot after the close.
proposal-new-submit = Open the proposal for voting
classes-title = Decision classes
classes-intro = How this co-op decides: each class of decisions has a rule and says who votes. A decided proposal keeps the version of the rule it was decided under.
classes-name = Class
classes-version = Version
classes-rule = Rule
classes-eligible = Who votes
classes-results = Tally shown
classes-governs = Governs the rules
classes-governs-yes = Yes: changes to the classes are decided under this class
classes-governs-no = No
classes-adopted-by = adopted by proposal { $id }
classes-none = No decision class yet.
classes-set = Set a decision class
classes-set-before-founding = The co-op has not decided anything yet, so this change applies at once. Once the first proposal is decided, changing a class becomes a proposal itself.
classes-set-after-founding = The co-op has decided proposals already, so this form opens a proposal under the class that governs the rules ({ $class }). The class changes only if that proposal passes.
classes-set-name = Class name
classes-set-name-hint = An existing name changes that class (as a new version); a new name adds a class.
classes-set-rule = Rule (JSON)
classes-set-rule-hint = The rule as JSON, for example a two-thirds vote, a consensus with a fallback vote, or consent:
classes-set-eligible = Who votes (their state on the day voting opens)
classes-set-results = When members see the tally
classes-set-governs = This class governs changes to the rules
classes-set-closes = Voting on the change closes (co-op time, { $tz })
classes-set-closes-hint = Leave it empty for a week of voting.
classes-set-submit-apply = Set the class
classes-set-submit-propose = Propose the change
classes-applied = The class { $name } was set.
classes-proposed = The change was opened as a proposal.
results-live = Live, while voting is open
results-after_vote = To each member once they have voted
results-after_close = When voting closes
decisions-elections-link = Elections
elections-title = Elections
elections-intro = Elections fill board seats and roles. Every ballot is secret. coop counts the ballots itself, round by round, and publishes the result with every ballot when voting closes.
elections-list = All elections
elections-none = No election yet.
elections-col-title = Election
elections-col-method = Method
elections-col-seats = Seats
elections-col-status = Status
elections-col-turnout = Voted
elections-col-closes = Voting closes
elections-col-elected = Elected
elections-new = New election
elections-new-title = Title
elections-new-seats = Seats to fill
elections-new-method = Voting method
elections-new-method-hint = Instant-runoff fills one seat; use the single transferable vote for several.
elections-new-candidates = Candidates, one per line
elections-new-candidates-hint = In the order they stand on the ballot (that order breaks the last ties). Leave it empty to take nominations first; voting then opens when the secretary opens it.
elections-new-closes = Voting closes (co-op time, { $tz })
elections-new-closes-hint = Used when voting opens at once, with the candidates above. A week from now unless you change it.
elections-new-submit = Create the election
election-method-stv = Single transferable vote (STV)
election-method-irv = Instant-runoff (IRV)
election-method-plurality = Plurality
election-method-approval = Approval
election-explain-stv = Each voter numbers the candidates in order of preference. A candidate who reaches the quota is elected, and the votes they do not need pass on to their voters' next choices at a reduced value; when no surplus is left, the candidate with the fewest votes is excluded and their ballots pass on. Counted by the Scottish STV rules (Scottish Local Government Elections Order 2007, rules 45 to 52), exact to five decimal places.
election-explain-irv = Each voter numbers the candidates in order of preference. A candidate with more than half of the ballots still counting wins; otherwise the candidate with the fewest votes is excluded and their ballots go to each voter's next choice, round after round.
election-explain-plurality = Each voter chooses one candidate. The candidates with the most votes win.
election-explain-approval = Each voter ticks every candidate they approve of. The candidates approved by the most voters win.
election-seats = { $seats ->
        [one] One seat to fill.
       *[other] { $seats } seats to fill.
    }
election-ties = Ties are broken by the earlier rounds: the candidate who had fewer votes in the most recent round where the tied candidates differed is excluded first. If they were equal in every round, the order on the ballot decides: the candidate listed last is excluded first, the one listed first is elected first.
election-status-nominating = Taking nominations
election-status-open = Open for voting
election-status-closed = Counted
election-method = Method
election-seats-label = Seats
election-opened = Voting opened
election-closes = Voting closes
election-closed = Voting was due to close
election-turnout = Have voted
election-seal = Seal
election-candidates = Candidates
election-candidates-none = No one has been nominated yet.
election-nominate = Nominate a candidate
election-nominate-name = Name on the ballot
election-nominate-hint = Without commas, ">" or double quotes.
election-nominate-submit = Nominate
election-open = Open voting
election-open-hint = Ends the nominations. The candidates stand on the ballot in the order above, and the members eligible today may vote.
election-open-closes = Voting closes (co-op time, { $tz })
election-open-submit = Open voting now
election-ballot-title = Your ballot
election-ballot-secret = Your ballot is secret: coop keeps no link between you and your choices. You get a receipt code to find your ballot in the list published when voting closes.
election-voted = You have voted in this election. Your ballot is secret, so this page cannot show it. To change it, fill in the form again with your receipt code.
election-not-voted = You have not voted yet.
election-ballot-refused = You cannot vote in this election.
election-rank-legend = Number the candidates in order of preference: 1 for your first choice, 2 for your second, and so on. Leave "Not ranked" for anyone you do not want to rank.
election-rank-none-option = Not ranked
election-rank-option = { $rank ->
        [1] 1st choice
        [2] 2nd choice
        [3] 3rd choice
        [21] 21st choice
        [22] 22nd choice
        [23] 23rd choice
       *[other] { $rank }th choice
    }
election-rank-empty = Rank at least one candidate: give your first choice the number 1.
election-rank-duplicate = You gave the number { $rank } to more than one candidate ({ $names }). Give each number to one candidate only.
election-rank-gap = The numbers must run 1, 2, 3 and so on without a gap: no candidate has the number { $missing }.
election-approve-legend = Tick every candidate you approve of.
election-approve-empty = Tick at least one candidate.
election-choice-legend = Choose one candidate.
election-choice-empty = Choose one of the candidates.
election-ballot-receipt = Receipt code (to change the ballot you cast)
election-ballot-receipt-hint = Enter the receipt code you were shown when you voted; your new ballot replaces the old one.
election-ballot-submit = Cast my ballot
election-ballot-change = Change my ballot
election-close = Close voting now
election-close-hint = Ends voting before its deadline, counts the ballots and publishes the result with every ballot. This cannot be undone.
election-results = Result
election-elected = Elected
election-reason-quota = reached the quota
election-reason-majority = more than half of the ballots still counting
election-reason-most_votes = among the most votes
election-reason-remaining_seats = as many candidates left as seats
election-reason-lowest = fewest votes
election-quota = Quota: { $quota } votes (the Droop quota: { $ballots } valid ballots divided by { $seats } seats plus one, rounded down, plus one).
election-rounds = Round by round
election-rounds-caption = Each candidate's votes at the end of each round, exact to five decimal places. Elected and excluded candidates are marked in the round it happened.
election-rounds-candidate = Candidate
election-round = Round { $round }
election-action-count = first count
election-action-surplus = surplus of { $name } ({ $votes }) transferred
election-action-exclusion = { $name } excluded
election-mark-elected = elected
election-mark-excluded = excluded
election-non-transferable = Not transferable (no further choice)
election-lost-to-rounding = Lost to rounding
election-transfers = Transfers
election-transfers-round = Round { $round }: { $transfers }
election-transfer = { $papers ->
        [one] 1 ballot from { $from } to { $to }, worth { $votes } votes
       *[other] { $papers } ballots from { $from } to { $to }, worth { $votes } votes
    }
election-transfer-exhausted = { $papers ->
        [one] 1 ballot from { $from } with no further choice, worth { $votes } votes
       *[other] { $papers } ballots from { $from } with no further choice, worth { $votes } votes
    }
election-ties-title = Ties
election-tie-round = Round { $round }: { $names } were tied, { $broken }.
election-tie-earlier = broken by their votes in round { $round }
election-tie-order = broken by the order on the ballot
election-ballots = Published ballots
election-ballots-hint = Every ballot of this election, in no particular order, without names. Find yours with your receipt code.
election-ballots-id = Ballot
election-ballots-ballot = Choices
election-ballots-receipt = Receipt fingerprint
election-find-found = Your ballot { $ballot } was counted: { $choices }.
election-blt = Download the ballots (BLT file)
election-blt-hint = BLT is the format other counting programs read (OpenSTV, Droop and others), so anyone can count the ballots again.
election-operator-count = every ballot cast so far while voting is open, and so the running count, even though members see the result only at the close.
election-created-now = The election was created and is open for voting.
election-created-nominating = The election was created; it now takes nominations.
election-nominated = { $name } was nominated.
election-opened-now = Voting is open.
election-receipt-flash = Your ballot was recorded. Write down your receipt code now: it is shown only this once. While voting is open it lets you change your ballot; after voting closes, enter it under "Find my ballot" to check that your ballot was counted. Your receipt code: { $receipt }
election-ballot-changed = Your ballot was changed. Your receipt code stays the same.
election-closed-now = Voting was closed and the ballots counted.
election-no-ballots = No ballot was cast before the deadline, so nobody was elected.

## Work
work-title = Work
work-open-timesheet = Fill in my week
work-year = Year
work-year-show = Show
work-year-total = Hours worked in { $year }: { $hours }
work-hours-unit = h
work-chart-hours-title = Hours per member per month
work-chart-hours-desc = One panel per member with a bar for each month, all on the same scale; the member's total for the year follows their name. The table below gives the same numbers.
work-chart-balance-title = Balance against commitment
work-chart-balance-desc = One bar per member with a commitment: to the right of the line when ahead of the hours expected by now, to the left when behind, with the signed number beside it. The table below gives the same numbers.
work-chart-balance-legend = Left of the line: behind (-); right: ahead (+)
work-table-member-months = Hours per member and month
work-table-balances = Balances against commitments
work-table-projects = Hours by project
work-table-kinds = Hours by kind of work
work-table-months = Hours by month
work-reports = Reports
work-member = Member
work-project = Project
work-kind = Kind of work
work-month = Month
work-hours = Hours
work-total = Total
work-declared = Declared
work-expected = Expected by now
work-worked = Worked
work-balance = Balance
work-ahead = ahead
work-behind = behind
work-none-name = (none)
work-no-hours = No hours recorded in this year.
work-no-commitments = No member has a commitment for this year.
work-month-1 = Jan
work-month-2 = Feb
work-month-3 = Mar
work-month-4 = Apr
work-month-5 = May
work-month-6 = Jun
work-month-7 = Jul
work-month-8 = Aug
work-month-9 = Sep
work-month-10 = Oct
work-month-11 = Nov
work-month-12 = Dec
work-day-mon = Mon
work-day-tue = Tue
work-day-wed = Wed
work-day-thu = Thu
work-day-fri = Fri
work-day-sat = Sat
work-day-sun = Sun
work-timesheet-title = Timesheet
work-week-of = { $name }: week of { $from } to { $to }
work-week-nav = Weeks
work-prev-week = Previous week
work-this-week = This week
work-next-week = Next week
work-back-to-summary = Work summary
work-member-show = Show
work-cells-invalid = Some cells need attention: see the messages in the grid.
work-locked = (locked)
work-locked-hint = Days marked locked belong to a month whose pay run is approved; their hours change only through a correction.
work-cell-label = Hours on { $project }, { $day }
work-imported-mark = *
work-imported-hint = Includes hours imported from a time tracker; the cell cannot go below them here.
work-add-project = Add a project
work-add-project-none = Choose a project
work-day-total = Day total
work-timesheet-hint = Type the hours of each project and day (7.5, 7:30 or 7h30m); an empty cell is zero. A day holds at most 24 hours. Tab moves along a project's week.
work-save = Save the week
work-saved = { $count ->
        [one] 1 cell was saved. The week now holds { $total } hours.
       *[other] { $count } cells were saved. The week now holds { $total } hours.
    }
work-saved-nothing = Nothing changed in this week.
work-new-row-project = Choose a project for the added row, or clear its cells.
work-no-project = No project

## Pay
pay-title = Pay
pay-month = Month
pay-show = Show
pay-system = Pay system
pay-system-in-force = Version { $version } in force from { $from }, adopted by proposal { $proposal }.
pay-no-system = No pay system is in force this month. An admin proposes one (coop pay system propose) and the members decide.
pay-system-pending = Version { $version } from { $from } is waiting for its decision.
pay-see-proposal = See the proposal
pay-run-of = Pay for { $month }
pay-run-approved = Approved on { $at } by { $by }. The month's hours are locked; changes are corrections settled next month.
pay-run-draft = Draft: computed from the hours as they stand. Nothing is paid until an admin approves it.
pay-ratio = Top-to-bottom pay ratio: { $ratio }.
pay-ratio-limit = Top-to-bottom pay ratio: { $ratio } (the co-op's limit is { $limit }).
pay-ratio-over = Over the limit.
pay-paid-hours = Paid hours
pay-gross = Gross
pay-adjustments = Corrections
pay-total = Total
pay-sealed = Sealed in the journal:
pay-csv = Download the CSV for payroll
pay-approve-explain = Approving seals this run and locks the month's hours and leave.
pay-approve = Approve this month's pay
pay-runs = Approved months
pay-no-runs = No month has been approved yet.
pay-approved = The month's pay is approved and sealed.
work-open-pay = Pay

## Meetings
meetings-title = Meetings
meetings-upcoming = Upcoming meetings
meetings-past = Past meetings
meetings-none-upcoming = No meeting is scheduled.
meetings-none-past = No meeting has been held yet.
meetings-col-title = Meeting
meetings-col-kind = Kind
meetings-col-when = When ({ $tz })
meetings-col-where = Where
meetings-col-minutes = Minutes
meeting-online = online
meeting-kind-general = General meeting
meeting-kind-production = Production meeting
meeting-kind-board = Board meeting
meeting-kind-committee = Committee meeting
meeting-minutes-state-draft = Draft
meeting-minutes-state-circulated = Circulated
meeting-minutes-state-approved = Approved and sealed
meetings-schedule = Schedule a meeting
meetings-field-title = Title
meetings-field-kind = Kind of meeting
meetings-field-starts = Starts at ({ $tz })
meetings-field-length = Expected length in minutes
meetings-field-place = Place
meetings-field-link = Online link
meetings-field-link-hint = A web address such as https://meet.example.org/general, or leave it empty.
meetings-repeat-legend = Repeat
meetings-field-repeat = Repeats
meetings-field-count = Number of meetings
meetings-field-count-hint = With a repeat: how many meetings in all, or give a last date instead.
meetings-field-until = Last date
meetings-schedule-submit = Schedule
meetings-repeat-none = Does not repeat
meetings-repeat-weekly = Every week
meetings-repeat-every-2-weeks = Every 2 weeks
meetings-repeat-every-3-weeks = Every 3 weeks
meetings-repeat-every-4-weeks = Every 4 weeks
meetings-repeat-monthly = Every month
meeting-scheduled = { $count ->
    [one] The meeting is scheduled.
   *[other] { $count } meetings are scheduled.
}
meeting-length = { $minutes } minutes
meeting-status = Status
meeting-status-scheduled = Scheduled
meeting-status-held = Held
meeting-status-approved = Minutes approved
meeting-exports = Downloads
meeting-export-md = Minutes as Markdown
meeting-export-html = Printable minutes (HTML)
meeting-export-pdf = Minutes as PDF
meeting-export-ics = Calendar event (iCalendar)
meeting-agenda = Agenda
meeting-agenda-published-at = The agenda was published on { $at }.
meeting-agenda-not-published = The agenda is not published yet.
meeting-agenda-empty = The agenda has no items yet.
meeting-agenda-publish = Publish the agenda
meeting-agenda-republish = Publish the agenda again
meeting-agenda-published = The agenda is published.
meeting-agenda-reordered = The agenda is in its new order.
meeting-item-presenter = Presented by { $name }
meeting-item-box = { $minutes } min
meeting-item-proposal = Proposal { $id }
meeting-item-notes = Notes on “{ $title }”
meeting-notes-save = Save the notes
meeting-notes-saved = The notes are saved.
meeting-item-up = Move up
meeting-item-down = Move down
meeting-suggested = Suggested items
meeting-item-accept = Put on the agenda
meeting-item-accepted = The item is on the agenda.
meeting-item-add = Add an item
meeting-item-added = The item is added to the agenda.
meeting-item-title = Item
meeting-item-presenter-label = Presenter
meeting-item-no-presenter = No presenter
meeting-item-box-label = Time box in minutes
meeting-item-proposal-label = Linked proposal
meeting-item-no-proposal = No proposal
meeting-item-notes-label = Notes
meeting-item-suggest = Suggest an item
meeting-item-suggest-hint = The secretary decides whether it goes on the agenda.
meeting-item-suggested = Your suggestion is sent to the secretary.
meeting-roles = Roles
meeting-role = Role
meeting-role-holder = Held by
meeting-role-suggested = Suggested by the rotation
meeting-role-facilitator = Facilitator
meeting-role-note_taker = Note-taker
meeting-role-timekeeper = Timekeeper
meeting-role-nobody = Nobody yet
meeting-roles-hint = The lists start on the holder, or else on the member who held the role least recently.
meeting-roles-save = Save the roles
meeting-roles-saved = The roles are saved.
meeting-attendance = Attendance
meeting-attendance-present = Present
meeting-attendance-remote = Remote
meeting-attendance-absent = Absent
meeting-attendance-excused = Excused
meeting-attendance-unrecorded = Not recorded
meeting-attendance-record = Record who attended
meeting-attendance-save = Save the attendance
meeting-attendance-saved = The attendance is saved.
meeting-quorum = Quorum of the decisions
meeting-decision = Proposal
meeting-decision-class = Class
meeting-decision-quorum = Quorum
meeting-decision-present = Present
meeting-decision-status = Status
meeting-decision-by-hands = by a show of hands here
meeting-quorum-needed = { $quorum } of { $eligible } eligible: { $needed } needed
meeting-quorum-none = No quorum
meeting-quorum-met = Quorum met
meeting-quorum-not-met = Quorum not met
meeting-count-hint = Present counts members who attend remotely. Count the hands on the proposal's page.
meeting-actions = Actions
meeting-actions-none = No action has been agreed.
meeting-action-title = Action
meeting-action-owner = Owner
meeting-action-due = Due
meeting-action-state = State
meeting-action-change = Change
meeting-action-item = Agenda item
meeting-action-no-item = No particular item
meeting-action-is-done = Done
meeting-action-is-open = Open
meeting-action-is-overdue = Overdue
meeting-action-mark-done = Mark done
meeting-action-reopen = Reopen
meeting-action-add = Add an action
meeting-action-added = The action is recorded.
meeting-action-done = The action is marked done.
meeting-action-reopened = The action is open again.
meeting-minutes = Minutes
meeting-minutes-explain-draft = The minutes are a draft: the secretary corrects them, then circulates them for reading.
meeting-minutes-explain-circulated = The minutes are circulated for reading. Once approved they are sealed in the journal and change only by errata.
meeting-minutes-explain-approved = The minutes are approved and sealed in the journal. Corrections are appended as errata; the original stays as sealed.
meeting-minutes-circulate = Circulate the minutes
meeting-minutes-circulated = The minutes are circulated.
meeting-minutes-reopen = Back to draft
meeting-minutes-reopened = The minutes are a draft again.
meeting-minutes-approve = Approve and seal the minutes
meeting-minutes-approved = The minutes are approved and sealed.
meeting-approved-at = Approved on
meeting-approved-by = Approved by
meeting-approved-by-record = the secretary, for the meeting
meeting-sealed-hash = Seal
meeting-journal-head = Journal head at approval
meeting-errata = Errata
meeting-erratum-by = Added by { $by } on { $at }, sealed:
meeting-erratum-text = Erratum
meeting-erratum-add = Append the erratum
meeting-erratum-added = The erratum is appended and sealed.
dashboard-my-actions = My open actions
dashboard-actions-overdue = { $count ->
    [one] One of your actions is overdue.
   *[other] { $count } of your actions are overdue.
}
dashboard-action-meeting = Meeting
dashboard-no-actions = You have no open action.
calendar-feed-title = Calendar feed
calendar-feed-hint = A private address for your calendar app with the co-op's meetings and the deadlines of the proposals you vote on. Anyone with the address can read it: making a new one stops the old one.
calendar-feed-create = Make a new calendar address
calendar-feed-created = Your calendar address (shown once): { $url }
meeting-approval-propose = Propose approving the minutes
meeting-approval-hint = Or let the members decide: a proposal that approves and seals these minutes when it passes, counted by hands at a later meeting or put to a vote.
meeting-approval-at = Decided at
meeting-approval-by-vote = By a vote, not at a meeting
meeting-approval-closes = Voting closes ({ $tz })
meeting-approval-proposed = The proposal to approve the minutes is open.
