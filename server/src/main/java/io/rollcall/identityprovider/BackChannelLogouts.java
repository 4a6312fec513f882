package io.rollcall.identityprovider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.ClockCheck;
import io.rollcall.platform.OutboundHttp;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.QueueWorkerLifecycle;
import io.rollcall.platform.RetrySchedule;

import org.apache.hc.core5.http.ContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Sends OpenID Connect Back-Channel Logout tokens to the applications of people who left: a JWT signed with the
 * company issuer's key, naming the person by {@code sub}, POSTed to the application's back-channel logout URI (its
 * {@code {slug}} replaced by the company's) through {@link OutboundHttp}, tried again on the {@link RetrySchedule}.
 * The queue is a table: a row stays until the application answered 2xx, so a node that stops loses no logout; one
 * still failing after the schedule's three days is kept as failed, with its last attempt, for the operator to see
 * and retry ({@link BackChannelLogoutsApi}), and deleted {@link #FAILED_RETENTION} after that.
 * <p>
 * The token is made when sent, valid for {@link #TOKEN_LIFETIME}: a logout waiting for days never arrives stale. A
 * person reactivated meanwhile is still logged out: their tokens were revoked when they left, so the application's
 * session for them is over anyway, and a logout is harmless.
 * <p>
 * A node whose clock is out of tolerance ({@link ClockCheck}) sends none: the others do, or it does once its clock is
 * right again.
 */
@Component
final class BackChannelLogouts implements QueueWorkerLifecycle, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(BackChannelLogouts.class);

	static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

	/**
	 * A registered client's setting: true sends its logouts to public addresses only (checked as each connection is
	 * made), for applications a company registers itself. Applications the operator registers may live on the
	 * platform's own network, so they are reached at any address.
	 */
	static final String PUBLIC_ADDRESSES_ONLY = "settings.client.rollcall.backchannel-logout-public-addresses-only";

	static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

	static final Duration FAILED_RETENTION = Duration.ofDays(30);

	/** Sent at once: one slow application holds a batch for at most the exchange deadline, not 50 of them. */
	private static final int BATCH = 50;

	/** A claimed row is not picked up again (by this node or another) until then, unless its outcome is written. */
	private static final Duration CLAIM = OutboundHttp.ANSWER_TIMEOUT.plus(Duration.ofMinutes(1));

	private final JdbcClient jdbc;

	private final IdentityProviderStores stores;

	/** Looked up when sending: Companies audits its changes, and the audit's listeners include Departures, which wakes this. */
	private final ObjectProvider<Companies> companies;

	private final CompanyHosts hosts;

	private final Clock clock;

	private final NimbusJwtEncoder encoder;

	private final ClockCheck clockCheck;

	private final OutboundHttp anyAddress = OutboundHttp.toAnyAddress("Rollcall-Logout/1", BATCH);

	private final OutboundHttp publicAddresses = new OutboundHttp("Rollcall-Logout/1", BATCH, () -> false,
			"this application's back-channel logouts go to public addresses only");

	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

	private final QueueWorker worker = new QueueWorker("backchannel-logout", Duration.ofSeconds(30), this::sendDue);

	BackChannelLogouts(JdbcClient jdbc, IdentityProviderStores stores, ObjectProvider<Companies> companies,
			CompanyHosts hosts,
			SigningKeys keys, Clock clock, ClockCheck clockCheck) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(stores, "stores cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(clockCheck, "clockCheck cannot be null");
		this.jdbc = jdbc;
		this.stores = stores;
		this.companies = companies;
		this.hosts = hosts;
		this.clock = clock;
		this.encoder = new NimbusJwtEncoder(keys);
		this.encoder.setJwkSelector(candidates -> candidates.getFirst());
		this.clockCheck = clockCheck;
		// What waited while the clock was wrong goes at once, not at the next poll: a departure is due within seconds.
		clockCheck.whenTrustChanges(trusted -> {
			if (trusted) {
				this.worker.wake();
			}
		});
	}

	/** @param attempts those made before this one */
	private record Due(long id, UUID companyId, UUID personId, String registeredClientId, int attempts,
			Instant triedSince) {
	}

	/** Where a logout goes and with which client; null when the application has no back-channel logout URI (any more). */
	private record Target(URI uri, RegisteredClient client, Company company, OutboundHttp http) {
	}

	/** Sends what was queued in the current transaction once it commits. */
	void wakeAfterCommit() {
		this.worker.wakeAfterCommit();
	}

	/** Looks for due logouts at once (after the clock moved, in tests). */
	void wake() {
		this.worker.wake();
	}

	private void sendDue() {
		// A node whose clock is out of tolerance would date the token by it (iat minutes ahead, or exp already past: the
		// application refuses it, and the logout would be retried and given up by that same clock), and claim rows by
		// it: the others send, or this node once its clock is right. The rows wait in the table meanwhile.
		if (!this.clockCheck.trusted()) {
			return;
		}
		Map<String, RegisteredClient> clients = new HashMap<>();
		Map<UUID, Company> companiesById = new HashMap<>();
		Map<String, Integer> givenUp = new TreeMap<>();
		List<Due> due;
		do {
			Instant now = this.clock.instant();
			// Claimed in one statement: a node draining at the same time skips these rows (locked, then not due). The
			// attempt is counted with its outcome, so that the operator sees count, time and answer of the same attempt.
			due = this.jdbc.sql("""
					update backchannel_logout set next_attempt_at = :claimedUntil
					where id in (select id from backchannel_logout where status = 'pending' and next_attempt_at <= :now
					             order by id limit :batch for update skip locked)
					returning id, company_id, person_id, registered_client_id, attempts, tried_since
					""")
				.param("now", Timestamp.from(now))
				.param("claimedUntil", Timestamp.from(now.plus(CLAIM)))
				.param("batch", BATCH)
				.query((rs, n) -> new Due(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
						rs.getString(4), rs.getInt(5), rs.getTimestamp(6).toInstant()))
				.list();
			List<Future<OutboundHttp.Answer>> sent = new ArrayList<>(due.size());
			for (Due logout : due) {
				Target target;
				try {
					target = target(logout, clients, companiesById);
				}
				catch (RuntimeException ex) {
					// Counted as a failed attempt: a row that cannot be sent ends failed and shown, not retried unseen.
					sent.add(CompletableFuture.completedFuture(new OutboundHttp.Answer(0, 0, "Not sent: " + ex)));
					continue;
				}
				sent.add(target == null ? null : this.senders.submit(() -> send(logout, target)));
			}
			List<Long> delivered = new ArrayList<>();
			for (int i = 0; i < due.size(); i++) {
				Due logout = due.get(i);
				OutboundHttp.Answer answer = outcome(sent.get(i));
				if (answer == null) {
					log.info("Back-channel logout of person {} not sent: application {} has no back-channel logout URI "
							+ "any more", logout.personId(), logout.registeredClientId());
					delivered.add(logout.id());
				}
				else if (answer.delivered()) {
					delivered.add(logout.id());
				}
				else if (failed(logout, answer)) {
					givenUp.merge(logout.registeredClientId(), 1, Integer::sum);
				}
			}
			this.jdbc.sql("delete from backchannel_logout where id = any(:ids)")
				.param("ids", delivered.toArray(Long[]::new))
				.update();
		}
		while (due.size() == BATCH);
		givenUp
			.forEach((client, count) -> log.warn("Back-channel logout: {} logout(s) to application {} given up after "
					+ "{} days of failed attempts and kept as failed; see GET /api/v1/applications/{}/logouts?status=failed "
					+ "and retry with POST .../logouts/retry", count, client, RetrySchedule.GIVE_UP_AFTER.toDays(),
					client));
	}

	private Target target(Due logout, Map<String, RegisteredClient> clients, Map<UUID, Company> companiesById) {
		RegisteredClient client = clients.computeIfAbsent(logout.registeredClientId(),
				id -> this.stores.registeredClients().findById(id));
		String uri = client == null ? null : client.getClientSettings().getSetting(Applications.BACKCHANNEL_LOGOUT_URI);
		if (uri == null) {
			return null;
		}
		Company company = companiesById.computeIfAbsent(logout.companyId(), id -> this.companies.getObject().get(id));
		boolean publicOnly = Boolean.TRUE.equals(client.getClientSettings().getSetting(PUBLIC_ADDRESSES_ONLY));
		return new Target(URI.create(uri.replace(CompanyClients.STORED_PLACEHOLDER, company.slug())), client, company,
				publicOnly ? this.publicAddresses : this.anyAddress);
	}

	private OutboundHttp.Answer send(Due logout, Target target) {
		return target.http()
			.post(target.uri(), Map.of(), "logout_token="
					+ URLEncoder.encode(token(target.company(), target.client(), logout.personId()),
							StandardCharsets.UTF_8),
					ContentType.APPLICATION_FORM_URLENCODED);
	}

	private static OutboundHttp.Answer outcome(Future<OutboundHttp.Answer> sent) {
		if (sent == null) {
			return null;
		}
		try {
			return sent.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new OutboundHttp.Answer(0, 0, "Interrupted while sending (Rollcall stopping)");
		}
		catch (ExecutionException ex) {
			// Making the token failed (no signing key?): kept and tried again like any failure.
			return new OutboundHttp.Answer(0, 0, "Not sent: " + ex.getCause());
		}
	}

	/** The logout token: who left, for which application, from which issuer; never a nonce (spec, section 2.4). */
	private String token(Company company, RegisteredClient client, UUID personId) {
		// The real time, not the service's clock: the application checks exp against its own clock.
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.hosts.baseUrl(company))
			.audience(List.of(client.getClientId()))
			.subject(personId.toString())
			.issuedAt(now)
			.expiresAt(now.plus(TOKEN_LIFETIME))
			.id(UUID.randomUUID().toString())
			.claim("events", Map.of(EVENT, Map.of()))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("logout+jwt").build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	/** Records the failed attempt and when to try again; true when this was the last try (the row is failed now). */
	private boolean failed(Due logout, OutboundHttp.Answer answer) {
		Instant now = this.clock.instant();
		int attempts = logout.attempts() + 1;
		Instant next = RetrySchedule.next(now, attempts, logout.triedSince());
		this.jdbc.sql("""
				update backchannel_logout set attempts = :attempts, status = :status, next_attempt_at = :next,
				    last_attempt_at = :now,
				    last_http_status = :httpStatus, last_latency_ms = :latency, last_answer = :answer,
				    failed_at = case when :status = 'failed' then cast(:now as timestamptz) end
				where id = :id
				""")
			.param("id", logout.id())
			.param("attempts", attempts)
			.param("status", next == null ? "failed" : "pending")
			.param("next", Timestamp.from(next == null ? now : next))
			.param("now", Timestamp.from(now))
			.param("httpStatus", answer.status())
			.param("latency", answer.latencyMs())
			.param("answer", answer.answer().length() > OutboundHttp.ANSWER_BYTES
					? answer.answer().substring(0, OutboundHttp.ANSWER_BYTES) : answer.answer())
			.update();
		log.debug("Back-channel logout of person {} to application {} failed ({}), tried again at {}",
				logout.personId(),
				logout.registeredClientId(), answer.answer(), next);
		return next == null;
	}

	/** The application's logouts waiting or failed, newest first; the registered client is known. */
	List<BackChannelLogoutsApi.Logout> of(String registeredClientId, BackChannelLogoutsApi.Status only, int limit) {
		Map<UUID, String> slugs = new HashMap<>();
		return this.jdbc.sql("""
				select id, company_id, person_id, status, attempts, created_at, last_attempt_at, last_http_status,
				       last_latency_ms, last_answer, next_attempt_at, failed_at
				from backchannel_logout
				where registered_client_id = :client and (cast(:status as text) is null or status = :status)
				order by id desc limit :limit
				""")
			.param("client", registeredClientId)
			.param("status", only == null ? null : only.name().toLowerCase(java.util.Locale.ROOT))
			.param("limit", limit)
			.query((rs, n) -> {
				UUID companyId = rs.getObject(2, UUID.class);
				String status = rs.getString(4);
				boolean failed = "failed".equals(status);
				return new BackChannelLogoutsApi.Logout(rs.getLong(1), companyId,
						slugs.computeIfAbsent(companyId, id -> this.companies.getObject().get(id).slug()),
						rs.getObject(3, UUID.class), status,
						rs.getInt(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
						(Integer) rs.getObject(8), (Integer) rs.getObject(9), rs.getString(10),
						failed ? null : instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)));
			})
			.list();
	}

	/** How many of the application's logouts wait and how many failed. */
	Map<BackChannelLogoutsApi.Status, Integer> counts(String registeredClientId) {
		Map<BackChannelLogoutsApi.Status, Integer> counts = new java.util.EnumMap<>(BackChannelLogoutsApi.Status.class);
		counts.put(BackChannelLogoutsApi.Status.PENDING, 0);
		counts.put(BackChannelLogoutsApi.Status.FAILED, 0);
		this.jdbc
			.sql("select status, count(*) from backchannel_logout where registered_client_id = :client group by status")
			.param("client", registeredClientId)
			.query((rs, n) -> counts.put(
					BackChannelLogoutsApi.Status.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)),
					rs.getInt(2)))
			.list();
		return counts;
	}

	/**
	 * Queues the application's failed logouts again, at once, for another {@link RetrySchedule#GIVE_UP_AFTER} of
	 * attempts (their attempts counted on); how many.
	 */
	int retryFailed(String registeredClientId) {
		Instant now = this.clock.instant();
		int requeued = this.jdbc.sql("""
				update backchannel_logout set status = 'pending', failed_at = null, next_attempt_at = :now,
				    tried_since = :now
				where registered_client_id = :client and status = 'failed'
				""").param("client", registeredClientId).param("now", Timestamp.from(now)).update();
		if (requeued > 0) {
			log.info("Back-channel logout: {} failed logout(s) to application {} queued again by the operator",
					requeued,
					registeredClientId);
			this.worker.wakeAfterCommit();
		}
		return requeued;
	}

	/** Deletes the logouts that failed more than {@link #FAILED_RETENTION} ago; how many. */
	int forgetFailed() {
		return this.jdbc.sql("delete from backchannel_logout where status = 'failed' and failed_at < :before")
			.param("before", Timestamp.from(this.clock.instant().minus(FAILED_RETENTION)))
			.update();
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	@Override
	public QueueWorker worker() {
		return this.worker;
	}

	@Override
	public void destroy() {
		this.senders.close();
		this.anyAddress.close();
		this.publicAddresses.close();
	}

}
