-- Equipment bought from a campaign's fund, the physical units it became, and where each unit is.
--
-- Money: a purchase posts `equipment_spent` against `fund_cash` when it takes effect (at once,
-- or when a second finance officer approves it above the campaign's threshold). While it waits
-- for that approval its total is held in `campaign_fund.committed_satang`, so two purchases can
-- never both count on the same baht. A void posts the reversing entry, linked to the entry it
-- reverses. `campaign_fund.spent_satang` is the journal's net `equipment_spent`, kept beside it
-- like `raised_satang`; a fund never spends (or holds) more than the cash it received.

-- Above this total a purchase needs a second finance officer's approval.
alter table campaign add column second_approval_above_satang BIGINT not null default 5000000
    check (second_approval_above_satang >= 0);

alter table campaign_fund add column spent_satang BIGINT not null default 0 check (spent_satang >= 0);
alter table campaign_fund add column committed_satang BIGINT not null default 0 check (committed_satang >= 0);
-- The last asset-tag number given in the campaign (tags read EQ-<campaign>-<number>).
alter table campaign_fund add column units_tagged BIGINT not null default 0 check (units_tagged >= 0);

create table purchase (
    purchase_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    vendor_name TEXT not null check (length(vendor_name) between 1 and 300),
    vendor_tax_id TEXT check (length(vendor_tax_id) = 13),
    invoice_no TEXT not null check (length(invoice_no) between 1 and 100),
    invoice_date TEXT not null,
    total_satang BIGINT not null check (total_satang > 0),
    status TEXT not null check (status in ('awaiting_approval', 'approved', 'voided')),
    recorded_by BIGINT not null references account (account_id),
    approved_by BIGINT references account (account_id),
    approved_at TEXT,
    received_by BIGINT references account (account_id),
    received_at TEXT,
    voided_by BIGINT references account (account_id),
    voided_at TEXT,
    void_reason TEXT check (length(void_reason) <= 2000),
    created_at TEXT not null,
    updated_at TEXT not null,
    check (approved_by is null or approved_by <> recorded_by)
);
create index purchase_campaign on purchase (campaign_id, purchase_id);

create table purchase_line (
    purchase_id BIGINT not null references purchase (purchase_id),
    line_no BIGINT not null check (line_no between 1 and 50),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    quantity BIGINT not null check (quantity between 1 and 1000),
    unit_price_satang BIGINT not null check (unit_price_satang > 0),
    -- Required (by the service) when the unit price is more than 20% above the catalog's
    -- reference price; kept as written.
    justification TEXT check (length(justification) <= 2000),
    created_at TEXT not null,
    primary key (purchase_id, line_no)
);

create table purchase_event (
    purchase_event_id @PK@,
    purchase_id BIGINT not null references purchase (purchase_id),
    kind TEXT not null check (kind in ('recorded', 'approved', 'received', 'voided')),
    status TEXT not null,
    note TEXT check (length(note) <= 2000),
    account_id BIGINT references account (account_id),
    created_at TEXT not null
);
create index purchase_event_purchase on purchase_event (purchase_id);

-- The journal learns which purchase an entry is for, and which entry a reversal reverses.
alter table journal_entry add column purchase_id BIGINT references purchase (purchase_id);
alter table journal_entry add column reverses_entry_id BIGINT references journal_entry (journal_entry_id);
create index journal_entry_purchase on journal_entry (purchase_id);

-- One row per physical piece of equipment. A unit comes from a purchase line or from a gift in
-- kind, and moves in_stock → allocated → dispatched → received (or back to in_stock when its
-- hospital rejects it); written_off ends a unit's life, voided belongs to a voided purchase.
create table equipment_unit (
    equipment_unit_id @PK@,
    asset_tag TEXT not null unique,
    campaign_id BIGINT not null references campaign (campaign_id),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    purchase_id BIGINT references purchase (purchase_id),
    line_no BIGINT,
    donation_id BIGINT references donation (donation_id),
    cost_satang BIGINT not null check (cost_satang >= 0),
    serial_no TEXT check (length(serial_no) <= 100),
    status TEXT not null check (status in ('in_stock', 'allocated', 'dispatched', 'received', 'written_off', 'voided')),
    condition TEXT not null default 'working' check (condition in ('working', 'awaiting_repair', 'unusable')),
    condition_note TEXT check (length(condition_note) <= 2000),
    hospital_id BIGINT references hospital (hospital_id),
    equipment_request_id BIGINT references equipment_request (equipment_request_id),
    allocation_reason TEXT check (length(allocation_reason) <= 2000),
    dispatched_on TEXT,
    carrier TEXT check (length(carrier) <= 300),
    received_at TEXT,
    created_at TEXT not null,
    updated_at TEXT not null,
    check ((purchase_id is null) <> (donation_id is null)),
    check ((hospital_id is null) = (status in ('in_stock', 'written_off', 'voided')))
);
create index equipment_unit_campaign_status on equipment_unit (campaign_id, status);
create index equipment_unit_hospital on equipment_unit (hospital_id, status);
create index equipment_unit_purchase on equipment_unit (purchase_id);
create index equipment_unit_donation on equipment_unit (donation_id);
create index equipment_unit_request on equipment_unit (equipment_request_id);

create table equipment_unit_event (
    equipment_unit_event_id @PK@,
    equipment_unit_id BIGINT not null references equipment_unit (equipment_unit_id),
    kind TEXT not null check (kind in ('stocked', 'allocated', 'dispatched', 'accepted', 'rejected',
        'condition', 'written_off', 'voided')),
    status TEXT not null,
    hospital_id BIGINT references hospital (hospital_id),
    equipment_request_id BIGINT references equipment_request (equipment_request_id),
    note TEXT check (length(note) <= 2000),
    account_id BIGINT references account (account_id),
    created_at TEXT not null
);
create index equipment_unit_event_unit on equipment_unit_event (equipment_unit_id);

--@sqlite
create trigger purchase_line_append_only_update before update on purchase_line
begin select raise(abort, 'purchase_line is append-only'); end;
create trigger purchase_line_append_only_delete before delete on purchase_line
begin select raise(abort, 'purchase_line is append-only'); end;
create trigger purchase_event_append_only_update before update on purchase_event
begin select raise(abort, 'purchase_event is append-only'); end;
create trigger purchase_event_append_only_delete before delete on purchase_event
begin select raise(abort, 'purchase_event is append-only'); end;
create trigger equipment_unit_event_append_only_update before update on equipment_unit_event
begin select raise(abort, 'equipment_unit_event is append-only'); end;
create trigger equipment_unit_event_append_only_delete before delete on equipment_unit_event
begin select raise(abort, 'equipment_unit_event is append-only'); end;
create trigger purchase_no_delete before delete on purchase
begin select raise(abort, 'purchases are voided, never deleted'); end;
create trigger equipment_unit_no_delete before delete on equipment_unit
begin select raise(abort, 'units are written off, never deleted'); end;
-- The fund never spends or holds more than the cash it received.
create trigger campaign_fund_not_overspent before update on campaign_fund
when new.raised_satang < new.spent_satang + new.committed_satang
begin select raise(abort, 'campaign_fund: spent and committed exceed cash received'); end;
--@end

--@postgres
create trigger purchase_line_append_only before update or delete on purchase_line
    for each row execute function phapa_append_only();
create trigger purchase_line_no_truncate before truncate on purchase_line
    for each statement execute function phapa_append_only();
create trigger purchase_event_append_only before update or delete on purchase_event
    for each row execute function phapa_append_only();
create trigger purchase_event_no_truncate before truncate on purchase_event
    for each statement execute function phapa_append_only();
create trigger equipment_unit_event_append_only before update or delete on equipment_unit_event
    for each row execute function phapa_append_only();
create trigger equipment_unit_event_no_truncate before truncate on equipment_unit_event
    for each statement execute function phapa_append_only();
create trigger purchase_no_delete before delete on purchase
    for each row execute function phapa_append_only();
create trigger equipment_unit_no_delete before delete on equipment_unit
    for each row execute function phapa_append_only();
alter table campaign_fund add constraint campaign_fund_not_overspent
    check (raised_satang >= spent_satang + committed_satang);
--@end
