package io.rollcall.events;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The webhook_endpoint and webhook_endpoint_progress tables: what admins set, and how far each endpoint has been
 * delivered by which node. A node delivers to an endpoint only while it holds the endpoint's lease (database time, so
 * nodes with skewed clocks agree); a node that dies loses it when it runs out, and another node carries on from
 * {@code delivered_up_to}, sending again at most the batch that was under way.
 */
@Repository
class WebhookEndpointStore {

	private final JdbcClient jdbc;

	WebhookEndpointStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** What the dispatcher needs of an endpoint; its secrets still sealed. */
	record Target(UUID id, UUID companyId, String url, List<String> eventTypes, boolean enabled, String secret,
			String previousSecret, Instant previousSecretUntil, long deliveredUpTo, Instant failingSince) {
	}

	void insert(UUID id, UUID companyId, String url, String description, List<String> types, String sealedSecret,
			Instant now, long deliveredUpTo) {
		this.jdbc
			.sql("""
					insert into webhook_endpoint (id, company_id, url, description, event_types, secret, created_at, updated_at)
					values (:id, :company, :url, :description, :types, :secret, :now, :now)
					""")
			.param("id", id)
			.param("company", companyId)
			.param("url", url)
			.param("description", description)
			.param("types", types.toArray(String[]::new))
			.param("secret", sealedSecret)
			.param("now", Timestamp.from(now))
			.update();
		this.jdbc.sql("insert into webhook_endpoint_progress (endpoint_id, delivered_up_to) values (:id, :position)")
			.param("id", id)
			.param("position", deliveredUpTo)
			.update();
	}

	List<WebhookEndpoint> list(UUID companyId) {
		return this.jdbc
			.sql("""
					select e.*, p.failing_since from webhook_endpoint e join webhook_endpoint_progress p on p.endpoint_id = e.id
					where e.company_id = :company order by e.created_at, e.id
					""")
			.param("company", companyId)
			.query(this::endpoint)
			.list();
	}

	Optional<WebhookEndpoint> find(UUID companyId, UUID id) {
		return this.jdbc
			.sql("""
					select e.*, p.failing_since from webhook_endpoint e join webhook_endpoint_progress p on p.endpoint_id = e.id
					where e.company_id = :company and e.id = :id
					""")
			.param("company", companyId)
			.param("id", id)
			.query(this::endpoint)
			.optional();
	}

