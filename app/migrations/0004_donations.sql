-- Donations end to end: legal recipients and their gapless receipt numbers, pledges and voids,
-- in-kind gifts, ceremony-night batches, and idempotency keys for every create.

-- The organisation that legally receives a campaign's money and issues its receipts. Receipt
-- numbers run per recipient and Thai fiscal year, so campaigns sharing a recipient share a series.
create table legal_recipient (
    legal_recipient_id @PK@,
    tax_id TEXT not null unique check (length(tax_id) = 13),
    name_th TEXT not null check (length(name_th) between 1 and 200),
    name_en TEXT check (length(name_en) <= 200),
    address_th TEXT check (length(address_th) <= 300),
    created_at TEXT not null
);

alter table campaign add column legal_recipient_id BIGINT references legal_recipient (legal_recipient_id);

-- The last receipt number handed out per recipient and fiscal year (named by its Buddhist-Era
-- year). Incremented in the same transaction that writes the receipt, so numbers have no gaps.
create table receipt_counter (
    legal_recipient_id BIGINT not null references legal_recipient (legal_recipient_id),
    fiscal_year BIGINT not null check (fiscal_year > 2500),
    last_number BIGINT not null check (last_number >= 0),
    created_at TEXT not null,
    primary key (legal_recipient_id, fiscal_year)
);

-- A receipt is written once and never changed; voiding shows through its donation's status.
create table receipt (
    receipt_id @PK@,
    legal_recipient_id BIGINT not null references legal_recipient (legal_recipient_id),
    fiscal_year BIGINT not null,
    number BIGINT not null check (number > 0),
    donation_id BIGINT not null unique references donation (donation_id),
    amount_satang BIGINT not null check (amount_satang > 0),
    issued_at TEXT not null,
    issued_by BIGINT references account (account_id),
    created_at TEXT not null,
    unique (legal_recipient_id, fiscal_year, number)
);

create table donation_batch (
    donation_batch_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    label TEXT not null check (length(label) between 1 and 100),
    expected_count BIGINT not null check (expected_count > 0),
    expected_total_satang BIGINT not null check (expected_total_satang > 0),
    entered_count BIGINT not null default 0 check (entered_count >= 0),
    entered_total_satang BIGINT not null default 0 check (entered_total_satang >= 0),
    status TEXT not null check (status in ('open', 'closed')),
    opened_by BIGINT references account (account_id),
    closed_by BIGINT references account (account_id),
    closed_at TEXT,
    close_reason TEXT check (length(close_reason) <= 500),
    created_at TEXT not null,
    check ((status = 'closed') = (closed_at is not null))
);
create index donation_batch_campaign on donation_batch (campaign_id);

alter table donation add column donation_batch_id BIGINT references donation_batch (donation_batch_id);
alter table donation add column recorded_by BIGINT references account (account_id);
-- A voided gift that had been received becomes 'voided'. A cancelled pledge keeps the status
-- 'pledged' with voided_at set, because 0001's check requires every non-pledged donation to have
-- been received; readers take the status from app/src/server/db/donations.rs.
alter table donation add column voided_at TEXT;
alter table donation add column voided_by BIGINT references account (account_id);
alter table donation add column void_reason TEXT;
create index donor_national_id on donor (national_id);
create index donation_batch_rows on donation (donation_batch_id);
create index donation_campaign_status_created on donation (campaign_id, status, created_at);

-- Items given in kind: catalog item × quantity and the line's fair value (the donation's amount,
-- so it never drifts from the journal by rounding). The units enter stock with the equipment
-- lifecycle.
create table donation_item (
    donation_id BIGINT not null references donation (donation_id),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    quantity BIGINT not null check (quantity > 0),
    value_satang BIGINT not null check (value_satang > 0),
    created_at TEXT not null,
    primary key (donation_id, equipment_item_id)
);

alter table campaign_fund add column in_kind_satang BIGINT not null default 0 check (in_kind_satang >= 0);
alter table campaign_fund add column pledged_count BIGINT not null default 0 check (pledged_count >= 0);

-- One row per idempotency key (scoped by who sent it): the first request's fingerprint and its
-- answer. The key row is inserted in the same transaction as what it creates.
create table idempotency_key (
    idempotency_key TEXT primary key,
    request_hash TEXT not null,
    response TEXT not null,
    created_at TEXT not null
);

-- Journal accounts for gifts in kind: goods received at fair value, and the income they are.
-- The account list is a CHECK constraint, so the table is rebuilt on SQLite and the constraint
-- replaced on PostgreSQL; the append-only triggers come back with it.
--@sqlite
create table journal_line_new (
    journal_line_id INTEGER PRIMARY KEY AUTOINCREMENT,
    journal_entry_id BIGINT not null references journal_entry (journal_entry_id),
    campaign_id BIGINT not null references campaign (campaign_id),
    account TEXT not null check (account in ('fund_cash', 'donation_income', 'equipment_spent', 'in_kind_goods', 'in_kind_income')),
    debit_satang BIGINT not null default 0 check (debit_satang >= 0),
    credit_satang BIGINT not null default 0 check (credit_satang >= 0),
    created_at TEXT not null,
    check ((debit_satang = 0) <> (credit_satang = 0))
);
insert into journal_line_new select journal_line_id, journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at from journal_line;
drop table journal_line;
alter table journal_line_new rename to journal_line;
create index journal_line_campaign_account on journal_line (campaign_id, account);
create trigger journal_line_append_only_update before update on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
create trigger journal_line_append_only_delete before delete on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
--@end
--@postgres
alter table journal_line drop constraint journal_line_account_check;
alter table journal_line add constraint journal_line_account_check
    check (account in ('fund_cash', 'donation_income', 'equipment_spent', 'in_kind_goods', 'in_kind_income'));
--@end
create index journal_entry_donation on journal_entry (donation_id);
