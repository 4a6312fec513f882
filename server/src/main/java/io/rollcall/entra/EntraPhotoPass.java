package io.rollcall.entra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.ProviderException;
import io.rollcall.directory.Avatars;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.People;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.mapping.MappedPerson;
import io.rollcall.mapping.Mappings;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRuns;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fetches the photos of Entra ID people outside the sync runs, so that an initial sync of 100,000 people is not
 * held up by 100,000 photo calls. Its queue is the {@code entra_photo} table (a row is due when {@code due_at} has
 * come), so a restart resumes where it stopped. It spends at most a share of the tenant's resource-unit budget
 * (Graph: 3,500 / 5,000 / 8,000 units per 10 s by tenant size) so change notifications and runs still get theirs;
 * 429s wait as long as Retry-After says (in {@link GraphClient}) and end the company's turn. An unchanged etag costs
 * one metadata call and no download. A changed avatar is written by the directory, with its audit entry.
 */
@Component
class EntraPhotoPass {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "entra-photos", "Entra ID photos");

	/** Due photos taken at a time; each is one or two Graph calls. */
	private static final int BATCH = 200;

	private static final int PARALLEL_CALLS = 8;

	private static final Logger log = LoggerFactory.getLogger(EntraPhotoPass.class);

	private final EntraConnections connections;

	private final EntraPhotos photos;

	private final Graph graph;

	private final DirectoryBatch directory;

	private final People people;

	private final Mappings mappings;

	private final Companies companies;

	private final CompanyHosts hosts;

	private final SyncRuns runs;

	private final Clock clock;

	private final Duration recheck;

	private final double budgetShare;

	private final Duration turn;

	private final Map<UUID, Pacer> pacers = new ConcurrentHashMap<>();

	/** Companies whose last turn failed wait a while, so one unreachable tenant does not take everyone's turns. */
	private final Map<UUID, Long> restingUntil = new ConcurrentHashMap<>();

	private volatile boolean paused;

	EntraPhotoPass(EntraConnections connections, EntraPhotos photos, Graph graph, DirectoryBatch directory,
			People people, Mappings mappings, Companies companies, CompanyHosts hosts, SyncRuns runs, Clock clock,
			@Value("${rollcall.entra.photo-recheck:12h}") Duration recheck,
			@Value("${rollcall.entra.photo-budget-share:0.6}") double budgetShare,
			@Value("${rollcall.entra.photo-turn:30s}") Duration turn, MeterRegistry meters) {
		this.connections = connections;
		this.photos = photos;
		this.graph = graph;
		this.directory = directory;
		this.people = people;
		this.mappings = mappings;
		this.companies = companies;
		this.hosts = hosts;
		this.runs = runs;
		this.clock = clock;
		this.recheck = recheck;
		this.budgetShare = budgetShare;
		this.turn = turn;
		// How far behind the photos are: people synced whose photo nobody has looked at yet.
		Gauge.builder("rollcall.entra.photos.waiting", photos, EntraPhotos::waiting).register(meters);
	}

	/** Tests hold the pass to see a run's result before any photo arrives. */
	void paused(boolean paused) {
		this.paused = paused;
	}

	/** One turn for each authorised company: checks its due photos until none is due or its turn is over. */
	void runOnce() {
		for (EntraConnection connection : this.connections.authorised()) {
			if (this.paused) {
				return;
			}
			Long resting = this.restingUntil.get(connection.companyId());
			if (resting != null && System.nanoTime() - resting < 0) {
				continue;
			}
			try {
				company(connection);
				this.restingUntil.remove(connection.companyId());
			}
			catch (ProviderException ex) {
				// Throttled beyond the retries, or Graph is down: what is left stays due for a later turn.
				log.info("Entra: photo pass of company {} paused for a minute: {}", connection.companyId(),
						ex.getMessage());
				this.restingUntil.put(connection.companyId(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
			}
			catch (RuntimeException ex) {
				log.warn("Entra: photo pass of company {} failed: {}", connection.companyId(), ex.toString());
				this.restingUntil.put(connection.companyId(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
			}
		}
	}

	private void company(EntraConnection connection) {
		UUID company = connection.companyId();
		long endAt = System.nanoTime() + this.turn.toNanos();
		if (this.runs.active(company, EntraSource.KIND).isPresent()) {
			// A run goes first: it may be creating the very people whose photos it queued, and it spends the budget.
			// Asked before the due photos, whose query sorts the queue: every second of a 100,000-person run it
			// took 35 ms of PostgreSQL, for nothing.
			return;
		}
		List<EntraPhotos.Stored> due = this.photos.due(company, this.clock.instant(), BATCH);
		if (due.isEmpty()) {
			return;
		}
		GraphClient client = this.graph.client(connection);
		String baseUrl = this.hosts.baseUrl(this.companies.get(company));
		Pacer pacer = this.pacers.computeIfAbsent(company, id -> new Pacer());
		pacer.unitsPer10s(Math.max(100, (int) (budget(this.photos.count(company)) * this.budgetShare)));
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			while (!due.isEmpty() && !this.paused) {
				Map<String, UUID> personIds = this.directory.idsByExternalId(company, EntraSource.KIND,
						due.stream().map(EntraPhotos.Stored::userId).toList());
				Instant now = this.clock.instant();
				List<EntraPhotos.Stored> checkable = new ArrayList<>();
				for (EntraPhotos.Stored row : due) {
					if (personIds.containsKey(row.userId())) {
						checkable.add(row);
					}
					else {
						// Queued by a finished run that did not create them (say, no e-mail address): a later run may.
						this.photos.postpone(company, row.userId(), now.plus(Duration.ofMinutes(10)));
					}
				}
				List<Future<Optional<String>>> calls = new ArrayList<>();
				java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(PARALLEL_CALLS);
				for (EntraPhotos.Stored row : checkable) {
					calls.add(pool.submit(() -> {
						inFlight.acquire();
						try {
							return check(client, pacer, company, row);
						}
						finally {
							inFlight.release();
						}
					}));
				}
				for (int i = 0; i < checkable.size(); i++) {
					EntraPhotos.Stored row = checkable.get(i);
					Optional<String> changed = await(calls.get(i));
					if (changed.isPresent()) {
						String sha = changed.get();
						avatar(company, personIds.get(row.userId()),
								sha.isEmpty() ? null : baseUrl + Avatars.path(EntraSource.KIND, row.userId(), sha));
					}
				}
				if (System.nanoTime() > endAt || this.runs.active(company, EntraSource.KIND).isPresent()) {
					return;
				}
				due = this.photos.due(company, this.clock.instant(), BATCH);
			}
		}
	}

	/**
	 * Looks at one person's photo, downloading it only when its etag changed.
	 *
	 * @return the new hash when the avatar changes ("" for no photo), empty when it stays as it is
	 */
	private Optional<String> check(GraphClient client, Pacer pacer, UUID company, EntraPhotos.Stored row) {
		String base = "/users/" + GraphClient.enc(row.userId()) + "/photo";
		Instant now = this.clock.instant();
		Instant next = now.plus(this.recheck);
		String etag = null;
		if (row.checkedAt() != null) {
			// Looked at before: the metadata (one unit) tells whether there is a photo now and whether it changed.
			pacer.acquire();
			var meta = client.findPhoto(base);
			if (meta.isEmpty()) {
				this.photos.store(company, row.userId(), null, null, null, now, next);
				return row.sha256() == null ? Optional.empty() : Optional.of("");
			}
			etag = meta.get().path("@odata.mediaEtag").asString(null);
			if (row.sha256() != null && etag != null && etag.equals(row.etag())) {
				this.photos.checked(company, row.userId(), now, next);
				return Optional.empty();
			}
		}
		// Never seen, or changed: the download answers 404 for no photo and carries its etag otherwise.
		pacer.acquire();
		var content = client.binary(base + "/$value");
		if (content.isEmpty()) {
			this.photos.store(company, row.userId(), null, null, null, now, next);
			return row.sha256() == null ? Optional.empty() : Optional.of("");
		}
		String sha = this.photos.store(company, row.userId(),
				content.get().etag() != null ? content.get().etag() : etag,
				content.get().contentType(), content.get().content(), now, next);
		return sha.equals(row.sha256()) ? Optional.empty() : Optional.of(sha);
	}

	/** Sets the avatar through the directory when the company's mapping takes it from the photo. */
	private void avatar(UUID company, UUID personId, String url) {
		SourceRecord record = new SourceRecord(personId.toString(), url == null ? Map.of() : Map.of("photo", url), true,
				null, url, List.of());
		MappedPerson mapped = Mappings.map(this.mappings.effective(company, EntraSource.KIND), record);
		if (!mapped.fields().containsKey(PersonField.AVATAR_URL)) {
			return;
		}
		this.people.update(company, personId,
				new PersonChanges().set(PersonField.AVATAR_URL, mapped.fields().get(PersonField.AVATAR_URL)),
				ACTOR);
	}

	/** Graph's identity budget for a tenant of this many users, per 10 s. */
	static int budget(long users) {
		return users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
	}

	private static <T> T await(Future<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderException("Interrupted while checking photos", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	/** Spaces calls evenly so that no 10-second window sees more than its share of units. */
	static final class Pacer {

		private long intervalNanos = 1;

		private long next = System.nanoTime();

		synchronized void unitsPer10s(int units) {
			this.intervalNanos = Duration.ofSeconds(10).toNanos() / units;
		}

		void acquire() {
			long wait;
			synchronized (this) {
				long now = System.nanoTime();
				// Pauses between batches (queries, avatar writes) are made up for, up to one second's worth, so
				// the pass keeps its rate; an idle pacer saves no more than that (at most a 10th over the share).
				this.next = Math.max(this.next, now - Duration.ofSeconds(1).toNanos());
				wait = this.next - now;
				this.next += this.intervalNanos;
			}
			if (wait > 0) {
				try {
					Thread.sleep(Duration.ofNanos(wait));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new ProviderException("Interrupted while pacing photo calls", ex);
				}
			}
		}

	}

}
