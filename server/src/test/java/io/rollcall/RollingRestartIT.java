package io.rollcall;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.emulators.entra.GraphSubscription;
import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.Cluster;
import io.rollcall.support.EntraConsent;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.JarNode;
import io.rollcall.support.JarNodes;
import io.rollcall.support.TestPostgres;
import io.rollcall.support.WebhookLoad;
import io.rollcall.support.WebhookLoad.Answer;
import io.rollcall.support.WebhookLoad.Delivery;
import io.rollcall.support.WebhookLoad.Tally;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's restarts under webhook load: three packaged {@code rollcall.jar} nodes ({@link JarNodes}) on one
 * PostgreSQL of the test's own, behind HAProxy ({@link Cluster}), one company synced from the Entra emulator and one
 * from the Okta emulator. Graph change notifications and Okta event hooks arrive through HAProxy at a fixed rate
 * ({@link WebhookLoad}: open loop, each answer measured, refused or unanswered deliveries sent again as the providers
 * do), each describing a real change made in the emulator just before (a person's job title set to a value of its
 * own), while every node in turn is stopped with SIGTERM and started again; then while PostgreSQL is stopped and
 * started under them. Every delivery must end acknowledged, and every person's last value must reach the directory.
 * <p>
 * The CI sizes ({@value #DEFAULT_RATE} deliveries a second during the rolling restart and the PostgreSQL restart,
 * {@value #DEFAULT_PEOPLE} people a provider) are what a shared two-core machine carries while three nodes boot in
 * turn; the issue's size is {@code -Drollcall.rolling.rate=500}, the whole rolling restart of three nodes at 500 a
 * second. Each restart costs a node's boot (15 to 90 s with other builds on the same cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// On demand (-Drollcall.rolling=true), not in CI: the scenario takes 6-8 minutes here, above what CI can give it. On
// the idle two-core machine it passes at 100 and 200 a second after the warm-up (none refused at first); 500 a second
// is more than two cores carry for three nodes, PostgreSQL, both emulators and the sender, even warm and with no node
// restarted (58 % refused at first), and the restart ends with most given up (bench/RESULTS.md, twelfth session).
@EnabledIfSystemProperty(named = "rollcall.rolling", matches = "true")
class RollingRestartIT {

	private static final int DEFAULT_RATE = 100;

	private static final int DEFAULT_PEOPLE = 200;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPERATOR_TOKEN = "rolling-operator-token";

	/** From the end of the load to the last change in the directory: the queues drain in seconds, a bound that fails. */
	private static final Duration APPLIED_WITHIN = Duration.ofSeconds(60);

	private final int rate = Integer.getInteger("rollcall.rolling.rate", DEFAULT_RATE);

	private final int postgresRate = Integer.getInteger("rollcall.rolling.postgres-rate", 100);

	private final int people = Integer.getInteger("rollcall.rolling.people", DEFAULT_PEOPLE);

	private final int nodeCount = Integer.getInteger("rollcall.rolling.nodes", 3);

	/**
	 * Seconds of the same load before the first node stops ({@code -Drollcall.rolling.warm}; 0 restarts at once). A
	 * platform deploys onto nodes that have served for hours. Without it the first restart met nodes a minute old whose
	 * JIT was still compiling: on the idle machine at 100 a second (2026-12-06) every delivery refused at first (3 %,
	 * most of them 503s of the receivers' cap and HAProxy's queue) fell in the first node's stop and boot, none in the
	 * second's and third's, though each of those joined a freshly booted node too.
	 */
	private final int warmSeconds = Integer.getInteger("rollcall.rolling.warm", 60);

	/** Above HAProxy's 1 s to see a node out of service (checks 500 ms apart, 2 failures); 0s shows what it prevents. */
	private final String drain = System.getProperty("rollcall.rolling.drain", "3s");

	private TestPostgres postgres;

	private JarNodes nodes;

	private Cluster cluster;

	private EntraEmulator entra;

	private OktaEmulator okta;

	private EntraTenant tenant;

	private OktaOrg org;

	private Company entraCompany;

	private Company oktaCompany;

	private GraphSubscription users;

	private String hookSecret;

	private List<String> entraPeople;

	private List<String> oktaPeople;

	/** Okta's published times, strictly increasing as Okta's are: an event no newer than the last applied is ignored. */
	private final AtomicLong published = new AtomicLong(Instant.now().toEpochMilli() * 1000);

	/** Every Okta event sent, by uuid; each must end acknowledged. */
	private final Set<String> sentOktaEvents = ConcurrentHashMap.newKeySet();

	@BeforeAll
	void startCluster() throws Exception {
		this.postgres = TestPostgres.start("rollcall-rolling");
		int balancer = Cluster.freePort();
		String front = "http://127.0.0.1:" + balancer;
		this.nodes = JarNodes.start("rollcall-rolling", this.nodeCount, OPERATOR_TOKEN, this.postgres,
				Map.of("ROLLCALL_ENTRA_NOTIFICATION_URL", front + "/hooks/entra", "ROLLCALL_OKTA_HOOK_URL",
						front + "/hooks/okta", "ROLLCALL_SHUTDOWN_DRAIN", this.drain));
		this.cluster = Cluster.of(balancer, this.nodes.ports());

		this.entra = EntraEmulator.start(EntraEmulator.Options.defaults().https(false));
		this.tenant = this.entra.createTenant("rolling-entra.example");
		this.tenant.resourceUnitLimit(10_000_000);
		GeneratedDirectory directory = this.tenant.generate(DirectorySpec.people(this.people)
			.withOutsiders(0)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDomain("rolling-entra.example"));
		this.entraCompany = company("rolling-entra");
		JarNode first = this.nodes.node(0);
		HttpResponse<String> saved = first.send("PUT", this.entraCompany.host(), "/api/v1/integrations/entra",
				this.entraCompany.key(), "application/json", JSON.writeValueAsString(
						EntraSettings.of(this.entra, this.tenant, directory.topGroupId(), this.tenant.clientSecret(),
								false, "never")));
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
		EntraConsent.give(first, this.entraCompany.slug(), this.entraCompany.owner(), this.entraCompany.invitation(),
				this.entraCompany.key());
		this.users = this.tenant.subscriptions()
			.stream()
			.filter(s -> s.resource().equals("/users"))
			.findFirst()
			.orElseThrow();
		assertThat(this.users.notificationUrl()).isEqualTo(front + "/hooks/entra");
		// The test sends the notifications itself, each answer measured: the emulator's own are lost on purpose.
		this.entra.faults().missedNotificationShare(1.0);
		this.entraPeople = directory.memberUserIds();

		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults().https(false).rateLimit(1_000_000));
		this.org = this.okta.org();
		GeneratedOrg generated = this.org.generate(OrgSpec.people(this.people)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain("rolling-okta.example"));
		this.oktaCompany = company("rolling-okta");
		HttpResponse<String> oktaSaved = first.send("PUT", this.oktaCompany.host(), "/api/v1/integrations/okta",
				this.oktaCompany.key(), "application/json",
				JSON.writeValueAsString(Map.of("orgUrl", this.org.orgUrl(), "apiToken", this.org.apiToken(), "appId",
						this.org.appId(), "assignManagers", false, "invitationPolicy", "never")));
		assertThat(oktaSaved.statusCode()).as(oktaSaved.body()).isEqualTo(200);
		this.hookSecret = JSON.readTree(oktaSaved.body()).path("eventHookSecret").asString();
		assertThat(JSON.readTree(oktaSaved.body()).path("eventHookUrl").asString()).isEqualTo(front + "/hooks/okta");
		this.oktaPeople = generated.assignedUserIds();

		fullSync(this.entraCompany, "entra");
		fullSync(this.oktaCompany, "okta");
		assertThat(jobTitles(this.entraCompany, "entra")).hasSize(this.entraPeople.size());
		assertThat(jobTitles(this.oktaCompany, "okta")).hasSize(this.oktaPeople.size());
	}

	@AfterAll
	void stopCluster() throws Exception {
		// Each one whatever happened to the one before: nodes left running would outlive the test.
		List<AutoCloseable> started = new ArrayList<>();
		started.add(this.cluster);
		started.add(this.nodes);
		started.add(this.entra);
		started.add(this.okta);
		started.add(this.postgres);
		io.rollcall.support.ChildProcesses.closeAll(started.toArray(AutoCloseable[]::new));
	}

	@Test
	@Order(1)
	void rollingRestartWhenWebhooksArriveThenEveryDeliveryAcknowledgedAndEveryChangeApplied() throws Exception {
		Map<Integer, Long> logSizes = logSizes();
		if (this.warmSeconds > 0) {
			// Up to 100 a second first, then the full rate for half as long: nodes whose JIT is still compiling
			// carry 100 a second, not 500 (at 500 from cold, 12 % were acknowledged in the first minute).
			warmUp(Math.min(this.rate, 100), this.warmSeconds);
			if (this.rate > 100) {
				warmUp(this.rate, this.warmSeconds / 2);
			}
		}
		WebhookLoad load = new WebhookLoad(Duration.ofSeconds(60));
		load.start(this.rate, this::delivery);
		Thread.sleep(3000); // the load is steady before the first node stops
		List<String> restarts = new ArrayList<>();
		List<String> timeline = new ArrayList<>();
		try {
			for (int i = 0; i < this.nodes.size(); i++) {
				String name = "node" + (i + 1);
				timeline.add(Instant.now().toEpochMilli() + " " + name + " SIGTERM");
				long stopped = this.nodes.stop(i);
				timeline.add(Instant.now().toEpochMilli() + " " + name + " exited");
				long restarted = System.nanoTime();
				this.nodes.start(i);
				long healthy = this.nodes.awaitHealthy(i);
				timeline.add(Instant.now().toEpochMilli() + " " + name + " healthy");
				this.cluster.awaitHealthy(Duration.ofSeconds(30)); // the balancer sends to it again
				timeline.add(Instant.now().toEpochMilli() + " " + name + " in HAProxy");
				restarts.add(
						"node %d exited %d ms after SIGTERM, healthy %d ms after its start, back in HAProxy after %d ms"
							.formatted(i, stopped, healthy,
									Duration.ofNanos(System.nanoTime() - restarted).toMillis()));
			}
			Thread.sleep(2000);
		}
		finally {
			// What was seen until then is written down even when a node did not come back.
			load.stop();
			load.awaitSettled();
			restarts.forEach(line -> System.out.println("rolling: " + line));
			report("rolling restart", load);
			record("rolling", load, timeline);
		}

		long appliedAfter = awaitApplied(load);
		System.out.printf("rolling: every change applied %d ms after the load stopped%n", appliedAfter);
		load.tallies().forEach((provider, tally) -> {
			assertThat(tally.givenUp()).as("%s deliveries never acknowledged", provider).isZero();
			assertThat(tally.acknowledged()).as("%s deliveries acknowledged", provider).isEqualTo(tally.sent());
			// The balancer drains a stopping node before it closes: no delivery should even need a retry.
			assertThat(tally.refusedFirst()).as("%s deliveries refused or failed at first: %s", provider, tally)
				.isZero();
		});
		assertEveryAcknowledgedOktaEventRecorded();
		assertNoLostWorkInLogs(logSizes);
	}

	@Test
	@Order(2)
	void postgresRestartWhenWebhooksArriveThenRefusedWhileDownAndEveryAcknowledgedChangeApplied() throws Exception {
		for (int i = 0; i < this.nodes.size(); i++) {
			this.nodes.awaitHealthy(i);
		}
		List<Process> untouched = this.nodes.processes();
		WebhookLoad load = new WebhookLoad(Duration.ofSeconds(90));
		load.start(this.postgresRate, this::delivery);
		Thread.sleep(3000);
		this.postgres.stop();
		long downAt = System.nanoTime();
		Thread.sleep(5000); // the outage
		long upAt = System.nanoTime();
		this.postgres.startAgain();
		System.out.printf("postgres: down %d ms under %d deliveries a second%n",
				Duration.ofNanos(System.nanoTime() - downAt).toMillis(), this.postgresRate);
		Thread.sleep(5000);
		load.stop();
		load.awaitSettled();
		report("postgres restart", load);

		// Nothing can be stored while PostgreSQL is down: an attempt made and answered then must not be acknowledged.
		List<Answer> duringOutage = load.answers()
			.stream()
			.filter(a -> a.sentAt() > downAt + 500_000_000L && a.answeredAt() < upAt)
			.toList();
		System.out.printf("postgres: answers to attempts made while it was down: %s%n", duringOutage.stream()
			.collect(Collectors.groupingBy(Answer::status, java.util.TreeMap::new, Collectors.counting())));
		assertThat(duringOutage).as("answers while PostgreSQL was down").isNotEmpty();
		assertThat(duringOutage).noneMatch(Answer::acknowledged);
		assertThat(duringOutage).as("refused with a status the providers retry (5xx), or not answered in time")
			.allMatch(a -> a.status() >= 500 || a.status() < 0);

		long appliedAfter = awaitApplied(load);
		System.out.printf("postgres: every change applied %d ms after the load stopped%n", appliedAfter);
		load.tallies().forEach((provider, tally) -> {
			assertThat(tally.givenUp()).as("%s deliveries never acknowledged", provider).isZero();
			assertThat(tally.acknowledged()).isEqualTo(tally.sent());
		});
		assertEveryAcknowledgedOktaEventRecorded();
		for (int i = 0; i < this.nodes.size(); i++) {
			assertThat(this.nodes.process(i)).as("node %d was not restarted", i).isSameAs(untouched.get(i));
			this.nodes.awaitHealthy(i);
		}
	}

	/** Delivery {@code n}: Entra and Okta in turn, to the next person of each, whose job title becomes its own. */
	private Delivery delivery(int n) {
		String title = "rolling " + n;
		int turn = n / 2;
		if (n % 2 == 0) {
			String id = this.entraPeople.get(turn % this.entraPeople.size());
			this.tenant.updateUser(id, Map.of("jobTitle", title));
			String body = """
					{"value":[{"subscriptionId":"%s","subscriptionExpirationDateTime":"%s","changeType":"updated",\
					"resource":"Users/%s","clientState":"%s","tenantId":"%s",\
					"resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/%s","id":"%s"}}]}"""
				.formatted(this.users.id(), this.users.expirationDateTime(), id, this.users.clientState(),
						this.tenant.tenantId(), id, id);
			return new Delivery("entra", post("/hooks/entra", null, body));
		}
		String id = this.oktaPeople.get(turn % this.oktaPeople.size());
		this.org.updateProfile(id, Map.of("title", title));
		String uuid = UUID.randomUUID().toString();
		long micros = this.published.incrementAndGet();
		Instant at = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
		String body = """
				{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1",\
				"source":"%s","eventId":"%s","eventTime":"%s","contentType":"application/json","data":{"events":[{\
				"uuid":"%s","published":"%s","eventType":"user.account.update_profile",\
				"displayMessage":"Update user profile for Okta","actor":{"id":"00uadmin","type":"User"},\
				"outcome":{"result":"SUCCESS"},"target":[{"id":"%s","type":"User","alternateId":"%s"}]}]}}"""
			.formatted(this.org.orgUrl(), UUID.randomUUID(), at, uuid, at, id, id);
		this.sentOktaEvents.add(uuid);
		return new Delivery("okta", post("/hooks/okta", this.hookSecret, body));
	}

	private HttpRequest post(String path, String authorization, String body) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.cluster.port() + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	/**
	 * Waits until every person's job title in the directory (through the API) is the emulator's, which is the last
	 * value sent; the milliseconds from the end of the load.
	 */
	private long awaitApplied(WebhookLoad load) throws Exception {
		long deadline = System.nanoTime() + APPLIED_WITHIN.toNanos();
		Map<String, String> entraWanted = new HashMap<>();
		this.entraPeople.forEach(id -> entraWanted.put(id, this.tenant.user(id).orElseThrow().jobTitle()));
		Map<String, String> oktaWanted = new HashMap<>();
		this.oktaPeople.forEach(id -> oktaWanted.put(id, this.org.user(id).orElseThrow().profile("title")));
		Map<String, String> entraSeen = Map.of();
		Map<String, String> oktaSeen = Map.of();
		while (System.nanoTime() < deadline) {
			entraSeen = jobTitles(this.entraCompany, "entra");
			oktaSeen = jobTitles(this.oktaCompany, "okta");
			if (entraSeen.equals(entraWanted) && oktaSeen.equals(oktaWanted)) {
				return Duration.ofNanos(System.nanoTime() - load.stoppedAt()).toMillis();
			}
			Thread.sleep(250);
		}
		throw new AssertionError(
				"Not applied within %s of the load's end: %d of %d Entra ID people, %d of %d Okta people"
					.formatted(APPLIED_WITHIN, differing(entraSeen, entraWanted), entraWanted.size(),
							differing(oktaSeen, oktaWanted), oktaWanted.size()));
	}

	private static long differing(Map<String, String> seen, Map<String, String> wanted) {
		return wanted.entrySet().stream().filter(e -> !e.getValue().equals(seen.get(e.getKey()))).count();
	}

	/** The job titles of the company's people from {@code source}, by their id there, as the API (via HAProxy) has them. */
	private Map<String, String> jobTitles(Company company, String source) throws Exception {
		Map<String, String> titles = new HashMap<>();
		String cursor = null;
		do {
			HttpResponse<String> page = viaBalancer(company,
					"/api/v1/people?limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
			assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
			JsonNode json = JSON.readTree(page.body());
			for (JsonNode person : json.path("items")) {
				String id = person.path("externalIds").path(source).asString(null);
				if (id != null) {
					titles.put(id, person.path("jobTitle").asString(null));
				}
			}
			cursor = json.path("nextCursor").asString(null);
		}
		while (cursor != null);
		return titles;
	}

	private HttpResponse<String> viaBalancer(Company company, String path) throws Exception {
		return java.net.http.HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.cluster.port() + path))
				.header("Host", company.host())
				.header("Authorization", company.key())
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Each acknowledged Okta event is in {@code okta_event} (kept a week by uuid): acknowledged means stored. */
	private void assertEveryAcknowledgedOktaEventRecorded() throws Exception {
		Set<String> recorded = new HashSet<>();
		try (Connection db = this.postgres.connect();
				PreparedStatement select = db.prepareStatement("select uuid from okta_event")) {
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					recorded.add(rows.getString(1));
				}
			}
		}
		Set<String> missing = new HashSet<>(this.sentOktaEvents);
		missing.removeAll(recorded);
		assertThat(missing).as("Okta events sent (and acknowledged) but not recorded").isEmpty();
	}

	/**
	 * Writes every attempt (wall-clock milliseconds) and the restarts' moments beside HAProxy's log, to set the answers
	 * that came late against what the nodes and the balancer were doing then.
	 */
	private void record(String scenario, WebhookLoad load, List<String> timeline) throws Exception {
		java.nio.file.Path dir = this.cluster.log().getParent();
		long nanoNow = System.nanoTime();
		long wallNow = Instant.now().toEpochMilli();
		List<String> lines = new ArrayList<>();
		lines.add("provider,attempt,sent_ms,answer_ms,status,node");
		for (Answer a : load.answers()) {
			lines.add("%s,%d,%d,%d,%d,%s".formatted(a.provider(), a.attempt(),
					wallNow - (nanoNow - a.sentAt()) / 1_000_000, (a.answeredAt() - a.sentAt()) / 1_000_000, a.status(),
					a.node()));
		}
		Files.write(dir.resolve(scenario + "-answers.csv"), lines);
		Files.write(dir.resolve(scenario + "-timeline.txt"), timeline);
		System.out.printf("%s: answers, timeline and HAProxy's log in %s; nodes' logs %s%n", scenario, dir,
				java.util.stream.IntStream.range(0, this.nodes.size())
					.mapToObj(i -> this.nodes.node(i).log())
					.toList());
	}

	/** The load at {@code perSecond} for {@code seconds}; held to the same end, told apart from the restart's figures. */
	private void warmUp(int perSecond, int seconds) throws Exception {
		WebhookLoad warm = new WebhookLoad(Duration.ofSeconds(60));
		warm.start(perSecond, this::delivery);
		Thread.sleep(seconds * 1000L);
		warm.stop();
		warm.awaitSettled();
		report("warm-up (" + seconds + " s at " + perSecond + " a second)", warm);
		warm.tallies().forEach((provider, tally) -> {
			assertThat(tally.givenUp()).as("%s deliveries never acknowledged in the warm-up", provider).isZero();
			assertThat(tally.acknowledged()).isEqualTo(tally.sent());
		});
	}

	private void report(String scenario, WebhookLoad load) {
		System.out.printf("%s: %d deliveries planned at %.0f a second%n", scenario, load.planned(), load.rate());
		Map<String, Tally> tallies = load.tallies();
		tallies.forEach((provider, tally) -> System.out.printf("%s: %s %s%n", scenario, provider, tally));
	}

	/** Log lines that mean work was lost or a request failed on the node's side. */
	private void assertNoLostWorkInLogs(Map<Integer, Long> before) throws Exception {
		List<String> bad = new ArrayList<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			String log = Files.readString(this.nodes.node(i).log());
			String since = log.substring((int) Math.min(before.get(i), log.length()));
			int node = i;
			since.lines()
				.filter(line -> line.contains(" ERROR ") || line.contains("could not be handled")
						|| line.contains("could not be drained") || line.contains("Unexpected failure"))
				.forEach(line -> bad.add("node " + node + ": " + line));
		}
		assertThat(bad).as("errors in the nodes' logs").isEmpty();
	}

	private Map<Integer, Long> logSizes() throws Exception {
		Map<Integer, Long> sizes = new HashMap<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			sizes.put(i, Files.size(this.nodes.node(i).log()));
		}
		return sizes;
	}

	private Company company(String slug) throws Exception {
		JsonNode made = JSON.readTree(this.nodes.node(0)
			.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
					"{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"ownerEmail\":\"owner@" + slug + ".test\"}")
			.body());
		return new Company(slug, "Bearer " + made.path("apiKey").path("secret").asString(), "owner@" + slug + ".test",
				made.path("ownerInvitationUrl").asString());
	}

	private void fullSync(Company company, String source) throws Exception {
		JarNode node = this.nodes.node(0);
		HttpResponse<String> started = node.post(company.host(), "/api/v1/integrations/" + source + "/sync-runs",
				company.key(), "{}");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		String id = JSON.readTree(started.body()).path("id").asString();
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		String status;
		do {
			Thread.sleep(200);
			status = JSON.readTree(node.get(company.host(), "/api/v1/sync-runs/" + id, company.key()).body())
				.path("status")
				.asString();
		}
		while (!Set.of("succeeded", "failed").contains(status) && System.nanoTime() < deadline);
		assertThat(status).as("%s's full sync", source).isEqualTo("succeeded");
	}

	private record Company(String slug, String key, String owner, String invitation) {

		String host() {
			return this.slug + ".localhost";
		}

	}

}
