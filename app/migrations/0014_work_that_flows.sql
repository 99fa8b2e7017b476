-- The finance home counts, campaign by campaign, the bank credits still waiting for a donation;
-- this index holds exactly those lines, so the count never walks the matched ones.
-- With the amount after the campaign it also finds the waiting credits of given amounts (the
-- import's competing credits); on the campaign alone a planner without statistics preferred it
-- to the amount index and read every waiting line.
create index bank_line_waiting on bank_line (campaign_id, amount_satang)
    where is_credit = 1 and donation_id is null;

-- Each import names the bank account it is a statement of (the campaign's, or the number the
-- file prints when that cannot be the campaign's), so the desk shows a balance per account
-- rather than whatever file was imported last.
alter table statement_import add column bank_account_no TEXT;
