-- History is never deleted: the journal and the audit log refuse UPDATE and DELETE at the
-- database itself, whoever connects. Corrections are new rows (visible reversals).
-- Triggers differ per engine; the migration renderer keeps only the block for the engine at hand.

--@sqlite
create trigger journal_entry_append_only_update before update on journal_entry
begin select raise(abort, 'journal_entry is append-only'); end;
create trigger journal_entry_append_only_delete before delete on journal_entry
begin select raise(abort, 'journal_entry is append-only'); end;
create trigger journal_line_append_only_update before update on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
create trigger journal_line_append_only_delete before delete on journal_line
begin select raise(abort, 'journal_line is append-only'); end;
create trigger audit_log_append_only_update before update on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
create trigger audit_log_append_only_delete before delete on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
--@end

--@postgres
create function phapa_append_only() returns trigger language plpgsql as $body$
begin
    raise exception '% is append-only', tg_table_name;
end
$body$;
create trigger journal_entry_append_only before update or delete on journal_entry
    for each row execute function phapa_append_only();
create trigger journal_line_append_only before update or delete on journal_line
    for each row execute function phapa_append_only();
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function phapa_append_only();
--@end
