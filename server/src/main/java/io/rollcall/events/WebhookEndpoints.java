package io.rollcall.events;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretBox;
import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A company's webhook endpoints, as admins manage them in the console and the API: register one (its secret shown
 * once), change it, turn it off and on, rotate its secret, send a test event, read its deliveries and send any of them
 * again. Deliveries themselves are the {@link WebhookDispatcher}'s.
 */
@Service
public class WebhookEndpoints {

	/** The most events one replay of a time range sends again. */
	static final int MOST_REPLAYED = 100_000;

	private static final int MAX_URL = 2_000;

	private static final int MAX_DESCRIPTION = 500;

	private final WebhookEndpointStore store;

	private final WebhookDeliveries deliveries;

	private final WebhookSender sender;

	private final WebhookDispatcher dispatcher;

	private final WebhookSettings settings;

	private final EventFeed feed;

	private final SecretBox secrets;

	private final AuditLog audit;

	private final ObjectMapper json;

	private final Clock clock;

	WebhookEndpoints(WebhookEndpointStore store, WebhookDeliveries deliveries, WebhookSender sender,
			WebhookDispatcher dispatcher, WebhookSettings settings, EventFeed feed, SecretBox secrets, AuditLog audit,
			ObjectMapper json, Clock clock) {
		this.store = store;
		this.deliveries = deliveries;
		this.sender = sender;
		this.dispatcher = dispatcher;
		this.settings = settings;
		this.feed = feed;
		this.secrets = secrets;
		this.audit = audit;
		this.json = json;
		this.clock = clock;
	}

	public List<WebhookEndpoint> list(UUID companyId) {
		return this.store.list(companyId);
	}

	public WebhookEndpoint get(UUID companyId, UUID id) {
		return this.store.find(companyId, id).orElseThrow(() -> RequestRejectedException.notFound("webhook endpoint"));
	}

	/** Registers an endpoint; it hears the events committed from now on. */
	@Transactional
	public NewWebhookSecret create(UUID companyId, String url, String description, List<String> eventTypes,
			Actor actor) {
		String checkedUrl = checkUrl(url);
		String text = description(description);
		List<String> types = eventTypes(eventTypes);
		String secret = WebhookSignature.newSecret();
		UUID id = UUID.randomUUID();
		this.store.insert(id, companyId, checkedUrl, text, types, this.secrets.seal(secret), this.clock.instant(),
				this.feed.lastPosition());
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		changes.put("url", new FieldChange(null, checkedUrl));
		changes.put("eventTypes", new FieldChange(null, types));
		this.audit.record(companyId, actor, "webhook_endpoint", id, "created", changes);
		return new NewWebhookSecret(get(companyId, id), secret);
	}

	/** Changes what is given (null leaves a field as it is); enabling again resumes where deliveries stopped. */
	@Transactional
	public WebhookEndpoint update(UUID companyId, UUID id, String url, String description, List<String> eventTypes,
			Boolean enabled, Actor actor) {
		WebhookEndpoint before = get(companyId, id);
		String newUrl = url == null ? before.url() : checkUrl(url);
		String newDescription = description == null ? before.description() : description(description);
		List<String> newTypes = eventTypes == null ? before.eventTypes() : eventTypes(eventTypes);
		Instant now = this.clock.instant();
		this.store.update(id, newUrl, newDescription, newTypes, now);
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		if (!newUrl.equals(before.url())) {
			changes.put("url", new FieldChange(before.url(), newUrl));
		}
		if (!newTypes.equals(before.eventTypes())) {
			changes.put("eventTypes", new FieldChange(before.eventTypes(), newTypes));
		}
		if (enabled != null && enabled != before.enabled()) {
			this.store.enable(id, enabled, "Disabled by " + actor.label(), now);
			changes.put("enabled", new FieldChange(before.enabled(), enabled));
		}
		if (!changes.isEmpty()) {
			this.audit.record(companyId, actor, "webhook_endpoint", id, "updated", changes);
		}
		this.dispatcher.wake();
		return get(companyId, id);
	}

	@Transactional
	public void delete(UUID companyId, UUID id, Actor actor) {
		WebhookEndpoint endpoint = get(companyId, id);
		this.store.delete(id);
		this.audit.record(companyId, actor, "webhook_endpoint", id, "deleted",
				Map.of("url", new FieldChange(endpoint.url(), null)));
	}

