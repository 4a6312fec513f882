package io.rollcall.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Compares this node's clock with PostgreSQL's every few seconds ({@link ClockReading}), and takes the node out while
 * they differ by more than {@code rollcall.clock.tolerance}: db-scheduler judges other nodes' heartbeats by this
 * node's clock (one minutes ahead would take every running job for dead and run it again), tokens and sessions carry
 * its times. Out, the node takes no jobs ({@link JobScheduler} pauses) and its readiness is DOWN with the reason, so
 * the load balancer sends it nothing; it comes back by itself once its clock is corrected. The offset is the gauge
 * {@code rollcall_clock_offset_seconds}.
 * <p>
 * The reference is PostgreSQL's clock because every node already shares it: a PostgreSQL whose own clock is wrong
 * takes every node out, which is loud and safe.
 */
@Component
public final class ClockCheck implements SmartLifecycle, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(ClockCheck.class);

	/** Often enough that a clock stepped by minutes stops the node long before the 12 s a heartbeat goes stale in. */
	static final Duration EVERY = Duration.ofSeconds(2);

	private final DataSource dataSource;

	private final Duration tolerance;

	private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

	/** The last conclusive reading, and when it was made by the monotonic clock: PostgreSQL's time from then on. */
	private volatile Anchor anchor;

	/** Null until the first conclusive reading: the node takes no job before it knows its clock. */
	private volatile Boolean trusted;

	private volatile Thread thread;

	ClockCheck(DataSource dataSource, @Value("${rollcall.clock.tolerance:5s}") Duration tolerance,
			MeterRegistry meters) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.isTrue(tolerance != null && tolerance.isPositive(), "rollcall.clock.tolerance must be positive");
		this.dataSource = dataSource;
		this.tolerance = tolerance;
		Gauge.builder("rollcall.clock.offset", this, ClockCheck::offsetSeconds)
			.baseUnit("seconds")
			.description("How far this node's clock is ahead of PostgreSQL's (negative: behind), at the last reading")
			.register(meters);
	}

	/**
	 * {@code listener} hears {@code false} when this node's clock leaves the tolerance and {@code true} when it is
	 * back (or first found within it); at once, the state now if it is known.
	 */
	public void whenTrustChanges(Consumer<Boolean> listener) {
		this.listeners.add(listener);
		Boolean now = this.trusted;
		if (now != null) {
			listener.accept(now);
		}
	}

	/** Whether this node's clock is known to be within the tolerance of PostgreSQL's. */
	public boolean trusted() {
		return Boolean.TRUE.equals(this.trusted);
	}

	/**
	 * PostgreSQL's time as this node estimates it: the last reading carried forward by the monotonic clock, so that a
	 * step of the wall clock does not move it. This node's own clock before the first reading.
	 */
	public Instant databaseNow() {
		Anchor at = this.anchor;
		return at == null ? Instant.now() : at.reading().databaseTime().plusNanos(System.nanoTime() - at.nanos());
	}

	/** Reads both clocks once and acts on the verdict; a reading that fails or is inconclusive changes nothing. */
	void check() {
		ClockReading reading;
		long sentNanos;
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			sentNanos = System.nanoTime();
			Instant sentAt = Instant.now();
			try (ResultSet row = statement.executeQuery("select clock_timestamp()")) {
				row.next();
				Instant databaseTime = row.getObject(1, OffsetDateTime.class).toInstant();
				reading = new ClockReading(sentAt, Duration.ofNanos(System.nanoTime() - sentNanos), databaseTime);
			}
		}
		catch (Exception ex) {
			log.debug("Clock: could not read PostgreSQL's: {}", ex.toString());
			return;
		}
		judge(reading, sentNanos);
	}

	void judge(ClockReading reading, long sentNanos) {
		ClockReading.Verdict verdict = reading.verdict(this.tolerance);
		if (verdict == ClockReading.Verdict.INCONCLUSIVE) {
			log.debug("Clock: a round trip of {} ms tells nothing; offset unchanged", reading.roundTrip().toMillis());
			return;
		}
		this.anchor = new Anchor(reading,
				sentNanos + reading.uncertainty().toNanos());
		boolean within = verdict == ClockReading.Verdict.WITHIN;
		Boolean before = this.trusted;
		if (before != null && before == within) {
			return;
		}
		this.trusted = within;
		if (!within) {
			log.error("This node's {}: it takes no jobs and reports itself not ready until its clock is corrected "
					+ "(set the time right, e.g. with NTP; rollcall.clock.tolerance sets the tolerance)",
					reading.reason(this.tolerance));
		}
		else if (before != null) {
			log.warn("This node's clock is within {} s of PostgreSQL's again (offset {} ms): ready, taking jobs",
					this.tolerance.toSeconds(), reading.offset().toMillis());
		}
		this.listeners.forEach(listener -> listener.accept(within));
	}

	private double offsetSeconds() {
		Anchor at = this.anchor;
		return at == null ? Double.NaN : at.reading().offset().toNanos() / 1e9;
	}

	@Override
	public Health health() {
		Anchor at = this.anchor;
		Boolean now = this.trusted;
		if (at == null || now == null) {
			return Health.down().withDetail("reason", "clock not compared with PostgreSQL's yet").build();
		}
		Health.Builder health = now ? Health.up()
				: Health.down().withDetail("reason", at.reading().reason(this.tolerance));
		return health.withDetail("offsetMillis", at.reading().offset().toMillis())
			.withDetail("toleranceMillis", this.tolerance.toMillis())
			.build();
	}

	/** Reads once before the jobs start, so that a node booting with a wrong clock never picks one. */
	@Override
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		check();
		this.thread = Thread.ofPlatform().daemon().name("clock-check").start(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					Thread.sleep(EVERY);
				}
				catch (InterruptedException ex) {
					return;
				}
				check();
			}
		});
	}

	@Override
	public synchronized void stop() {
		Thread checking = this.thread;
		this.thread = null;
		if (checking != null) {
			checking.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/** Before the jobs ({@link JobScheduler} runs at the default phase), stopped after them. */
	@Override
	public int getPhase() {
		return -100;
	}

	/** A conclusive reading, and the monotonic time its PostgreSQL time was read at (the round trip's middle). */
	private record Anchor(ClockReading reading, long nanos) {
	}

}
