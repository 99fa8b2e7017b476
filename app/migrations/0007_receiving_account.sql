-- A campaign's receiving account (PromptPay ID and bank account) changes freely only while the
-- campaign is a draft. Once it is public, a change is a request that a finance officer (someone
-- other than the requester) approves or rejects; approving applies it. Requests are history:
-- they are never deleted, and a decided request never changes again.

create table campaign_payee_change (
    campaign_payee_change_id @PK@,
    campaign_id BIGINT not null references campaign (campaign_id),
    promptpay_id TEXT,
    bank_name TEXT,
    bank_account_no TEXT,
    bank_account_name TEXT,
    -- Why the account changes, as the requester wrote it.
    note TEXT check (length(note) <= 500),
    status TEXT not null check (status in ('pending', 'approved', 'rejected')),
    requested_by BIGINT not null references account (account_id),
    requested_at TEXT not null,
    decided_by BIGINT references account (account_id),
    decided_at TEXT,
    -- A rejection says why.
    decision_reason TEXT check (length(decision_reason) <= 500),
    created_at TEXT not null,
    check ((status = 'pending') = (decided_by is null)),
    check (decided_by is null or decided_by <> requested_by),
    check (status <> 'rejected' or length(decision_reason) > 0)
);
-- At most one request waits per campaign. Named like an inline unique constraint, so both
-- engines report a violation the same way (`db::is_unique_violation`).
create unique index campaign_payee_change_campaign_id_key
    on campaign_payee_change (campaign_id) where status = 'pending';

--@sqlite
create trigger campaign_payee_change_no_delete before delete on campaign_payee_change
begin select raise(abort, 'campaign_payee_change keeps its history'); end;
create trigger campaign_payee_change_decided_once before update on campaign_payee_change
when old.status <> 'pending'
begin select raise(abort, 'a decided campaign_payee_change cannot change'); end;
--@end

--@postgres
create function phapa_payee_change_guard() returns trigger language plpgsql as $body$
begin
    if tg_op = 'DELETE' or old.status <> 'pending' then
        raise exception 'campaign_payee_change keeps its history';
    end if;
    return new;
end
$body$;
create trigger campaign_payee_change_guard before update or delete on campaign_payee_change
    for each row execute function phapa_payee_change_guard();
create trigger campaign_payee_change_no_truncate before truncate on campaign_payee_change
    for each statement execute function phapa_append_only();
--@end
