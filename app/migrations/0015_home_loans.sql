-- The last mile: a hospital lends the units it holds to patients' homes.
--
-- Phapa is not a patient register. A loan and a waiting-list entry name the borrower only by a
-- code the hospital issues from its own records; no name, ID, address, phone, diagnosis or score
-- is stored (the service refuses text that looks like an ID or a phone number). The patient group
-- is kept on the waiting-list entry because the order depends on it, and is never public.
--
-- A loan row carries its current state (out, or returned with how it ended); every step of it
-- and of a unit's care (cleaning, repair, maintenance, passing to another hospital) is a row of
-- the append-only `care_event`. The public figures are counters kept in the same transaction as
-- the events: per unit (homes served, days in homes of finished loans), per campaign (the same
-- summed, and the open loans with the sum of their start days, so days in homes today is
-- `home_days + loans_open × today − loans_open_day_sum`), per hospital (loans out now) and per
-- hospital and fiscal year (distinct homes served). `check-ledger` recomputes them from the loans.

-- Units due for maintenance every so many days (an oxygen concentrator every 90, say); new
-- items of these codes get the same from `model::loan::maintenance_days`.
alter table equipment_item add column maintenance_days BIGINT check (maintenance_days between 1 and 3650);
update equipment_item set maintenance_days = 90 where code = 'oxygen_concentrator';
update equipment_item set maintenance_days = 180 where code in ('suction_machine', 'hospital_bed');

-- The hospital's default loan length in days, and its loans out now.
alter table hospital add column loan_days BIGINT not null default 90 check (loan_days between 7 and 365);
alter table hospital add column loans_open BIGINT not null default 0 check (loans_open >= 0);

-- Where a received unit is in the hospital's hands: ready to lend, in a home, waiting to be
-- cleaned and checked, in repair, or on its way to another hospital (`passing_to`).
alter table equipment_unit add column care TEXT not null default 'ready'
    check (care in ('ready', 'on_loan', 'cleaning', 'repair', 'passing'));
alter table equipment_unit add column passing_to BIGINT references hospital (hospital_id);
alter table equipment_unit add column homes_served BIGINT not null default 0 check (homes_served >= 0);
alter table equipment_unit add column home_days BIGINT not null default 0 check (home_days >= 0);
alter table equipment_unit add column maintained_on TEXT;

alter table campaign_fund add column homes_served BIGINT not null default 0 check (homes_served >= 0);
alter table campaign_fund add column home_days BIGINT not null default 0 check (home_days >= 0);
alter table campaign_fund add column loans_open BIGINT not null default 0 check (loans_open >= 0);
alter table campaign_fund add column loans_open_day_sum BIGINT not null default 0 check (loans_open_day_sum >= 0);

create table hospital_loan_year (
    hospital_id BIGINT not null references hospital (hospital_id),
    fiscal_year BIGINT not null,
    homes_served BIGINT not null default 0 check (homes_served >= 0),
    loans BIGINT not null default 0 check (loans >= 0),
    primary key (hospital_id, fiscal_year)
);

create table loan_waiting (
    loan_waiting_id @PK@,
    hospital_id BIGINT not null references hospital (hospital_id),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    patient_group TEXT not null check (patient_group in ('homebound', 'bedbound', 'end_of_life')),
    urgency TEXT not null check (urgency in ('urgent', 'soon', 'routine')),
    -- Urgency first, then group (end of life, bed-bound, home-bound): smaller is served first.
    rank BIGINT not null check (rank between 0 and 8),
    borrower_code TEXT not null check (length(borrower_code) between 1 and 40),
    note TEXT check (length(note) <= 500),
    status TEXT not null check (status in ('waiting', 'served', 'cancelled')),
    listed_on TEXT not null,
    closed_on TEXT,
    wait_days BIGINT check (wait_days >= 0),
    loan_id BIGINT,
    cancel_reason TEXT check (length(cancel_reason) <= 500),
    created_by BIGINT not null references account (account_id),
    created_at TEXT not null,
    updated_at TEXT not null,
    check ((status = 'waiting') = (closed_on is null))
);
create index loan_waiting_queue on loan_waiting (hospital_id, status, rank, loan_waiting_id);

