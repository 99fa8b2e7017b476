-- Hospital staff request catalog items for their hospital on a campaign that serves it; finance
-- officers approve (possibly fewer units) or reject, always with a reason the requester sees.
-- The request row holds where the request is now; every change is also an event row, and the
-- events are append-only, so a request's history can always be read back.

create table equipment_request (
    equipment_request_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    hospital_id BIGINT not null references hospital (hospital_id),
    equipment_item_id BIGINT not null references equipment_item (equipment_item_id),
    quantity BIGINT not null check (quantity between 1 and 1000),
    -- Set by an approval; never more than asked for.
    approved_quantity BIGINT check (approved_quantity between 1 and quantity),
    -- Units confirmed received against the request (moves with deliveries).
    fulfilled_quantity BIGINT not null default 0 check (fulfilled_quantity >= 0),
    -- The need, as counts only (no patient data): patients at home by Barthel ADL group, and
    -- units of this item the hospital already holds.
    patients_homebound BIGINT not null check (patients_homebound between 0 and 100000),
    patients_bedbound BIGINT not null check (patients_bedbound between 0 and 100000),
    patients_end_of_life BIGINT not null check (patients_end_of_life between 0 and 100000),
    units_held BIGINT not null check (units_held between 0 and 100000),
    reason TEXT not null check (length(reason) between 1 and 2000),
    priority TEXT not null check (priority in ('urgent', 'normal')),
    status TEXT not null check (status in
        ('submitted', 'approved', 'rejected', 'partly_fulfilled', 'fulfilled', 'withdrawn')),
    requested_by BIGINT not null references account (account_id),
    created_at TEXT not null,
    updated_at TEXT not null
);
create index equipment_request_campaign_status on equipment_request (campaign_id, status);
create index equipment_request_hospital on equipment_request (hospital_id, equipment_request_id);

create table equipment_request_event (
    equipment_request_event_id @PK@,
    equipment_request_id BIGINT not null references equipment_request (equipment_request_id),
    kind TEXT not null check (kind in ('submitted', 'edited', 'withdrawn', 'approved', 'rejected')),
    -- The request's status after the event, and the quantity it names (asked or approved).
    status TEXT not null,
    quantity BIGINT,
    -- For `submitted` and `edited`: the terms as they stood after the event (JSON), so an edit
    -- never loses what was asked before.
    terms TEXT,
    note TEXT check (length(note) <= 2000),
    account_id BIGINT references account (account_id),
    created_at TEXT not null
);
create index equipment_request_event_request on equipment_request_event (equipment_request_id);

--@sqlite
create trigger equipment_request_event_append_only_update before update on equipment_request_event
begin select raise(abort, 'equipment_request_event is append-only'); end;
create trigger equipment_request_event_append_only_delete before delete on equipment_request_event
begin select raise(abort, 'equipment_request_event is append-only'); end;
--@end

--@postgres
create trigger equipment_request_event_append_only before update or delete on equipment_request_event
    for each row execute function phapa_append_only();
create trigger equipment_request_event_no_truncate before truncate on equipment_request_event
    for each statement execute function phapa_append_only();
--@end
