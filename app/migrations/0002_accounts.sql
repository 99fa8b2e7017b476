-- Accounts, sessions, sign-in throttling and the hash-chained audit log.

create table account (
    account_id @PK@,
    username TEXT not null unique check (length(username) between 3 and 40),
    display_name TEXT not null check (length(display_name) between 1 and 100),
    password_hash TEXT not null,
    role TEXT not null check (role in ('administrator', 'finance_officer', 'hospital_staff')),
    hospital_id BIGINT references hospital (hospital_id),
    disabled_at TEXT,
    created_at TEXT not null,
    updated_at TEXT not null,
    check ((role = 'hospital_staff') = (hospital_id is not null))
);
create index account_hospital on account (hospital_id);

-- A session is known by the SHA-256 of its token; the token itself lives only in the cookie.
create table session (
    session_hash TEXT primary key,
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null,
    last_seen_at TEXT not null,
    expires_at TEXT not null,
    ended_at TEXT
);
create index session_account on session (account_id);

-- Failed sign-ins per account ('account:<username>') and per client ('address:<ip>').
create table sign_in_throttle (
    throttle_key TEXT primary key,
    failures BIGINT not null check (failures >= 0),
    window_started_at TEXT not null,
    blocked_until TEXT,
    updated_at TEXT not null
);

-- The audit log is append-only and hash-chained: each row's hash covers its fields and the
-- previous row's hash. audit_head holds the chain's end so concurrent appends queue on one row.
create table audit_head (
    audit_head_id BIGINT primary key check (audit_head_id = 1),
    last_seq BIGINT not null,
    last_hash TEXT not null
);
insert into audit_head (audit_head_id, last_seq, last_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create table audit_log (
    seq BIGINT primary key,
    occurred_at TEXT not null,
    actor_account_id BIGINT references account (account_id),
    actor TEXT not null,
    action TEXT not null,
    record_type TEXT not null,
    record_id TEXT,
    detail TEXT not null,
    client_address TEXT,
    prev_hash TEXT not null,
    hash TEXT not null unique
);
create index audit_log_actor on audit_log (actor_account_id);
create index audit_log_record on audit_log (record_type, record_id);
