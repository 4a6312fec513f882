package io.rollcall.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.rollcall.directory.DirectoryBatch;
import io.rollcall.platform.Actor;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed through HTTP, with writers that commit in another order than they began: the events are written
 * straight into the table from raw connections, as the outbox does in a writer's transaction, to hold a transaction
 * open. Nothing wakes the sequencer for those, so the reads wait for its poll.
 */
class EventFeedTests extends IntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private DirectoryBatch directory;

	private TestCompany company;

	/** Where this test's events begin: after the company's creation and every other test's events. */
	private String start;

	@BeforeEach
	void company() throws Exception {
		this.company = this.client.createCompany();
		this.start = EventTestSupport.cursorAfterEverything(this.jdbc);
	}

	@Test
	void feedWhenEarlierTransactionCommitsAfterALaterOneThenReaderResumingPastTheLaterOneStillGetsIt()
			throws Exception {
		try (Connection early = open(); Connection late = open()) {
			long earlyId = insertEvent(early, "person.updated");
			long lateId = insertEvent(late, "person.created");
			late.commit();
			assertThat(earlyId).isLessThan(lateId);

			JsonNode first = feed("wait=5s");
			assertThat(ids(first)).containsExactly("evt_" + lateId);

			early.commit();
			JsonNode next = feed("wait=5s&after=" + first.path("nextCursor").asString());
			assertThat(ids(next)).containsExactly("evt_" + earlyId);
			// Reading again from the start gives both, in commit order, with the same ids.
			assertThat(ids(feed(""))).containsExactly("evt_" + lateId, "evt_" + earlyId);
		}
	}

	@Test
	void feedWhenTransactionRolledBackThenItsEventsNeverAppearAndNothingElseIsHeldBack() throws Exception {
		long kept;
		try (Connection undone = open(); Connection done = open()) {
			insertEvent(undone, "person.deactivated");
			kept = insertEvent(done, "person.created");
			done.commit();
			undone.rollback();
		}
		JsonNode page = feed("wait=5s");
		assertThat(ids(page)).containsExactly("evt_" + kept);
		assertThat(ids(feed("wait=1s&after=" + page.path("nextCursor").asString()))).isEmpty();
	}

	@Test
	void feedWhenImportCreatesPeopleThenPagedInOrderFilteredByTypeAndResumable() {
		new Syncs(this.client, this.port).importCsv(this.company, """
				email,first name
				ana@example.com,Ana
				ben@example.com,Ben
				cy@example.com,Cy
				""");

		JsonNode firstPage = feed("limit=2&wait=5s&types=person.created");
		JsonNode secondPage = feed("limit=2&types=person.created&after=" + firstPage.path("nextCursor").asString());
		JsonNode end = feed("limit=2&types=person.created&after=" + secondPage.path("nextCursor").asString());

		List<String> subjects = new ArrayList<>();
		for (JsonNode page : List.of(firstPage, secondPage)) {
			page.path("items").forEach(e -> {
				assertThat(e.path("type").asString()).isEqualTo("person.created");
				assertThat(e.path("runId").asString()).isNotEmpty();
				assertThat(e.path("actor").path("type").asString()).isEqualTo("source");
				assertThat(e.path("subject").path("id").asString()).isEqualTo(e.path("subjectId").asString());
				assertThat(e.path("subject").path("status").asString()).isEqualTo("active");
				subjects.add(e.path("subjectId").asString());
			});
		}
		assertThat(firstPage.path("items")).hasSize(2);
		assertThat(secondPage.path("items")).hasSize(1);
		assertThat(end.path("items")).isEmpty();
		assertThat(subjects).containsExactlyInAnyOrder(personId("ana@example.com"), personId("ben@example.com"),
				personId("cy@example.com"));
		assertThat(feed("types=person.deactivated").path("items")).isEmpty();
		assertThat(feed("types=team.*,person.created").path("items").size()).isEqualTo(3);
		// A filtered read that found nothing still moves the cursor past what it looked at.
		JsonNode filtered = feed("types=person.deactivated");
		assertThat(feed("after=" + filtered.path("nextCursor").asString()).path("items")).isEmpty();
	}

	@Test
	void feedWhenAskedWrongThenRefusedNamingTheParameter() {
		Map<String, String> wrong = Map.of("after=not-a-cursor", "after", "types=person.Created", "types", "limit=0",
				"limit", "wait=31s", "wait", "wait=soon", "wait");
		wrong.forEach((query, field) -> {
			Response response = this.client.api(this.company, "GET", "/api/v1/events?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.json().path("field").asString()).as(query).isEqualTo(field);
		});
	}

	@Test
	void feedWhenAnotherCompanyChangesThenItsEventsAreNotShown() throws Exception {
		TestCompany other = this.client.createCompany();
		try (Connection connection = open()) {
			insertEvent(connection, other.id(), "person.deactivated");
			connection.commit();
		}
		// A type of its own: the other company's owner was created too (person.created), numbered before or after the
		// feed is asked depending on the sequencer's timing.
		assertThat(this.client.api(other, "GET", "/api/v1/events?wait=5s&types=person.deactivated&after=" + this.start)
			.json()
			.path("items")).hasSize(1);
		assertThat(feed("").path("items")).isEmpty();
	}

	@Test
	void feedWhenWaitingThenAnswersAsSoonAsAChangeCommits() throws Exception {
		String cursor = this.start;
		CompletableFuture<Response> waiting = CompletableFuture
			.supplyAsync(() -> this.client.api(this.company, "GET", "/api/v1/events?wait=20s&after=" + cursor));
		Thread.sleep(1_000);
		assertThat(waiting).isNotDone();

		long id;
		long committedAt;
		try (Connection connection = open()) {
			id = insertEvent(connection, "person.reactivated");
			connection.commit();
			committedAt = System.nanoTime();
		}
		Response answer = waiting.get(20, TimeUnit.SECONDS);
		long heardAfterMillis = (System.nanoTime() - committedAt) / 1_000_000;

		assertThat(ids(answer.json())).containsExactly("evt_" + id);
		assertThat(heardAfterMillis).as("from commit to answer").isLessThan(1_000);
	}

	@Test
	void feedWhenManyWritersCommitConcurrentlyThenATailingReaderGetsEveryEventOnceAndEachSubjectsInCommitOrder()
			throws Exception {
		int writers = 6;
		int transactionsEach = 40;
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		List<CompletableFuture<Void>> done = new ArrayList<>();
		// Each writer changes one subject, transaction after transaction: the feed must give them in that order.
		Map<UUID, List<Long>> written = new java.util.concurrent.ConcurrentHashMap<>();
		for (int w = 0; w < writers; w++) {
			UUID subject = UUID.randomUUID();
			written.put(subject, java.util.Collections.synchronizedList(new ArrayList<>()));
			done.add(CompletableFuture.runAsync(() -> {
				try (Connection connection = open()) {
					for (int t = 0; t < transactionsEach; t++) {
						long a = insertEvent(connection, this.company.id(), "person.updated", subject);
						long b = insertEvent(connection, this.company.id(), "membership.added", subject);
						// Hold some transactions open a little, so that begin order and commit order differ.
						if (t % 3 == 0) {
							Thread.sleep(3);
						}
						connection.commit();
						written.get(subject).addAll(List.of(a, b));
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, pool));
		}
		List<String> read = new ArrayList<>();
		Map<String, List<Long>> readBySubject = new java.util.HashMap<>();
		String cursor = this.start;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (read.size() < writers * transactionsEach * 2 && System.nanoTime() < deadline) {
			JsonNode page = feed("limit=37&wait=2s&after=" + cursor);
			page.path("items").forEach(e -> {
				read.add(e.path("id").asString());
				readBySubject.computeIfAbsent(e.path("subjectId").asString(), k -> new ArrayList<>())
					.add(Long.parseLong(e.path("id").asString().substring(4)));
			});
			cursor = page.path("nextCursor").asString();
		}
		CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
		pool.shutdown();

		List<String> unexpected = new ArrayList<>(read);
		written.values().forEach(ids -> ids.forEach(id -> unexpected.remove("evt_" + id)));
		assertThat(unexpected).as("read but not written by this test, or read twice").isEmpty();
		assertThat(read).hasSize(writers * transactionsEach * 2);
		assertThat(read).containsExactlyElementsOf(ids(feed("limit=1000")));
		written.forEach((subject, ids) -> assertThat(readBySubject.get(subject.toString())).as("subject " + subject)
			.containsExactlyElementsOf(ids));
		assertThat(ids(feed("after=" + cursor))).isEmpty();
	}

	@Test
	void feedWhenASyncCreatesPeopleWithTeamAndManagerThenEachEventCarriesThePersonWhoIsStoredOnce()
			throws Exception {
		// Listed top-down, so each manager exists when their report is created: three events per person (created,
		// membership, manager) in one transaction large enough to be numbered as written.
		int people = 100;
		StringBuilder csv = new StringBuilder("email,first name,team,manager email\n");
		for (int i = 0; i < people; i++) {
			csv.append("p")
				.append(i)
				.append("@example.com,P")
				.append(i)
				.append(",Crew,")
				.append(i == 0 ? "" : "p" + (i - 1) + "@example.com")
				.append('\n');
		}
		JsonNode run = new Syncs(this.client, this.port).importCsv(this.company, csv.toString());
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, this.start)
			.stream()
			.filter(e -> e.path("subjectType").asString().equals("person"))
			.toList();
		assertThat(events).extracting(e -> e.path("type").asString())
			.containsOnly("person.created", "membership.added", "manager.changed")
			.hasSize(3 * people - 1);
		for (JsonNode event : events) {
			EventTestSupport.assertSubjectIsAsApiShows(this.client, this.company, event, "/api/v1/people/");
		}
		List<Map<String, Object>> stored = this.jdbc.sql("""
				select subject_id, count(*) as events, count(subject) as carried,
				       count(*) filter (where subject_at = (select max(position) from domain_event c
				                                            where c.subject_id = e.subject_id and c.run_id = e.run_id))
				           as pointing
				from domain_event e where run_id = :run and subject_type = 'person' group by subject_id
				""").param("run", UUID.fromString(run.path("id").asString())).query().listOfRows();
		assertThat(stored).hasSize(people).allSatisfy(row -> {
			assertThat(row.get("carried")).as(row.toString()).isEqualTo(1L);
			assertThat(row.get("pointing")).as("the others point at the carrier")
				.isEqualTo((long) row.get("events") - 1);
		});
	}

	@Test
	void feedWhenASyncCreatesPeopleThenEachCreationsChangesAreThePersonsAsTheHistoryRecordsThem() throws Exception {
		// Enough people for one chunk's history to be copied in (and its events numbered as written), and a person
		// created by hand for the one-statement path: either way the event's changes are the history entry's, the
		// right person's.
		int people = 300;
		StringBuilder csv = new StringBuilder("email,first name,team,manager email\n");
		for (int i = 0; i < people; i++) {
			csv.append("c")
				.append(i)
				.append("@example.com,C")
				.append(i)
				.append(",Crew ")
				.append(i % 3)
				.append(',')
				.append(i == 0 ? "" : "c" + (i / 2) + "@example.com")
				.append('\n');
		}
		JsonNode run = new Syncs(this.client, this.port).importCsv(this.company, csv.toString());
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		Response byHand = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", "by-hand@example.com", "firstName", "Hand"));
		assertThat(byHand.status()).as(byHand.body()).isEqualTo(201);

		List<JsonNode> created = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, this.start)
			.stream()
			.filter(e -> e.path("type").asString().equals("person.created"))
			.toList();
		assertThat(created).hasSize(people + 1);
		Map<String, String> history = new java.util.HashMap<>();
		this.jdbc
			.sql("select subject_id, changes::text from audit_entry where company_id = :company and action = 'created' "
					+ "and subject_type = 'person'")
			.param("company", this.company.id())
			.query((rs, n) -> history.put(rs.getString(1), rs.getString(2)))
			.list();
		Map<String, String> ids = new java.util.HashMap<>();
		for (JsonNode event : created) {
			ids.put(event.path("subject").path("email").asString(), event.path("subjectId").asString());
		}
		for (JsonNode event : created) {
			JsonNode subject = event.path("subject");
			String email = subject.path("email").asString();
			assertThat(EventTestSupport.change(event, "email")).as(email).containsExactly(null, email);
			assertThat(EventTestSupport.change(event, "firstName")).as(email)
				.containsExactly(null, subject.path("firstName").asString());
			assertThat(event.path("changes"))
				.as("the history's entry of " + email)
				.isEqualTo(new ObjectMapper().readTree(history.get(event.path("subjectId").asString())));
			if (email.equals("by-hand@example.com")) {
				continue;
			}
			int i = Integer.parseInt(email.substring(1, email.indexOf('@')));
			assertThat(subject.path("firstName").asString()).isEqualTo("C" + i);
			assertThat(EventTestSupport.change(event, "primaryTeamId")).as(email)
				.containsExactly(null, subject.path("primaryTeamId").asString());
			if (event.path("changes").has("overrideManagerId")) {
				assertThat(EventTestSupport.change(event, "overrideManagerId")).as(email)
					.containsExactly(null, ids.get("c" + (i / 2) + "@example.com"));
			}
		}
	}

	/** The feed from this test's start, unless the query says where to begin. */
	@Test
	void feedWhenALargeTransactionNumbersItsEventsAsItWritesThemThenACommitMeanwhileComesAfterThemAndNoneIsSkipped()
			throws Exception {
		int teams = Outbox.NUMBERED_AT_WRITE + 50;
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> large = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult(s -> {
			this.directory.ensureTeams(this.company.id(),
					IntStream.range(0, teams).mapToObj(i -> "Team " + i).toList(),
					new Actor(Actor.Type.SYSTEM, "test", "test"), null);
			// Runs after the outbox's: the events are written and numbered, the sequencer's row held, no commit yet.
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					written.countDown();
					try {
						release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			});
		}));
		assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
		long small;
		try (Connection connection = open()) {
			small = insertEvent(connection, "person.updated");
			connection.commit();
		}
		// The sequencer polls every 50 ms: none of its passes may number the small event while the row is held.
		Thread.sleep(300);
		assertThat(this.jdbc.sql("select position from domain_event where id = :id")
			.param("id", small)
			.query(Long.class)
			.optional()).isEmpty();

		release.countDown();
		large.get(10, TimeUnit.SECONDS);

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, this.start);
		assertThat(events).hasSize(teams + 1);
		assertThat(events.subList(0, teams)).extracting(e -> e.path("type").asString()).containsOnly("team.created");
		assertThat(events.getLast().path("id").asString()).isEqualTo("evt_" + small);
		List<Long> positions = this.jdbc
			.sql("select position from domain_event where company_id = :company and type = 'team.created' order by id")
			.param("company", this.company.id())
			.query(Long.class)
			.list();
		assertThat(positions).as("written numbered, in the order written, one after another")
			.hasSize(teams)
			.isSorted()
			.satisfies(p -> assertThat(p.getLast() - p.getFirst()).isEqualTo(teams - 1));
	}

	private JsonNode feed(String query) {
		String from = query.contains("after=") ? query
				: (query.isEmpty() ? "after=" + this.start : query + "&after=" + this.start);
		Response response = this.client.api(this.company, "GET", "/api/v1/events?" + from);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("items").forEach(e -> ids.add(e.path("id").asString()));
		return ids;
	}

	private String personId(String email) {
		return this.client.personByEmail(this.company, email).path("id").asString();
	}

	private Connection open() throws Exception {
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(false);
		return connection;
	}

	private long insertEvent(Connection connection, String type) throws Exception {
		return insertEvent(connection, this.company.id(), type);
	}

	private static long insertEvent(Connection connection, UUID companyId, String type) throws Exception {
		return insertEvent(connection, companyId, type, UUID.randomUUID());
	}

	private static long insertEvent(Connection connection, UUID companyId, String type, UUID subject) throws Exception {
		try (PreparedStatement insert = connection.prepareStatement(
				"insert into domain_event (company_id, type, subject_type, subject_id) values (?, ?, 'person', ?) returning id")) {
			insert.setObject(1, companyId);
			insert.setString(2, type);
			insert.setObject(3, subject);
			try (ResultSet rs = insert.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

}
