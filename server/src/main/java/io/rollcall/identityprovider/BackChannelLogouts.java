package io.rollcall.identityprovider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.QueueWorker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
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
 * {@code {slug}} replaced by the company's). The queue is a table: a row stays until the application answered 2xx
 * or the attempts ran out, so a node that stops, or an application that is down a while, loses no logout.
 */
@Component
final class BackChannelLogouts implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BackChannelLogouts.class);

	static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

	private static final int MAX_ATTEMPTS = 12;

	private static final int BATCH = 50;

	private final JdbcClient jdbc;

	private final IdentityProviderStores stores;

	/** Looked up when sending: Companies audits its changes, and the audit's listeners include Departures, which wakes this. */
	private final ObjectProvider<Companies> companies;

	private final CompanyHosts hosts;

	private final NimbusJwtEncoder encoder;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final QueueWorker worker = new QueueWorker("backchannel-logout", Duration.ofSeconds(30), this::sendDue);

	BackChannelLogouts(JdbcClient jdbc, IdentityProviderStores stores, ObjectProvider<Companies> companies, CompanyHosts hosts,
			SigningKeys keys) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
		this.stores = stores;
		this.companies = companies;
		this.hosts = hosts;
		this.encoder = new NimbusJwtEncoder(keys);
		this.encoder.setJwkSelector(candidates -> candidates.getFirst());
	}

	private record Due(long id, UUID companyId, UUID personId, String registeredClientId, int attempts) {
	}

	/** Sends what was queued in the current transaction once it commits. */
	void wakeAfterCommit() {
		this.worker.wakeAfterCommit();
	}

	private void sendDue() {
		List<Due> due;
		do {
			due = this.jdbc.sql("""
					select id, company_id, person_id, registered_client_id, attempts from backchannel_logout
					where next_attempt_at <= now() order by id limit :batch
					""").param("batch", BATCH)
				.query((rs, n) -> new Due(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
						rs.getString(4), rs.getInt(5)))
				.list();
			due.forEach(this::send);
		}
		while (due.size() == BATCH);
	}

	private void send(Due logout) {
		// Claimed first: another node draining at the same time skips it (no row, or a later attempt time).
		int claimed = this.jdbc.sql("""
				update backchannel_logout set attempts = attempts + 1,
				    next_attempt_at = now() + make_interval(secs => least(3600, power(2, attempts + 1)))
				where id = :id and attempts = :attempts
				""").param("id", logout.id()).param("attempts", logout.attempts()).update();
		if (claimed == 0) {
			return;
		}
		RegisteredClient client = this.stores.registeredClients().findById(logout.registeredClientId());
		String uri = client == null ? null : client.getClientSettings().getSetting(Applications.BACKCHANNEL_LOGOUT_URI);
		if (uri == null) {
			done(logout.id());
			return;
		}
		Company company = this.companies.getObject().get(logout.companyId());
		String target = uri.replace(CompanyClients.STORED_PLACEHOLDER, company.slug());
		try {
			HttpResponse<Void> answer = this.http.send(HttpRequest.newBuilder(URI.create(target))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("logout_token="
						+ URLEncoder.encode(token(company, client, logout.personId()), StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (answer.statusCode() / 100 == 2) {
				done(logout.id());
				return;
			}
			failed(logout, "answered " + answer.statusCode());
		}
		catch (java.io.IOException ex) {
			failed(logout, ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The logout token: who left, for which application, from which issuer; never a nonce (spec, section 2.4). */
	private String token(Company company, RegisteredClient client, UUID personId) {
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.hosts.baseUrl(company))
			.audience(List.of(client.getClientId()))
			.subject(personId.toString())
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(2)))
			.id(UUID.randomUUID().toString())
			.claim("events", Map.of(EVENT, Map.of()))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("logout+jwt").build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	private void done(long id) {
		this.jdbc.sql("delete from backchannel_logout where id = :id").param("id", id).update();
	}

	private void failed(Due logout, String why) {
		if (logout.attempts() + 1 >= MAX_ATTEMPTS) {
			log.warn("Back-channel logout of person {} to application {} given up after {} attempts: {}",
					logout.personId(), logout.registeredClientId(), MAX_ATTEMPTS, why);
			done(logout.id());
			return;
		}
		log.info("Back-channel logout of person {} to application {} failed ({}), tried again later", logout.personId(),
				logout.registeredClientId(), why);
	}

	@Override
	public void start() {
		this.worker.start();
	}

	@Override
	public void stop() {
		this.worker.stop();
	}

	@Override
	public boolean isRunning() {
		return this.worker.isRunning();
	}

}
