package io.rollcall.audit;

import java.util.List;

/**
 * Hears every change {@link AuditLog} records, in the recording transaction and in order. So a module that must
 * react to every change of a company (the events outbox) cannot miss a writer: a change that is audited is heard.
 */
public interface AuditListener {

	void recorded(List<AuditRecord> records);

}
