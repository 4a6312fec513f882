package io.rollcall.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.mapping.Transform;
import io.rollcall.sync.Source;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SyncRun;

/**
 * A source whose records a test sets per company, standing in for an identity provider's full listing (it
 * deactivates whoever it no longer lists). It can be told to fail part-way, as a provider does when a page
 * cannot be read.
 */
public final class ScriptedSource implements Source {

	public static final String KIND = "scripted";

	private final Map<UUID, Script> scripts = new ConcurrentHashMap<>();

	private final Map<UUID, CountDownLatch> holds = new ConcurrentHashMap<>();

	/** Companies whose listing is being read right now (a held one counts until it is let go). */
	private final Set<UUID> reading = ConcurrentHashMap.newKeySet();

	/** @param bug fail with an unexpected error (a fault of Rollcall's own) instead of the provider's */
	public record Script(List<SourceRecord> records, int failAfter, boolean bug) {
	}

	public void script(UUID companyId, List<SourceRecord> records) {
		this.scripts.put(companyId, new Script(new ArrayList<>(records), -1, false));
	}

	/** Lists the first {@code failAfter} records, then fails as an unreadable page would. */
	public void scriptFailure(UUID companyId, List<SourceRecord> records, int failAfter) {
		this.scripts.put(companyId, new Script(new ArrayList<>(records), failAfter, false));
	}

	/** Fails on its first record with an error no provider gives: what a bug in Rollcall would look like. */
	public void scriptBug(UUID companyId, List<SourceRecord> records) {
		this.scripts.put(companyId, new Script(new ArrayList<>(records), 0, true));
	}

	/**
	 * Lists {@code records} only once {@code release} is counted down (at most a minute later): a full read that takes
	 * as long as the test wants, holding its thread meanwhile, as a listing of 100,000 people does.
	 */
	public void scriptHeld(UUID companyId, List<SourceRecord> records, CountDownLatch release) {
		this.holds.put(companyId, release);
		script(companyId, records);
	}

	/** Whether the company's listing is being read now. */
	public boolean reading(UUID companyId) {
		return this.reading.contains(companyId);
	}

	public static SourceRecord person(String id, String email, String first, String last, String department,
			String manager) {
		Map<String, String> attributes = new java.util.HashMap<>();
		attributes.put("mail", email);
		attributes.put("givenName", first);
		attributes.put("surname", last);
		if (department != null) {
			attributes.put("department", department);
		}
		return new SourceRecord(id, attributes, true, manager, null, List.of());
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void read(SyncRun run, RecordSink sink) {
		this.reading.add(run.companyId());
		try {
			awaitRelease(run.companyId());
			list(run, sink);
		}
		finally {
			this.reading.remove(run.companyId());
		}
	}

	private void awaitRelease(UUID companyId) {
		CountDownLatch release = this.holds.get(companyId);
		try {
			if (release != null && !release.await(1, TimeUnit.MINUTES)) {
				throw new IllegalStateException("a held listing was never let go");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void list(SyncRun run, RecordSink sink) {
		Script script = this.scripts.getOrDefault(run.companyId(), new Script(List.of(), -1, false));
		int n = 0;
		for (SourceRecord record : script.records()) {
			if (n == script.failAfter() && script.bug()) {
				throw new IllegalStateException("a scripted fault");
			}
			if (n == script.failAfter()) {
				throw new SourceReadException("The provider answered page 2 with 503 Service Unavailable");
			}
			sink.record(record, "object " + record.externalId());
			n++;
		}
	}

	@Override
	public List<FieldMapping> defaultMappings(SyncRun run) {
		return List.of(new FieldMapping("mail", "email", List.of(new Transform.Trim())),
				new FieldMapping("givenName", "firstName", List.of()),
				new FieldMapping("surname", "lastName", List.of()),
				new FieldMapping("department", "department", List.of()),
				new FieldMapping("department", "primaryTeam", List.of()));
	}

	@Override
	public boolean deactivatesMissing(SyncRun run, SourceSettings settings) {
		return true;
	}

}
