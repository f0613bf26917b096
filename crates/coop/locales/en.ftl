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
