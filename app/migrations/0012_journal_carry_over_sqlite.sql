-- The SQLite half of migration 0012, run by `db::migrate` after the migrator (not by it): the
-- rebuild needs foreign keys off, which works only outside a transaction, and the migrator runs
-- every migration inside one. `db::migrate` runs it in a transaction of its own, checks every
-- foreign key before committing, and runs it only while journal_entry's definition lacks
-- 'carry_over', so a stop before the commit leaves the old tables and the next start runs it
-- again.
create table journal_entry_new (
    journal_entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT not null references campaign (campaign_id),
    kind TEXT not null check (kind in ('donation_received', 'donation_voided', 'purchase', 'carry_over')),
    donation_id BIGINT references donation (donation_id),
    memo TEXT,
    created_at TEXT not null,
    purchase_id BIGINT references purchase (purchase_id),
    reverses_entry_id BIGINT references journal_entry (journal_entry_id)
);
insert into journal_entry_new (journal_entry_id, campaign_id, kind, donation_id, memo, created_at, purchase_id, reverses_entry_id)
    select journal_entry_id, campaign_id, kind, donation_id, memo, created_at, purchase_id, reverses_entry_id from journal_entry;
drop table journal_entry;
alter table journal_entry_new rename to journal_entry;
create index journal_entry_campaign on journal_entry (campaign_id);
create index journal_entry_donation on journal_entry (donation_id);
create index journal_entry_purchase on journal_entry (purchase_id);
create trigger journal_entry_append_only_update before update on journal_entry
begin select raise(abort, 'journal_entry is append-only'); end;
create trigger journal_entry_append_only_delete before delete on journal_entry
begin select raise(abort, 'journal_entry is append-only'); end;

create table journal_line_new (
    journal_line_id INTEGER PRIMARY KEY AUTOINCREMENT,
    journal_entry_id BIGINT not null references journal_entry (journal_entry_id),
    campaign_id BIGINT not null references campaign (campaign_id),
    account TEXT not null check (account in ('fund_cash', 'donation_income', 'equipment_spent',
        'in_kind_goods', 'in_kind_income', 'carried_in', 'carried_out')),
    debit_satang BIGINT not null default 0 check (debit_satang >= 0),
    credit_satang BIGINT not null default 0 check (credit_satang >= 0),
    created_at TEXT not null,
    check ((debit_satang = 0) <> (credit_satang = 0))
);
insert into journal_line_new (journal_line_id, journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at)
    select journal_line_id, journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at from journal_line;
drop table journal_line;
alter table journal_line_new rename to journal_line;
create index journal_line_campaign_account on journal_line (campaign_id, account);
create trigger journal_line_append_only_update before update on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
create trigger journal_line_append_only_delete before delete on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
