-- Bank statements in, matched to donations. A statement's lines are stored once per campaign,
-- whatever file they came in (each line's fingerprint is unique within its campaign), and are
-- never edited except for the donation they are matched to; every match and unmatch is an
-- event. A donation is matched to at most one bank line.

-- How a campaign's pledges can be told apart on its statement: a unique satang tail on each
-- pledge's amount (`pledge_tail`), and a bill-payment Biller ID for QR codes that carry the
-- pledge's reference as Ref1.
alter table campaign add column pledge_tail BIGINT not null default 0 check (pledge_tail in (0, 1));
alter table campaign add column biller_id TEXT check (biller_id is null or length(biller_id) = 15);

-- A column mapping for a bank account's statements, saved by a finance officer and reused.
create table statement_mapping (
    bank_account_no TEXT primary key,
    mapping TEXT not null,
    updated_by BIGINT not null references account (account_id),
    updated_at TEXT not null
);

create table statement_import (
    statement_import_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    file_name TEXT not null check (length(file_name) <= 300),
    encoding TEXT not null,
    -- Lines in the file, lines stored by this import, lines another import had stored.
    line_count BIGINT not null check (line_count >= 0),
    new_lines BIGINT not null check (new_lines >= 0),
    known_lines BIGINT not null check (known_lines >= 0),
    first_on TEXT,
    last_on TEXT,
    opening_balance_satang BIGINT,
    closing_balance_satang BIGINT,
    imported_by BIGINT not null references account (account_id),
    imported_at TEXT not null,
    check (new_lines + known_lines = line_count)
);
create index statement_import_campaign on statement_import (campaign_id);

create table bank_line (
    bank_line_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    statement_import_id BIGINT not null references statement_import (statement_import_id),
    fingerprint TEXT not null,
    row_no BIGINT not null,
    posted_on TEXT not null,
    posted_time TEXT,
    is_credit BIGINT not null check (is_credit in (0, 1)),
    amount_satang BIGINT not null check (amount_satang > 0),
    balance_satang BIGINT,
    description TEXT not null default '',
    channel TEXT not null default '',
    details TEXT not null default '',
    -- The donation this credit is, once matched (credits only).
    donation_id BIGINT references donation (donation_id),
    matched_how TEXT check (matched_how in ('auto', 'manual', 'gift')),
    matched_at TEXT,
    created_at TEXT not null,
    check ((donation_id is null) = (matched_how is null)),
    check (donation_id is null or is_credit = 1)
);
-- Named like inline unique constraints, so both engines report a violation the same way.
create unique index bank_line_fingerprint_key on bank_line (campaign_id, fingerprint);
create unique index bank_line_donation_id_key on bank_line (donation_id) where donation_id is not null;
create index bank_line_unmatched on bank_line (campaign_id, is_credit, amount_satang);

create table bank_match_event (
    bank_match_event_id @PK@,
    bank_line_id BIGINT not null references bank_line (bank_line_id),
    donation_id BIGINT not null references donation (donation_id),
    kind TEXT not null check (kind in ('matched', 'unmatched')),
    how TEXT not null check (how in ('auto', 'manual', 'gift')),
    note TEXT check (length(note) <= 2000),
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null
);
create index bank_match_event_line on bank_match_event (bank_line_id);

--@sqlite
create trigger bank_match_event_append_only_update before update on bank_match_event
begin select raise(abort, 'bank_match_event is append-only'); end;
create trigger bank_match_event_append_only_delete before delete on bank_match_event
begin select raise(abort, 'bank_match_event is append-only'); end;
create trigger statement_import_append_only_update before update on statement_import
begin select raise(abort, 'statement_import is append-only'); end;
create trigger statement_import_append_only_delete before delete on statement_import
begin select raise(abort, 'statement_import is append-only'); end;
create trigger bank_line_no_delete before delete on bank_line
begin select raise(abort, 'bank lines are never deleted'); end;
-- Only the match may change on a bank line.
create trigger bank_line_fixed before update on bank_line
when old.fingerprint <> new.fingerprint or old.amount_satang <> new.amount_satang
    or old.posted_on <> new.posted_on or old.is_credit <> new.is_credit
    or old.campaign_id <> new.campaign_id or old.statement_import_id <> new.statement_import_id
    or old.row_no <> new.row_no or old.posted_time is not new.posted_time
    or old.balance_satang is not new.balance_satang or old.description <> new.description
    or old.channel <> new.channel or old.details <> new.details
begin select raise(abort, 'bank lines change only by their match'); end;
--@end

--@postgres
create trigger bank_match_event_append_only before update or delete on bank_match_event
    for each row execute function phapa_append_only();
create trigger bank_match_event_no_truncate before truncate on bank_match_event
    for each statement execute function phapa_append_only();
create trigger statement_import_append_only before update or delete on statement_import
    for each row execute function phapa_append_only();
create trigger bank_line_no_delete before delete on bank_line
    for each row execute function phapa_append_only();
create function phapa_bank_line_fixed() returns trigger language plpgsql as $$
begin
    if old.fingerprint <> new.fingerprint or old.amount_satang <> new.amount_satang
        or old.posted_on <> new.posted_on or old.is_credit <> new.is_credit
        or old.campaign_id <> new.campaign_id
        or old.statement_import_id <> new.statement_import_id or old.row_no <> new.row_no
        or old.posted_time is distinct from new.posted_time
        or old.balance_satang is distinct from new.balance_satang
        or old.description <> new.description or old.channel <> new.channel
        or old.details <> new.details then
        raise exception 'bank lines change only by their match';
    end if;
    return new;
end $$;
create trigger bank_line_fixed before update on bank_line
    for each row execute function phapa_bank_line_fixed();
create trigger bank_line_no_truncate before truncate on bank_line
    for each statement execute function phapa_append_only();
create trigger statement_import_no_truncate before truncate on statement_import
    for each statement execute function phapa_append_only();
--@end