create table loan (
    loan_id @PK@,
    hospital_id BIGINT not null references hospital (hospital_id),
    equipment_unit_id BIGINT not null references equipment_unit (equipment_unit_id),
    campaign_id BIGINT not null references campaign (campaign_id),
    loan_waiting_id BIGINT references loan_waiting (loan_waiting_id),
    borrower_code TEXT not null check (length(borrower_code) between 1 and 40),
    note TEXT check (length(note) <= 500),
    out_on TEXT not null,
    out_day BIGINT not null,
    due_on TEXT not null,
    condition_out TEXT not null,
    accessories_out TEXT not null default '',
    status TEXT not null check (status in ('out', 'returned')),
    returned_on TEXT,
    days BIGINT check (days >= 0),
    condition_back TEXT,
    accessories_back TEXT,
    end_reason TEXT check (end_reason in ('recovered', 'not_needed', 'moved', 'died', 'care_transferred', 'lost')),
    renewals BIGINT not null default 0 check (renewals >= 0),
    created_by BIGINT not null references account (account_id),
    created_at TEXT not null,
    updated_at TEXT not null,
    check ((status = 'out') = (returned_on is null)),
    check ((status = 'out') = (end_reason is null)),
    check (due_on >= out_on)
);
-- A unit is on one loan at most.
create unique index loan_open_unit on loan (equipment_unit_id) where status = 'out';
create index loan_hospital on loan (hospital_id, status, due_on);
create index loan_unit_borrower on loan (equipment_unit_id, borrower_code);
create index loan_hospital_borrower on loan (hospital_id, borrower_code, out_on);

create table care_event (
    care_event_id @PK@,
    equipment_unit_id BIGINT not null references equipment_unit (equipment_unit_id),
    hospital_id BIGINT not null references hospital (hospital_id),
    loan_id BIGINT references loan (loan_id),
    kind TEXT not null check (kind in ('lent', 'renewed', 'visited', 'returned', 'cleaned',
        'repair_sent', 'repaired', 'unrepairable', 'maintained', 'pass_sent', 'pass_accepted',
        'pass_refused')),
    on_date TEXT not null,
    due_on TEXT,
    outcome TEXT,
    place TEXT check (length(place) <= 300),
    cost_satang BIGINT check (cost_satang >= 0),
    note TEXT check (length(note) <= 500),
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null
);
create index care_event_unit on care_event (equipment_unit_id, care_event_id);
create index care_event_loan on care_event (loan_id);

--@sqlite
create trigger care_event_append_only_update before update on care_event
begin select raise(abort, 'care_event is append-only'); end;
create trigger care_event_append_only_delete before delete on care_event
begin select raise(abort, 'care_event is append-only'); end;
create trigger loan_no_delete before delete on loan
begin select raise(abort, 'loans are returned, never deleted'); end;
create trigger loan_waiting_no_delete before delete on loan_waiting
begin select raise(abort, 'waiting-list entries are cancelled, never deleted'); end;
-- A loan keeps who, what, where and when it started; an ended loan changes no more.
create trigger loan_fixed before update on loan
when old.status = 'returned' or old.borrower_code <> new.borrower_code
    or old.equipment_unit_id <> new.equipment_unit_id or old.hospital_id <> new.hospital_id
    or old.campaign_id <> new.campaign_id or old.out_on <> new.out_on or old.out_day <> new.out_day
begin select raise(abort, 'a loan changes only by renewal and return'); end;
--@end

--@postgres
create trigger care_event_append_only before update or delete on care_event
    for each row execute function phapa_append_only();
create trigger care_event_no_truncate before truncate on care_event
    for each statement execute function phapa_append_only();
create trigger loan_no_delete before delete on loan
    for each row execute function phapa_append_only();
create trigger loan_waiting_no_delete before delete on loan_waiting
    for each row execute function phapa_append_only();
create function phapa_loan_fixed() returns trigger language plpgsql as $$
begin
    if old.status = 'returned' or old.borrower_code <> new.borrower_code
        or old.equipment_unit_id <> new.equipment_unit_id or old.hospital_id <> new.hospital_id
        or old.campaign_id <> new.campaign_id or old.out_on <> new.out_on
        or old.out_day <> new.out_day then
        raise exception 'a loan changes only by renewal and return';
    end if;
    return new;
end $$;
create trigger loan_fixed before update on loan
    for each row execute function phapa_loan_fixed();
--@end
