package io.rollcall.audit;

import java.util.List;

/**
 * Hears every change {@link AuditLog} records, in the recording transaction and in order. So a module that must
 * react to every change of a company (the events outbox) cannot miss a writer: a change that is audited is heard.
 */
public interface AuditListener {

	void recorded(List<AuditRecord> records);

	/**
	 * As {@link #recorded(List)}, with each record's changes as the history stored them (JSON, in the records' order):
	 * a listener that writes the same changes need not serialise them again.
	 */
	default void recorded(List<AuditRecord> records, List<String> changesJson) {
		recorded(records);
	}

}
