package io.rollcall.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Webhook deliveries at a fixed rate, as a provider sends them: open loop (delivery {@code n} starts at its planned
 * time whatever the answers to the others; a stalled receiver cannot slow the sender down and hide), each answer
 * measured, and a delivery that is refused, fails or is not answered within {@link #ANSWER_WITHIN} sent again with
 * backoff until it is acknowledged (2xx), as Graph does for hours. Okta retries only once: {@link Tally#beyondOneRetry}
 * counts the deliveries that Okta itself would have dropped.
 */
public final class WebhookLoad {

	/** Graph wants an answer within 3 s, Okta too; a slower one counts as failed and is sent again. */
	public static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

	/** A delivery: which provider's, and the request (built once its change is made). */
	public record Delivery(String provider, HttpRequest request) {
	}

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Duration giveUpAfter;

	private Thread planner;

	private volatile long startedAt;

	private volatile long stoppedAt;

	private volatile int planned;

	/** @param giveUpAfter how long a delivery is retried, at most, after the sending stopped */
	public WebhookLoad(Duration giveUpAfter) {
		this.giveUpAfter = giveUpAfter;
	}

	/**
	 * Starts sending {@code perSecond} deliveries a second until {@link #stop()}; {@code plan} makes delivery
	 * {@code n}'s change (in the emulator) and returns it, on the delivery's own virtual thread.
	 */
	public void start(int perSecond, IntFunction<Delivery> plan) {
		this.sending.set(true);
		long gap = 1_000_000_000L / perSecond;
		this.startedAt = System.nanoTime();
		this.planner = Thread.ofPlatform().name("webhook-load").start(() -> {
			for (int n = 0; this.sending.get(); n++) {
				long wait = this.startedAt + n * gap - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				int number = n;
				long plannedAt = this.startedAt + n * gap;
				this.inFlight.incrementAndGet();
				this.planned = n + 1;
				Thread.ofVirtual().start(() -> {
					try {
						deliver(plan.apply(number), plannedAt);
					}
					finally {
						this.inFlight.decrementAndGet();
					}
				});
			}
			this.stoppedAt = System.nanoTime();
		});
	}

	/** Stops planning deliveries; those under way go on being retried until acknowledged or given up. */
	public void stop() throws InterruptedException {
		this.sending.set(false);
		this.planner.join();
	}

	/** Waits until every delivery is acknowledged or given up. */
	public void awaitSettled() throws InterruptedException {
		long deadline = System.nanoTime() + this.giveUpAfter.plusSeconds(30).toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	/** The deliveries planned per second of sending, as achieved. */
	public double rate() {
		return this.planned / ((this.stoppedAt - this.startedAt) / 1e9);
	}

	public int planned() {
		return this.planned;
	}

	/** The moment sending stopped ({@link System#nanoTime()}). */
	public long stoppedAt() {
		return this.stoppedAt;
	}

	public Map<String, Tally> tallies() {
		return new TreeMap<>(this.tallies);
	}

	/** Every answer (or failure to answer), in no particular order. */
	public List<Answer> answers() {
		return new ArrayList<>(this.answers);
	}

	private void deliver(Delivery delivery, long plannedAt) {
		Tally tally = this.tallies.computeIfAbsent(delivery.provider(), p -> new Tally());
		tally.sent.incrementAndGet();
		Duration backoff = Duration.ofSeconds(1);
		for (int attempt = 1;; attempt++) {
			long sentAt = System.nanoTime();
			int status;
			String node = null;
			try {
				HttpResponse<Void> response = this.http.send(HttpRequest
					.newBuilder(delivery.request(), (name, value) -> true)
					.timeout(ANSWER_WITHIN)
					.build(), HttpResponse.BodyHandlers.discarding());
				status = response.statusCode();
				node = response.headers().firstValue(Cluster.NODE_HEADER).orElse(null);
			}
			catch (java.net.http.HttpTimeoutException ex) {
				status = Answer.TIMED_OUT;
			}
			catch (IOException ex) {
				status = Answer.NO_ANSWER;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long answeredAt = System.nanoTime();
			this.answers.add(new Answer(delivery.provider(), attempt, sentAt, answeredAt, status, node));
			if (attempt == 1) {
				tally.firstAnswerNanos.add(answeredAt - plannedAt);
			}
			if (status >= 200 && status < 300) {
				tally.acknowledged.incrementAndGet();
				if (attempt > 2) {
					tally.beyondOneRetry.incrementAndGet();
				}
				return;
			}
			tally.refusals.merge(status, 1, Integer::sum);
			if (attempt == 1) {
				tally.refusedFirst.incrementAndGet();
			}
			long stopped = this.stoppedAt;
			if (stopped != 0 && System.nanoTime() - stopped > this.giveUpAfter.toNanos()) {
				tally.givenUp.incrementAndGet();
				return;
			}
			tally.retries.incrementAndGet();
			LockSupport.parkNanos(backoff.toNanos());
			backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(8)) > 0 ? Duration.ofSeconds(8)
					: backoff.multipliedBy(2);
		}
	}

	/**
	 * One attempt's outcome: an HTTP status, or {@link #TIMED_OUT} or {@link #NO_ANSWER}; the node that answered, when
	 * the answer came through a {@link Cluster} (else null).
	 */
	public record Answer(String provider, int attempt, long sentAt, long answeredAt, int status, String node) {

		public static final int TIMED_OUT = -1;

		public static final int NO_ANSWER = -2;

		public boolean acknowledged() {
			return this.status >= 200 && this.status < 300;
		}

	}

	/** What happened to one provider's deliveries. */
	public static final class Tally {

		final AtomicInteger sent = new AtomicInteger();

		final AtomicInteger acknowledged = new AtomicInteger();

		final AtomicInteger refusedFirst = new AtomicInteger();

		final AtomicInteger retries = new AtomicInteger();

		final AtomicInteger beyondOneRetry = new AtomicInteger();

		final AtomicInteger givenUp = new AtomicInteger();

		final Map<Integer, Integer> refusals = new ConcurrentHashMap<>();

		final ConcurrentLinkedQueue<Long> firstAnswerNanos = new ConcurrentLinkedQueue<>();

		public int sent() {
			return this.sent.get();
		}

		public int acknowledged() {
			return this.acknowledged.get();
		}

		/** Deliveries whose first answer was not 2xx (a refusal, a failure or no answer within 3 s). */
		public int refusedFirst() {
			return this.refusedFirst.get();
		}

		/** Attempts after the first. */
		public int retries() {
			return this.retries.get();
		}

		/** Deliveries acknowledged only on a third attempt or later: Okta, which retries once, would have dropped them. */
		public int beyondOneRetry() {
			return this.beyondOneRetry.get();
		}

		public int givenUp() {
			return this.givenUp.get();
		}

		/** Refused attempts by status ({@link Answer#TIMED_OUT}, {@link Answer#NO_ANSWER} for none). */
		public Map<Integer, Integer> refusals() {
			return new TreeMap<>(this.refusals);
		}

		/** The first answer's time from the planned start, at this percentile, in milliseconds. */
		public long firstAnswerMillis(double percentile) {
			List<Long> sorted = this.firstAnswerNanos.stream().sorted().toList();
			if (sorted.isEmpty()) {
				return 0;
			}
			int index = Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percentile / 100) - 1);
			return sorted.get(Math.max(0, index)) / 1_000_000;
		}

		@Override
		public String toString() {
			return String.format(
					"%d sent, %d acknowledged, %d refused at first %s, %d retries, %d beyond one retry, %d given up; "
							+ "first answer p50 %d ms, p99 %d ms, max %d ms",
					sent(), acknowledged(), refusedFirst(), refusals(), retries(), beyondOneRetry(), givenUp(),
					firstAnswerMillis(50), firstAnswerMillis(99), firstAnswerMillis(100));
		}

	}

}
