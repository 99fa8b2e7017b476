-- Phapa's foundation: areas, hospitals, partners, the equipment catalog, campaigns, donors,
-- donations and the double-entry journal.
--
-- One file serves SQLite and PostgreSQL. The only engine-specific piece is the surrogate key,
-- written @PK@ and rendered by app/src/server/db/migrate.rs. Everything else is SQL both accept:
-- BIGINT for integers (0/1 for flags, which the sqlx Any driver reads from both engines),
-- TEXT for dates (YYYY-MM-DD) and instants (UTC, RFC 3339 with microseconds, so they sort).

create table province (
    province_code BIGINT primary key,
    name_th TEXT not null,
    name_en TEXT not null,
    created_at TEXT not null
);

create table district (
    district_code BIGINT primary key,
    province_code BIGINT not null references province (province_code),
    name_th TEXT not null,
    name_en TEXT not null,
    created_at TEXT not null
);
create index district_province on district (province_code);

create table subdistrict (
    subdistrict_code BIGINT primary key,
    district_code BIGINT not null references district (district_code),
    name_th TEXT not null,
    name_en TEXT not null,
    zip_code TEXT,
    -- Coordinates in millionths of a degree: exact integers, no floats to round.
    latitude_e6 BIGINT,
    longitude_e6 BIGINT,
    created_at TEXT not null
);
create index subdistrict_district on subdistrict (district_code);

create table hospital (
    hospital_id @PK@,
    facility_code TEXT not null unique check (length(facility_code) = 5),
    name_th TEXT not null check (length(name_th) between 1 and 200),
    name_en TEXT check (length(name_en) <= 200),
    subdistrict_code BIGINT not null references subdistrict (subdistrict_code),
    kind TEXT not null check (kind in ('health_promoting', 'community', 'general', 'other')),
    is_demo BIGINT not null default 0 check (is_demo in (0, 1)),
    created_at TEXT not null,
    updated_at TEXT not null
);
create index hospital_subdistrict on hospital (subdistrict_code);

create table partner (
    partner_id @PK@,
    name_th TEXT not null,
    name_en TEXT,
    kind TEXT not null check (kind in ('government', 'local_administration', 'company', 'temple', 'civil_society')),
    is_demo BIGINT not null default 0 check (is_demo in (0, 1)),
    created_at TEXT not null
);

create table equipment_item (
    equipment_item_id @PK@,
    code TEXT not null unique,
    name_th TEXT not null,
    name_en TEXT not null,
    unit_th TEXT not null,
    unit_en TEXT not null,
    reference_price_satang BIGINT not null check (reference_price_satang > 0),
    created_at TEXT not null
);

create table campaign (
    campaign_id @PK@,
    title_th TEXT not null check (length(title_th) between 1 and 300),
    title_en TEXT,
    story_th TEXT not null default '',
    story_en TEXT,
    goal_satang BIGINT not null check (goal_satang > 0),
    starts_on TEXT not null,
    ends_on TEXT not null,
    ceremony_on TEXT,
    ceremony_place_th TEXT,
    ceremony_place_en TEXT,
    bank_name TEXT,
    bank_account_no TEXT,
    bank_account_name TEXT,
    promptpay_id TEXT,
    status TEXT not null check (status in ('draft', 'open', 'closed', 'settled')),
    is_demo BIGINT not null default 0 check (is_demo in (0, 1)),
    created_at TEXT not null,
    check (ends_on >= starts_on)
);
create index campaign_status on campaign (status);

create table campaign_partner (
    campaign_id BIGINT not null references campaign (campaign_id),
    partner_id BIGINT not null references partner (partner_id),
    position BIGINT not null,
    created_at TEXT not null,
    primary key (campaign_id, partner_id)
);

create table campaign_wishlist_item (
    campaign_id BIGINT not null references campaign (campaign_id),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    quantity BIGINT not null check (quantity > 0),
    position BIGINT not null,
    created_at TEXT not null,
    primary key (campaign_id, equipment_item_id)
);

create table campaign_hospital (
    campaign_id BIGINT not null references campaign (campaign_id),
    hospital_id BIGINT not null references hospital (hospital_id),
    created_at TEXT not null,
    primary key (campaign_id, hospital_id)
);
create index campaign_hospital_hospital on campaign_hospital (hospital_id);

-- The campaign's running totals. Updated in the same transaction as every money event, so pages
-- never add up donations; `phapa check-ledger` proves they equal the journal.
create table campaign_fund (
    campaign_id BIGINT primary key references campaign (campaign_id),
    raised_satang BIGINT not null default 0 check (raised_satang >= 0),
    donation_count BIGINT not null default 0 check (donation_count >= 0),
    donor_count BIGINT not null default 0 check (donor_count >= 0),
    updated_at TEXT not null
);

create table donor (
    donor_id @PK@,
    display_name TEXT check (length(display_name) <= 200),
    show_name BIGINT not null default 0 check (show_name in (0, 1)),
    national_id TEXT check (length(national_id) = 13),
    phone TEXT,
    email TEXT,
    created_at TEXT not null
);

create table donation (
    donation_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    donor_id BIGINT not null references donor (donor_id),
    amount_satang BIGINT not null check (amount_satang > 0),
    channel TEXT not null check (channel in ('cash', 'bank_transfer', 'promptpay', 'cheque', 'in_kind')),
    status TEXT not null check (status in ('pledged', 'received', 'voided')),
    reference_code TEXT not null unique,
    received_at TEXT,
    note TEXT,
    created_at TEXT not null,
    check (status = 'pledged' or received_at is not null)
);
create index donation_campaign_received on donation (campaign_id, status, received_at);

-- How many received gifts each donor has in a campaign, so the distinct donor count stays an
-- O(1) update when a gift arrives or is voided.
create table campaign_donor (
    campaign_id BIGINT not null references campaign (campaign_id),
    donor_id BIGINT not null references donor (donor_id),
    received_count BIGINT not null check (received_count >= 0),
    created_at TEXT not null,
    primary key (campaign_id, donor_id)
);

-- Double-entry journal, append-only: rows are inserted, never updated or deleted.
create table journal_entry (
    journal_entry_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    kind TEXT not null check (kind in ('donation_received', 'donation_voided', 'purchase')),
    donation_id BIGINT references donation (donation_id),
    memo TEXT,
    created_at TEXT not null
);
create index journal_entry_campaign on journal_entry (campaign_id);

create table journal_line (
    journal_line_id @PK@,
    journal_entry_id BIGINT not null references journal_entry (journal_entry_id),
    campaign_id BIGINT not null references campaign (campaign_id),
    account TEXT not null check (account in ('fund_cash', 'donation_income', 'equipment_spent')),
    debit_satang BIGINT not null default 0 check (debit_satang >= 0),
    credit_satang BIGINT not null default 0 check (credit_satang >= 0),
    created_at TEXT not null,
    check ((debit_satang = 0) <> (credit_satang = 0))
);
create index journal_line_campaign_account on journal_line (campaign_id, account);
