-- Staff pages flat at province scale: figures a finance officer opens are read from rows kept
-- beside the journal, in the same transaction as every money event, never summed over gifts.
--
-- Each campaign's journal by account: the sums of its lines' debits and credits.
create table journal_balance (
    campaign_id BIGINT not null references campaign (campaign_id),
    account TEXT not null,
    debit_satang BIGINT not null check (debit_satang >= 0),
    credit_satang BIGINT not null check (credit_satang >= 0),
    primary key (campaign_id, account)
);
insert into journal_balance (campaign_id, account, debit_satang, credit_satang)
    select campaign_id, account, sum(debit_satang), sum(credit_satang)
    from journal_line group by campaign_id, account;

-- Received gifts (money and goods) per campaign, UTC hour of their arrival (`YYYY-MM-DDTHH`)
-- and channel: how many and how much. A voided gift leaves its hour.
create table campaign_money_hour (
    campaign_id BIGINT not null references campaign (campaign_id),
    hour TEXT not null,
    channel TEXT not null,
    gifts BIGINT not null check (gifts >= 0),
    satang BIGINT not null,
    primary key (campaign_id, hour, channel)
);
insert into campaign_money_hour (campaign_id, hour, channel, gifts, satang)
    select campaign_id, substr(received_at, 1, 13), channel, count(*), sum(amount_satang)
    from donation where status = 'received'
    group by campaign_id, substr(received_at, 1, 13), channel;

-- A campaign's gifts newest first, a page at a time, and its open pledges (a few among
-- millions of gifts) the same way.
create index donation_campaign_newest on donation (campaign_id, donation_id);
create index donation_open_pledges on donation (campaign_id, donation_id)
    where status = 'pledged' and voided_at is null;
-- The journal's lines by entry (for the checks that every entry balances and that each
-- donation's entries carry its amount) and by campaign and account (for the check of the kept
-- sums), each holding the amounts, so the checks read these indexes and not the table.
create index journal_line_entry on journal_line (journal_entry_id, account, debit_satang, credit_satang);
drop index journal_line_campaign_account;
create index journal_line_campaign_sums on journal_line (campaign_id, account, debit_satang, credit_satang);
