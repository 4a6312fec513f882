package io.rollcall.sync;

import java.util.List;

import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.SourceRecord;

/** Where people come from: an identity provider or a file. Sources only read; the engine decides and writes. */
public interface Source {

	/** The name used in URLs, identities and settings: {@code csv}, {@code entra}, {@code okta}, {@code scim}. */
	String kind();

	/**
	 * Hands every record in scope to the sink. Throws {@link SourceReadException} when it could not read them all:
	 * the run then fails and deactivates nobody.
	 */
	void read(SyncRun run, RecordSink sink);

	/** The mappings to use when the company saved none for this source. */
	List<FieldMapping> defaultMappings(SyncRun run);

	/** Whether people this source knows but did not list in this run are to be deactivated. */
	boolean deactivatesMissing(SyncRun run, SourceSettings settings);

	/** Receives what a source reads. */
	interface RecordSink {

		/** @param position where the record is in the source, for messages: "line 17", an object id */
		void record(SourceRecord record, String position);

		/** A record the source could not read at all, reported and skipped. */
		void problem(String position, String message);

		/**
		 * For runs that list only some people (a webhook's refresh): this person left the source's scope (removed
		 * from the group, deleted). They are deactivated if active; nothing else of them changes.
		 */
		default void departed(String externalId, String position) {
			throw new UnsupportedOperationException("This sink does not take departures");
		}

	}

}
