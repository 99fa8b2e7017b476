-- What a donor was shown and what a receipt says stay as they were when they were made.
--
-- A pledge keeps the payee its QR code and bank details named, so a later change of the
-- campaign's receiving account cannot redirect money already promised. A receipt keeps the legal
-- recipient's tax ID, name and address as they stood when it was issued, so renaming a recipient
-- never rewrites receipts already in donors' hands. Receipts become append-only like the journal.

alter table donation add column payee_promptpay_id TEXT;
alter table donation add column payee_name TEXT;
alter table donation add column payee_bank_name TEXT;
alter table donation add column payee_bank_account_no TEXT;
alter table donation add column payee_bank_account_name TEXT;
-- A received date in an earlier fiscal year than the one it was entered in needs a written reason.
alter table donation add column backdate_reason TEXT check (length(backdate_reason) <= 500);

-- Pledges still waiting keep the payee they were shown, which until now was the campaign's.
update donation set
    payee_promptpay_id = (select c.promptpay_id from campaign c where c.campaign_id = donation.campaign_id),
    payee_bank_name = (select c.bank_name from campaign c where c.campaign_id = donation.campaign_id),
    payee_bank_account_no = (select c.bank_account_no from campaign c where c.campaign_id = donation.campaign_id),
    payee_bank_account_name = (select c.bank_account_name from campaign c where c.campaign_id = donation.campaign_id),
    payee_name = (select coalesce(c.bank_account_name, r.name_th, c.title_th) from campaign c
        left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
        where c.campaign_id = donation.campaign_id)
where status = 'pledged';

alter table receipt add column recipient_tax_id TEXT;
alter table receipt add column recipient_name_th TEXT;
alter table receipt add column recipient_name_en TEXT;
alter table receipt add column recipient_address_th TEXT;

update receipt set
    recipient_tax_id = (select l.tax_id from legal_recipient l where l.legal_recipient_id = receipt.legal_recipient_id),
    recipient_name_th = (select l.name_th from legal_recipient l where l.legal_recipient_id = receipt.legal_recipient_id),
    recipient_name_en = (select l.name_en from legal_recipient l where l.legal_recipient_id = receipt.legal_recipient_id),
    recipient_address_th = (select l.address_th from legal_recipient l where l.legal_recipient_id = receipt.legal_recipient_id);

-- Receipts are written once. A void shows through the donation; the receipt itself never changes
-- and is never removed. PostgreSQL's TRUNCATE skips row triggers, so it gets a statement trigger.
--@sqlite
create trigger receipt_append_only_update before update on receipt
begin select raise(abort, 'receipt is append-only'); end;
create trigger receipt_append_only_delete before delete on receipt
begin select raise(abort, 'receipt is append-only'); end;
--@end
--@postgres
create trigger receipt_append_only before update or delete on receipt
    for each row execute function phapa_append_only();
create trigger receipt_no_truncate before truncate on receipt
    for each statement execute function phapa_append_only();
--@end
