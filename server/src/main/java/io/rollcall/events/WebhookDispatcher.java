package io.rollcall.events;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rollcall.platform.ClockCheck;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.RetrySchedule;
import io.rollcall.platform.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers each endpoint's events. One thread per node looks for endpoints with work (woken when the sequencer numbers
 * events, and every poll for retries and other nodes' events); each endpoint it leases gets its own virtual thread, so
 * a slow or dead endpoint holds up nobody else. In an endpoint, events of different subjects are sent side by side and
 * those of one subject one after the other: an event waits ({@code queued}) while an earlier one of its subject is not
 * delivered, and the others go on. While the endpoint's company has {@link BulkWork} under way, its new events go at
 * {@link WebhookSettings#paceDuringRuns() a pace}, one batch a second.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	/** Events read and retries taken per pass. */
	static final int BATCH = 1_000;

	/** Subjects of one endpoint sent to at once. */
	static final int SUBJECTS_AT_ONCE = 32;

	/** Failing this long without a single success disables an endpoint. */
	static final Duration DISABLE_AFTER = Duration.ofDays(5);

	private final WebhookEndpointStore endpoints;

	private final WebhookDeliveries deliveries;

	private final WebhookSender sender;

	private final WebhookSettings settings;

	private final WebhookAlarm alarm;

	private final EventFeed feed;

	private final SecretBox secrets;

	private final ObjectMapper json;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final String node = UUID.randomUUID().toString();

	/** How long a node's claim on an endpoint lasts without renewal; a dead node's endpoints wait this long at most. */
	private final Duration lease;

	private final QueueWorker worker;

	/** Made at each start: a stopped executor cannot run again, and a lifecycle may be stopped and started. */
	private volatile ExecutorService threads;

	/** Endpoints this node is delivering to, each with "look again when done" for wakes that came meanwhile. */
	private final Map<UUID, AtomicBoolean> busy = new ConcurrentHashMap<>();

	private final Timer lag;

	private final Counter failures;

	private final MeterRegistry meters;

	private final List<BulkWork> bulkWork;

	private final ClockCheck clockCheck;

	WebhookDispatcher(WebhookEndpointStore endpoints, WebhookDeliveries deliveries, WebhookSender sender,
			WebhookSettings settings, WebhookAlarm alarm, EventFeed feed, Sequencer sequencer, SecretBox secrets,
			ObjectMapper json, Clock clock, TransactionTemplate transactions, MeterRegistry meters,
			List<BulkWork> bulkWork, ClockCheck clockCheck) {
		this.endpoints = endpoints;
		this.clockCheck = clockCheck;
		this.deliveries = deliveries;
		this.sender = sender;
		this.settings = settings;
		this.alarm = alarm;
		this.feed = feed;
		this.secrets = secrets;
		this.json = json;
		this.clock = clock;
		this.transactions = transactions;
		this.meters = meters;
		this.bulkWork = List.copyOf(bulkWork);
		this.lease = settings.lease();
		this.worker = new QueueWorker("webhook-dispatcher", settings.poll(), this::dispatch);
		this.lag = Timer.builder("rollcall.webhooks.delivery.lag")
			.description("From an event's commit to its delivery's success")
			.publishPercentiles(0.5, 0.95, 0.99)
			.register(meters);
		this.failures = Counter.builder("rollcall.webhooks.delivery.failures")
			.description("Delivery attempts that did not get a 2xx answer")
			.register(meters);
		sequencer.whenAdvanced(this::wake);
	}

	/** Look for work now: new events, a replay, an endpoint enabled again. */
	void wake() {
		this.worker.wake();
	}

	/** When this node last forgot old deliveries (real time): once an hour is plenty. */
	private volatile long forgotAt;

	private void dispatch() {
		// A node whose clock is out of tolerance would sign with its own time (receivers refuse a timestamp minutes
		// off, and the delivery would count as failed), and judge retries and retention by it: the others deliver.
		if (!this.clockCheck.trusted()) {
			return;
		}
		if (System.nanoTime() - this.forgotAt > Duration.ofHours(1).toNanos() || this.forgotAt == 0) {
			this.forgotAt = System.nanoTime();
			try {
				this.deliveries.forget(this.clock.instant().minus(this.settings.deliveryRetention()));
			}
			catch (RuntimeException ex) {
				log.warn("Old webhook deliveries could not be deleted; tried again in an hour: {}", ex.toString());
			}
		}
		for (UUID id : this.endpoints.withWork(this.node, this.clock.instant())) {
			AtomicBoolean again = new AtomicBoolean();
			AtomicBoolean running = this.busy.putIfAbsent(id, again);
			if (running != null) {
				running.set(true);
				continue;
			}
			if (!this.endpoints.lease(id, this.node, this.lease)) {
				this.busy.remove(id);
				continue;
			}
			this.threads.submit(() -> deliverTo(id, again));
		}
	}

	private void deliverTo(UUID id, AtomicBoolean again) {
		// A pass against a slow endpoint can outlast the lease: renewed meanwhile, so no other node starts on it.
		Thread heartbeat = Thread.ofVirtual().start(() -> {
			try {
				while (true) {
					Thread.sleep(this.lease.dividedBy(3));
					try {
						this.endpoints.lease(id, this.node, this.lease);
					}
					catch (RuntimeException ex) {
						log.warn("Webhook endpoint {}: could not renew its lease: {}", id, ex.toString());
					}
				}
			}
			catch (InterruptedException ex) {
				// the endpoint's turn is over
			}
		});
		try {
			boolean more = true;
			while (more && this.worker.isRunning()) {
				again.set(false);
				long started = System.nanoTime();
				Outcomes outcomes = pass(id);
				more = outcomes.worked | again.get();
				if (more && outcomes.paced) {
					long rest = PACED_PASS.toNanos() - (System.nanoTime() - started);
					if (rest > 0) {
						Thread.sleep(Duration.ofNanos(rest));
					}
				}
				if (more && !this.endpoints.lease(id, this.node, this.lease)) {
					return; // another node took it over after this one stalled: it carries on
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Webhook endpoint {}: a delivery pass failed and is tried again at the next poll: {}", id,
					ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt(); // stopping: the next start or another node carries on
		}
		finally {
			heartbeat.interrupt();
			this.endpoints.release(id, this.node);
			this.busy.remove(id);
			if (again.get()) {
				wake();
			}
		}
	}

	/** How long a paced pass lasts at least: its batch is the pace, so one a second. */
	private static final Duration PACED_PASS = Duration.ofSeconds(1);

	/** One batch of retries and one of new events; {@code worked} when it did something (there may be more). */
	private Outcomes pass(UUID id) {
		Outcomes outcomes = new Outcomes();
		WebhookEndpointStore.Target target = this.endpoints.target(id).orElse(null);
		if (target == null || !target.enabled()) {
			return outcomes;
		}
		Instant now = this.clock.instant();
		List<String> keys = new ArrayList<>(List.of(this.secrets.open(target.secret())));
		if (target.previousSecret() != null && target.previousSecretUntil() != null
				&& target.previousSecretUntil().isAfter(now)) {
			keys.add(this.secrets.open(target.previousSecret()));
		}
		BiFunction<String, String, WebhookSender.Attempt> send;
		try {
			URI uri = WebhookAddresses.check(target.url(), this.settings.allowPrivateAddresses());
			WebhookSignature.Signer signer = WebhookSignature.signer(keys);
			send = (eventId, body) -> this.sender.send(uri, eventId, body, signer);
		}
		catch (WebhookAddresses.Refused ex) {
			WebhookSender.Attempt refused = new WebhookSender.Attempt(0, 0, "Not sent: " + ex.getMessage());
			send = (eventId, body) -> refused;
		}
		outcomes.worked = retry(target, send, now, outcomes);
		outcomes.worked |= deliverNew(target, send, now, outcomes);
		settle(target, outcomes, now);
		return outcomes;
	}

	/** What a pass learnt about the endpoint. */
	private static final class Outcomes {

		/** Whether the pass did something: there may be more. */
		boolean worked;

		/** Whether its new events were paced, the company having bulk work under way. */
		boolean paced;

		volatile boolean succeeded;

		volatile boolean failed;

		volatile boolean gone;

		/** Failures since the last success in this pass. */
		final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();

		/**
		 * Whether the endpoint has failed {@link #GIVE_IT_A_REST} times in a row in this pass: the rest of the pass's
		 * events are not tried, only put off, so that a dead endpoint costs a few attempts a pass, not one per event.
		 */
		boolean resting() {
			return this.failuresInARow.get() >= GIVE_IT_A_REST;
		}

	}

	static final int GIVE_IT_A_REST = 10;

	private static final String NOT_TRIED = "Not tried: the endpoint failed " + GIVE_IT_A_REST
			+ " times in a row just before";

	private boolean retry(WebhookEndpointStore.Target target, BiFunction<String, String, WebhookSender.Attempt> send,
			Instant now, Outcomes outcomes) {
		List<WebhookDeliveries.Due> due = this.deliveries.due(target.id(), now, BATCH);
		if (due.isEmpty()) {
			return false;
		}
		Map<Long, Event> events = this.feed.byIds(target.companyId(),
				due.stream().map(WebhookDeliveries.Due::eventId).filter(Objects::nonNull).toList());
		Set<UUID> done = ConcurrentHashMap.newKeySet();
		inParallel(due, row -> {
			Event event = row.eventId() == null ? null : events.get(row.eventId());
			if (row.body() == null && event == null) {
				this.deliveries.recordAttempt(row.id(), WebhookDeliveries.FAILED, row.attempts(), null, null,
						"Not sent: the event is no longer kept (past the feed's retention)", now, null);
				done.add(subjectKey(row.subjectId()));
				return;
			}
			if (outcomes.resting()) {
				this.deliveries.postpone(row.id(), now.plus(RetrySchedule.delay(Math.max(row.attempts(), 1))));
				return;
			}
			String body = row.body() != null ? row.body() : body(event);
			String eventId = event != null ? event.id() : testId(row.body());
			WebhookSender.Attempt attempt = send.apply(eventId, body);
			int attempts = row.attempts() + 1;
			if (attempt.delivered()) {
				outcomes.succeeded = true;
				outcomes.failuresInARow.set(0);
				if (event != null && row.attempts() > 0) {
					// A retry's lag is the receiver's outage; a replay (no attempt yet) would only measure its age.
					this.lag.record(Duration.between(event.occurredAt(), Instant.now()));
				}
				this.deliveries.recordAttempt(row.id(), WebhookDeliveries.DELIVERED, attempts, attempt.status(),
						attempt.latencyMs(), attempt.answer(), now, null);
				done.add(subjectKey(row.subjectId()));
				return;
			}
			Instant next = failed(attempt, attempts, row.createdAt(), now, outcomes);
			this.deliveries.recordAttempt(row.id(), next == null ? WebhookDeliveries.FAILED : WebhookDeliveries.PENDING,
					attempts, attempt.status(), attempt.latencyMs(), attempt.answer(), now, next);
			if (next == null) {
				done.add(subjectKey(row.subjectId()));
			}
		});
		done.remove(NO_SUBJECT);
		this.deliveries.releaseNext(target.id(), done, now);
		return true;
	}

	private static final UUID NO_SUBJECT = new UUID(0, 0);

	private static UUID subjectKey(UUID subject) {
		return subject == null ? NO_SUBJECT : subject;
	}

	/** When to try a failed delivery again, or null to give up (after three days). */
	private Instant failed(WebhookSender.Attempt attempt, int attempts, Instant firstTried, Instant now,
			Outcomes outcomes) {
		this.failures.increment();
		outcomes.failed = true;
		outcomes.failuresInARow.incrementAndGet();
		if (attempt.gone()) {
			outcomes.gone = true;
			return now; // sent first when an admin enables the endpoint again
		}
		return RetrySchedule.next(now, attempts, firstTried);
	}

	private boolean deliverNew(WebhookEndpointStore.Target target,
			BiFunction<String, String, WebhookSender.Attempt> send, Instant now, Outcomes outcomes) {
		int pace = this.settings.paceDuringRuns();
		outcomes.paced = pace > 0 && this.bulkWork.stream().anyMatch(work -> work.underway(target.companyId()));
		EventPage page = this.feed.read(target.companyId(), new EventCursor(target.deliveredUpTo()),
				EventTypes.parse(String.join(",", target.eventTypes())),
				outcomes.paced ? Math.min(pace, BATCH) : BATCH);
		long next = EventCursor.decode(page.nextCursor()).position();
		if (page.items().isEmpty()) {
			// Nothing wanted in what the read looked through (other types, other companies): move past it, and read
			// on at once while that moves, as an endpoint far behind catches up a bounded scan at a time.
			return next > target.deliveredUpTo() && this.endpoints.advance(target.id(), this.node, next);
		}
		// Each subject's events in feed order; an event without a subject is a sequence of its own.
		Map<Object, List<Event>> bySubject = new LinkedHashMap<>();
		for (Event event : page.items()) {
			Object key = event.subjectId() != null ? event.subjectId() : event.id();
			bySubject.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
		}
		Set<UUID> subjects = new HashSet<>();
		page.items().stream().map(Event::subjectId).filter(Objects::nonNull).forEach(subjects::add);
		Set<UUID> waiting = this.deliveries.waitingSubjects(target.id(), subjects);
		List<WebhookDeliveries.Row> rows = Collections.synchronizedList(new ArrayList<>(page.items().size()));
		inParallel(List.copyOf(bySubject.values()), events -> {
			boolean held = events.getFirst().subjectId() != null && waiting.contains(events.getFirst().subjectId());
			for (Event event : events) {
				long eventId = Long.parseLong(event.id().substring("evt_".length()));
				if (held) {
					rows.add(new WebhookDeliveries.Row(target.id(), eventId, event.position(), event.type(),
							event.subjectId(), null, WebhookDeliveries.QUEUED, 0, null, null, null, now, null, null));
					continue;
				}
				if (outcomes.resting()) {
					rows.add(new WebhookDeliveries.Row(target.id(), eventId, event.position(), event.type(),
							event.subjectId(), null, WebhookDeliveries.PENDING, 0, null, null, NOT_TRIED, now, null,
							now.plus(RetrySchedule.delay(1))));
					held = event.subjectId() != null;
					continue;
				}
				WebhookSender.Attempt attempt = send.apply(event.id(), body(event));
				if (attempt.delivered()) {
					outcomes.succeeded = true;
					outcomes.failuresInARow.set(0);
					this.lag.record(Duration.between(event.occurredAt(), Instant.now()));
					rows.add(new WebhookDeliveries.Row(target.id(), eventId, event.position(), event.type(),
							event.subjectId(), null, WebhookDeliveries.DELIVERED, 1, attempt.status(),
							attempt.latencyMs(),
							blankToNull(attempt.answer()), now, now, null));
					continue;
				}
				Instant retryAt = failed(attempt, 1, now, now, outcomes);
				rows.add(new WebhookDeliveries.Row(target.id(), eventId, event.position(), event.type(),
						event.subjectId(),
						null, retryAt == null ? WebhookDeliveries.FAILED : WebhookDeliveries.PENDING, 1,
						attempt.status(),
						attempt.latencyMs(), attempt.answer(), now, now, retryAt));
				held = event.subjectId() != null;
			}
		});
		List<WebhookDeliveries.Row> ordered = new ArrayList<>(rows);
		ordered.sort(Comparator.comparing(WebhookDeliveries.Row::position));
		this.transactions.executeWithoutResult(status -> {
			this.deliveries.insert(ordered);
			if (!this.endpoints.advance(target.id(), this.node, next)) {
				// The lease ran out and another node has the endpoint: it sends this batch again (at least once).
				status.setRollbackOnly();
			}
		});
		return true;
	}

	/** After a pass: clears or notes the failing streak, and disables the endpoint on 410 or five days of failures. */
	private void settle(WebhookEndpointStore.Target target, Outcomes outcomes, Instant now) {
		if (outcomes.gone) {
			disable(target, "The endpoint answered 410 Gone, which says it no longer takes deliveries", now);
			return;
		}
		if (outcomes.succeeded) {
			this.endpoints.succeeded(target.id());
		}
		else if (outcomes.failed) {
			Instant since = this.endpoints.failing(target.id(), now);
			if (!since.plus(DISABLE_AFTER).isAfter(now)) {
				disable(target, "Every delivery has failed since " + since + " (five days)", now);
			}
		}
	}

	private void disable(WebhookEndpointStore.Target target, String reason, Instant now) {
		if (this.endpoints.enable(target.id(), false, reason, now)) {
			this.meters.counter("rollcall.webhooks.endpoints.disabled").increment();
			log.info("Webhook endpoint {} disabled: {}", target.id(), reason);
			this.alarm.endpointDisabled(target.companyId(), target.url(), reason);
		}
	}

	/** Bodies written lately, by event id: every endpoint hearing an event sends the same body, written once. */
	private final Map<String, String> bodies = new ConcurrentHashMap<>();

	/** Enough for a few batches of several endpoints; past it the map starts afresh (cheaper than keeping an order). */
	private static final int BODIES_KEPT = 20 * BATCH;

	private String body(Event event) {
		String body = this.bodies.get(event.id());
		if (body == null) {
			body = this.json.writeValueAsString(event.withoutCursor());
			if (this.bodies.size() >= BODIES_KEPT) {
				this.bodies.clear();
			}
			this.bodies.put(event.id(), body);
		}
		return body;
	}

	/** Runs {@code work} for each item, {@link #SUBJECTS_AT_ONCE} at a time on virtual threads, and waits for all. */
	private <T> void inParallel(List<T> items, java.util.function.Consumer<T> work) {
		if (items.size() == 1) {
			work.accept(items.getFirst());
			return;
		}
		Semaphore slots = new Semaphore(SUBJECTS_AT_ONCE);
		List<Future<?>> running = new ArrayList<>(items.size());
		try {
			for (T item : items) {
				slots.acquire();
				running.add(this.threads.submit(() -> {
					try {
						work.accept(item);
					}
					finally {
						slots.release();
					}
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while delivering", ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException("A delivery failed unexpectedly", ex.getCause());
		}
	}

	private static String testId(String body) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
		return matcher.find() ? matcher.group(1) : "evt_test";
	}

	private static String blankToNull(String text) {
		return text == null || text.isEmpty() ? null : text;
	}

	@Override
	public synchronized void start() {
		if (this.threads == null || this.threads.isShutdown()) {
			this.threads = Executors
				.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-endpoint-", 0).factory());
		}
		this.worker.start();
	}

	@Override
	public synchronized void stop() {
		this.worker.stop();
		if (this.threads == null) {
			return;
		}
		this.threads.shutdown();
		try {
			this.threads.awaitTermination(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.worker.isRunning();
	}

}
