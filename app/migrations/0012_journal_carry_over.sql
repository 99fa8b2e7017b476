-- The journal learns carry-overs: entries of kind 'carry_over', and the accounts 'carried_out'
-- (money a settled campaign passed on) and 'carried_in' (money a campaign took over).
--
-- Both lists are CHECK constraints. PostgreSQL replaces them here. SQLite rebuilds both tables,
-- which needs foreign keys off (journal_line, carry_over and journal_entry itself refer to
-- journal_entry), and that pragma works only outside a transaction: `db::migrate` runs
-- 0012_journal_carry_over_sqlite.sql itself, after the migrator.
--@sqlite
-- See 0012_journal_carry_over_sqlite.sql: SQLite rebuilds both tables outside the migrator.
select 1;
--@end
--@postgres
alter table journal_entry drop constraint journal_entry_kind_check;
alter table journal_entry add constraint journal_entry_kind_check
    check (kind in ('donation_received', 'donation_voided', 'purchase', 'carry_over'));
alter table journal_line drop constraint journal_line_account_check;
alter table journal_line add constraint journal_line_account_check
    check (account in ('fund_cash', 'donation_income', 'equipment_spent', 'in_kind_goods',
        'in_kind_income', 'carried_in', 'carried_out'));
--@end