	/**
	 * A new secret, shown this once. Until {@code window} has passed (null: the operator's default, 24 hours), each
	 * delivery carries two signatures, one by each secret, so the receiver can switch whenever it likes.
	 */
	@Transactional
	public NewWebhookSecret rotateSecret(UUID companyId, UUID id, Duration window, Actor actor) {
		get(companyId, id);
		Duration overlap = window == null ? this.settings.rotationWindow() : window;
		if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
			throw RequestRejectedException.invalid("windowHours",
					"The old secret stays valid between 0 hours and 7 days");
		}
		String secret = WebhookSignature.newSecret();
		Instant now = this.clock.instant();
		this.store.rotate(id, this.secrets.seal(secret), now.plus(overlap), now);
		this.audit.record(companyId, actor, "webhook_endpoint", id, "secret_rotated",
				Map.of("previousSecretValidUntil", new FieldChange(null, now.plus(overlap).toString())));
		return new NewWebhookSecret(get(companyId, id), secret);
	}

	/** Sends a {@code webhook.test} event at once (never in the feed) and returns how it went; it is not retried. */
	public WebhookDelivery sendTest(UUID companyId, UUID id, Actor actor) {
		WebhookEndpoint endpoint = get(companyId, id);
		WebhookEndpointStore.Target target = this.store.target(id).orElseThrow();
		Instant now = this.clock.instant();
		Map<String, Object> subject = new LinkedHashMap<>();
		subject.put("id", id);
		subject.put("url", endpoint.url());
		subject.put("description", endpoint.description());
		Event event = new Event("evt_test_" + UUID.randomUUID().toString().replace("-", ""),
				EventType.WEBHOOK_TEST.dotted(),
				companyId, now, actor, null, "webhook_endpoint", id, this.json.writeValueAsString(subject), "{}", null);
		String body = this.json.writeValueAsString(event);
		WebhookSender.Attempt attempt;
		try {
			URI uri = WebhookAddresses.check(endpoint.url(), this.settings.allowPrivateAddresses());
			attempt = this.sender.send(uri, event.id(), body, WebhookSignature.signer(keys(target, now)));
		}
		catch (WebhookAddresses.Refused ex) {
			attempt = new WebhookSender.Attempt(0, 0, "Not sent: " + ex.getMessage());
		}
		return this.deliveries.recordTest(id, event.type(), body, attempt, now);
	}

	/** The endpoint's deliveries, newest first; {@code before} a delivery id to read older ones. */
	public List<WebhookDelivery> deliveries(UUID companyId, UUID id, Long before, int limit) {
		get(companyId, id);
		if (limit < 1 || limit > 500) {
			throw RequestRejectedException.invalid("limit", "'limit' must be between 1 and 500");
		}
		return this.deliveries.list(id, before, limit);
	}

	/** Sends a delivery's event again, with the same id, after what its subject still waits for. */
	@Transactional
	public WebhookDelivery replay(UUID companyId, UUID id, long deliveryId, Actor actor) {
		get(companyId, id);
		this.deliveries.find(id, deliveryId).orElseThrow(() -> RequestRejectedException.notFound("delivery"));
		long replayed = this.deliveries.replay(id, deliveryId, this.clock.instant());
		this.dispatcher.wake();
		return this.deliveries.find(id, replayed).orElseThrow();
	}

	/** Sends again every event the endpoint wants that happened in [from, to); returns how many. */
	@Transactional
	public int replayRange(UUID companyId, UUID id, Instant from, Instant to, Actor actor) {
		WebhookEndpoint endpoint = get(companyId, id);
		if (from == null || to == null || !from.isBefore(to)) {
			throw RequestRejectedException.invalid("from", "Give a time range with 'from' before 'to'");
		}
		int count = this.deliveries.replayRange(id, companyId,
				EventTypes.parse(String.join(",", endpoint.eventTypes())),
				from, to, this.clock.instant(), MOST_REPLAYED);
		this.dispatcher.wake();
		return count;
	}

	private List<String> keys(WebhookEndpointStore.Target target, Instant now) {
		List<String> keys = new ArrayList<>(List.of(this.secrets.open(target.secret())));
		if (target.previousSecret() != null && target.previousSecretUntil() != null
				&& target.previousSecretUntil().isAfter(now)) {
			keys.add(this.secrets.open(target.previousSecret()));
		}
		return keys;
	}

	private String checkUrl(String url) {
		if (url == null || url.isBlank()) {
			throw RequestRejectedException.invalid("url", "Give the URL deliveries are sent to");
		}
		if (url.length() > MAX_URL) {
			throw RequestRejectedException.invalid("url", "The URL is longer than " + MAX_URL + " characters");
		}
		try {
			return WebhookAddresses.check(url, this.settings.allowPrivateAddresses()).toString();
		}
		catch (WebhookAddresses.Refused ex) {
			throw RequestRejectedException.invalid("url", ex.getMessage());
		}
	}

	private static String description(String description) {
		String text = description == null ? "" : description.strip();
		if (text.length() > MAX_DESCRIPTION) {
			throw RequestRejectedException.invalid("description",
					"The description is at most " + MAX_DESCRIPTION + " characters");
		}
		return text;
	}

	/** Each type checked against the list of types, so that a typo is refused instead of never matching. */
	private static List<String> eventTypes(List<String> eventTypes) {
		if (eventTypes == null) {
			return List.of();
		}
		List<String> types = new ArrayList<>();
		for (String raw : eventTypes) {
			String type = raw == null ? "" : raw.strip();
			if (type.isEmpty() || types.contains(type)) {
				continue;
			}
			boolean known = type.endsWith(".*")
					? java.util.Arrays.stream(EventType.values()).anyMatch(t -> (t.subject() + ".*").equals(type))
					: java.util.Arrays.stream(EventType.values()).anyMatch(t -> t.dotted().equals(type));
			if (!known || type.equals(EventType.WEBHOOK_TEST.dotted())) {
				throw RequestRejectedException.invalid("eventTypes", "'" + type
						+ "' is not an event type; name types like person.created, or every type of a subject like person.*");
			}
			types.add(type);
		}
		return List.copyOf(types);
	}

}