	void update(UUID id, String url, String description, List<String> types, Instant now) {
		this.jdbc
			.sql("""
					update webhook_endpoint set url = :url, description = :description, event_types = :types, updated_at = :now
					where id = :id
					""")
			.param("id", id)
			.param("url", url)
			.param("description", description)
			.param("types", types.toArray(String[]::new))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Turns deliveries on or off; returns whether this changed anything (a second disabling is not news). */
	boolean enable(UUID id, boolean enabled, String reason, Instant now) {
		int changed = this.jdbc.sql("""
				update webhook_endpoint set enabled = :enabled, disabled_reason = :reason, disabled_at = :disabledAt,
				    updated_at = :now
				where id = :id and enabled <> :enabled
				""")
			.param("id", id)
			.param("enabled", enabled)
			.param("reason", enabled ? null : reason)
			.param("disabledAt", enabled ? null : Timestamp.from(now))
			.param("now", Timestamp.from(now))
			.update();
		if (changed > 0 && enabled) {
			// A fresh start: the days of failure before the admin turned it on again do not count.
			this.jdbc.sql("update webhook_endpoint_progress set failing_since = null where endpoint_id = :id")
				.param("id", id)
				.update();
		}
		return changed > 0;
	}

	void delete(UUID id) {
		this.jdbc.sql("delete from webhook_endpoint where id = :id").param("id", id).update();
	}

	void rotate(UUID id, String sealedSecret, Instant previousUntil, Instant now) {
		this.jdbc.sql("""
				update webhook_endpoint set previous_secret = secret, previous_secret_until = :until, secret = :secret,
				    updated_at = :now
				where id = :id
				""")
			.param("id", id)
			.param("secret", sealedSecret)
			.param("until", Timestamp.from(previousUntil))
			.param("now", Timestamp.from(now))
			.update();
	}

	Optional<Target> target(UUID id) {
		return this.jdbc.sql("""
				select e.id, e.company_id, e.url, e.event_types, e.enabled, e.secret, e.previous_secret,
				       e.previous_secret_until, p.delivered_up_to, p.failing_since
				from webhook_endpoint e join webhook_endpoint_progress p on p.endpoint_id = e.id
				where e.id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Target(rs.getObject("id", UUID.class), rs.getObject("company_id", UUID.class),
					rs.getString("url"), strings(rs.getArray("event_types")), rs.getBoolean("enabled"),
					rs.getString("secret"), rs.getString("previous_secret"), instant(rs, "previous_secret_until"),
					rs.getLong("delivered_up_to"), instant(rs, "failing_since")))
			.optional();
	}

	/**
	 * Enabled endpoints that another node is not delivering to and that have something to send: events past their
	 * progress (one probe of the feed's index each) or a retry that is due.
	 */
	List<UUID> withWork(String node, Instant now) {
		return this.jdbc
			.sql("""
					select e.id from webhook_endpoint e join webhook_endpoint_progress p on p.endpoint_id = e.id
					where e.enabled and (p.lease_until is null or p.lease_until < now() or p.lease_owner = :node)
					  and (exists (select 1 from domain_event d where d.company_id = e.company_id and d.position > p.delivered_up_to)
					       or exists (select 1 from webhook_delivery w
					                  where w.endpoint_id = e.id and w.status = 'pending' and w.next_attempt_at <= :now))
					""")
			.param("node", node)
			.param("now", Timestamp.from(now))
			.query(UUID.class)
			.list();
	}

	/** Takes or renews the endpoint's lease for this node; false when another node holds it. */
	boolean lease(UUID id, String node, Duration lease) {
		return this.jdbc.sql("""
				update webhook_endpoint_progress set lease_owner = :node, lease_until = now() + cast(:lease as interval)
				where endpoint_id = :id and (lease_until is null or lease_until < now() or lease_owner = :node)
				""")
			.param("id", id)
			.param("node", node)
			.param("lease", lease.toSeconds() + " seconds")
			.update() > 0;
	}

	void release(UUID id, String node) {
		this.jdbc.sql("""
				update webhook_endpoint_progress set lease_owner = null, lease_until = null
				where endpoint_id = :id and lease_owner = :node
				""")
			.param("id", id)
			.param("node", node)
			.update();
	}

	/** Moves the endpoint's progress; false when this node no longer holds the lease (the batch is then sent again). */
	boolean advance(UUID id, String node, long position) {
		return this.jdbc.sql("""
				update webhook_endpoint_progress set delivered_up_to = greatest(delivered_up_to, :position)
				where endpoint_id = :id and lease_owner = :node
				""")
			.param("id", id)
			.param("node", node)
			.param("position", position)
			.update() > 0;
	}

	/** Records that an attempt failed; returns since when the endpoint has been failing. */
	Instant failing(UUID id, Instant now) {
		return this.jdbc.sql("""
				update webhook_endpoint_progress set failing_since = coalesce(failing_since, :now)
				where endpoint_id = :id
				returning failing_since
				""")
			.param("id", id)
			.param("now", Timestamp.from(now))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant)
			.orElse(now);
	}

	void succeeded(UUID id) {
		this.jdbc.sql(
				"update webhook_endpoint_progress set failing_since = null where endpoint_id = :id and failing_since is not null")
			.param("id", id)
			.update();
	}

	private WebhookEndpoint endpoint(ResultSet rs, int row) throws SQLException {
		return new WebhookEndpoint(rs.getObject("id", UUID.class), rs.getString("url"), rs.getString("description"),
				strings(rs.getArray("event_types")), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
				instant(rs, "disabled_at"), instant(rs, "previous_secret_until"), instant(rs, "failing_since"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static List<String> strings(Array array) throws SQLException {
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
