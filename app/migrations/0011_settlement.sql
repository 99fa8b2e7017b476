-- Settling a campaign: the finance officer's written acknowledgements of the report's
-- discrepancies, the settlement itself with the public report as it stood, and left-over money
-- carried to another campaign. All three are append-only: a settlement is never undone, and an
-- acknowledgement is never edited (a discrepancy that changes gets a new key, so a new one).

create table settlement_ack (
    settlement_ack_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    -- Names the discrepancy and what it was when acknowledged ('credit-12', 'bank-diff-500').
    discrepancy_key TEXT not null check (length(discrepancy_key) between 1 and 200),
    reason TEXT not null check (length(reason) between 5 and 2000),
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null,
    unique (campaign_id, discrepancy_key)
);

create table campaign_settlement (
    campaign_id BIGINT primary key references campaign (campaign_id),
    settled_by BIGINT not null references account (account_id),
    -- The settling officer's name as it was, shown on the public report.
    settled_by_name TEXT not null,
    settled_at TEXT not null,
    -- The report at the moment of settlement, without personal data (JSON).
    report TEXT not null,
    created_at TEXT not null
);

create table carry_over (
    carry_over_id @PK@,
    from_campaign_id BIGINT not null references campaign (campaign_id),
    to_campaign_id BIGINT not null references campaign (campaign_id),
    amount_satang BIGINT not null check (amount_satang > 0),
    from_entry_id BIGINT not null references journal_entry (journal_entry_id),
    to_entry_id BIGINT not null references journal_entry (journal_entry_id),
    account_id BIGINT not null references account (account_id),
    created_at TEXT not null,
    check (from_campaign_id <> to_campaign_id)
);
create index carry_over_from on carry_over (from_campaign_id);
create index carry_over_to on carry_over (to_campaign_id);

-- Money carried in and out, kept beside the journal like the other running totals. What a fund
-- may spend is raised + carried in − carried out − spent − held.
alter table campaign_fund add column carried_in_satang BIGINT not null default 0 check (carried_in_satang >= 0);
alter table campaign_fund add column carried_out_satang BIGINT not null default 0 check (carried_out_satang >= 0);

--@sqlite
-- The fund never spends, holds or passes on more than the cash it has.
drop trigger campaign_fund_not_overspent;
create trigger campaign_fund_not_overspent before update on campaign_fund
when new.raised_satang + new.carried_in_satang - new.carried_out_satang
    < new.spent_satang + new.committed_satang
begin select raise(abort, 'campaign_fund: spent, committed and carried out exceed cash'); end;
create trigger settlement_ack_append_only_update before update on settlement_ack
begin select raise(abort, 'settlement_ack is append-only'); end;
create trigger settlement_ack_append_only_delete before delete on settlement_ack
begin select raise(abort, 'settlement_ack is append-only'); end;
create trigger campaign_settlement_append_only_update before update on campaign_settlement
begin select raise(abort, 'campaign_settlement is append-only'); end;
create trigger campaign_settlement_append_only_delete before delete on campaign_settlement
begin select raise(abort, 'campaign_settlement is append-only'); end;
create trigger carry_over_append_only_update before update on carry_over
begin select raise(abort, 'carry_over is append-only'); end;
create trigger carry_over_append_only_delete before delete on carry_over
begin select raise(abort, 'carry_over is append-only'); end;
--@end

--@postgres
alter table campaign_fund drop constraint campaign_fund_not_overspent;
alter table campaign_fund add constraint campaign_fund_not_overspent
    check (raised_satang + carried_in_satang - carried_out_satang >= spent_satang + committed_satang);
create trigger settlement_ack_append_only before update or delete on settlement_ack
    for each row execute function phapa_append_only();
create trigger settlement_ack_no_truncate before truncate on settlement_ack
    for each statement execute function phapa_append_only();
create trigger campaign_settlement_append_only before update or delete on campaign_settlement
    for each row execute function phapa_append_only();
create trigger campaign_settlement_no_truncate before truncate on campaign_settlement
    for each statement execute function phapa_append_only();
create trigger carry_over_append_only before update or delete on carry_over
    for each row execute function phapa_append_only();
create trigger carry_over_no_truncate before truncate on carry_over
    for each statement execute function phapa_append_only();
--@end
