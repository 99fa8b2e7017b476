-- Sign-in that an attacker cannot turn into a lock-out, throttle rows that are purged, and an
-- audit chain keyed with a secret kept outside the database.

-- Device cookies (OWASP "device cookies"): a browser that signed in to an account before keeps a
-- random token; only its SHA-256 is stored here. An attempt presenting it skips the account-wide
-- failure cap that strangers can exhaust.
create table trusted_device (
    device_hash TEXT primary key,
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null,
    expires_at TEXT not null
);
create index trusted_device_account on trusted_device (account_id);

-- Throttle rows untouched for an hour are purged a few at a time; this finds them.
create index sign_in_throttle_updated on sign_in_throttle (updated_at);

-- How each audit row was hashed: 1 = SHA-256 (rows written before this migration),
-- 2 = HMAC-SHA256 with the audit key. Rows from keyed_from_seq on must be keyed, so the chain
-- cannot be downgraded to recomputable hashes.
alter table audit_log add column hash_version BIGINT not null default 1
    check (hash_version in (1, 2));
alter table audit_head add column keyed_from_seq BIGINT not null default 1;
update audit_head set keyed_from_seq = last_seq + 1 where audit_head_id = 1;

-- TRUNCATE empties a table without firing row triggers: refuse it for the append-only tables.
-- (SQLite has no TRUNCATE; its unqualified DELETE still fires the row triggers.)
--@postgres
create trigger journal_entry_no_truncate before truncate on journal_entry
    for each statement execute function phapa_append_only();
create trigger journal_line_no_truncate before truncate on journal_line
    for each statement execute function phapa_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function phapa_append_only();
--@end
