package io.rollcall.jsondirectory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.ProviderSource;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncRun;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * People from a JSON directory: every person its people endpoint lists, as a full run, so that whoever it no longer
 * lists is deactivated, and whoever it lists with {@code "active": false} too. It has no incremental runs: nothing
 * tells Rollcall of a change between two full runs.
 */
@Component
class JsonDirectorySource extends ProviderSource<JsonDirectoryConnection, JsonDirectoryClient> {

	static final String KIND = "jsondirectory";

	/** People asked for a page: the endpoint may send fewer, and says where the rest are. */
	static final int PAGE_SIZE = 200;

	/** The contract's text fields, each kept under its own name for the mapping. */
	static final List<String> FIELDS = List.of("email", "givenName", "familyName", "displayName", "department",
			"jobTitle");

	JsonDirectorySource(JsonDirectoryConnections connections, JsonDirectoryHttp http, SourceSettingsStore settings,
			Companies companies, CompanyHosts hosts) {
		super(JsonDirectoryKind.PROVIDER, connections::find, http::client, settings, companies, hosts);
	}

	@Override
	protected Reading open(SyncRun run, JsonDirectoryConnection connection, RecordSink sink) {
		return new JsonDirectoryReading(run, connection, sink);
	}

	private final class JsonDirectoryReading extends Reading {

		JsonDirectoryReading(SyncRun run, JsonDirectoryConnection connection, RecordSink sink) {
			super("the JSON directory", run, connection, sink);
		}

		@Override
		protected void full() {
			this.client.forEachPerson(PAGE_SIZE, person -> {
				String id = text(person, "id");
				if (id == null) {
					this.sink.problem("?", "the JSON directory listed a person without an id");
					return;
				}
				this.sink.record(record(person, this.managers), id);
			});
		}

		@Override
		protected void incremental() {
			throw SourceReadException.permanent("A JSON directory is read in full runs only");
		}

	}

	/**
	 * A person of the contract as a source record: its text fields by their names; {@code "active": false} disabled
	 * (absent is active); the manager's id when the company takes managers from this source.
	 */
	static SourceRecord record(JsonNode person, boolean managers) {
		Map<String, String> attributes = new HashMap<>();
		for (String field : FIELDS) {
			String value = text(person, field);
			if (value != null) {
				attributes.put(field, value);
			}
		}
		boolean active = !person.path("active").isBoolean() || person.path("active").asBoolean();
		String manager = managers ? text(person, "managerId") : null;
		return new SourceRecord(text(person, "id"), attributes, active, manager, null, List.of());
	}

	/** The field as text (a number id too), or null when absent, null or blank. */
	private static String text(JsonNode person, String field) {
		JsonNode value = person.path(field);
		if (!value.isString() && !value.isNumber()) {
			return null;
		}
		String text = value.asString().strip();
		return text.isEmpty() ? null : text;
	}

}
