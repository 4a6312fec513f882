package io.rollcall.events;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The operator's webhook settings. {@code rollcall.webhooks.allow-private-addresses} (false by default; true in the
 * demo, whose receivers run on this machine) lets endpoints use http and private, loopback or link-local addresses.
 */
@Component
class WebhookSettings {

	private volatile boolean allowPrivateAddresses;

	private final Duration rotationWindow;

	private final Duration poll;

	private final Duration lease;

	private final Duration deliveryRetention;

	private volatile int paceDuringRuns;

	WebhookSettings(@Value("${rollcall.webhooks.allow-private-addresses:false}") boolean allowPrivateAddresses,
			@Value("${rollcall.webhooks.rotation-window:24h}") Duration rotationWindow,
			@Value("${rollcall.webhooks.poll:1s}") Duration poll,
			@Value("${rollcall.webhooks.lease:60s}") Duration lease,
			@Value("${rollcall.webhooks.delivery-retention:30d}") Duration deliveryRetention,
			@Value("${rollcall.webhooks.pace-during-runs:100}") int paceDuringRuns, Environment environment) {
		this.allowPrivateAddresses = allowPrivateAddresses || environment.containsProperty("demo")
				|| environment.matchesProfiles("demo");
		this.rotationWindow = rotationWindow;
		this.poll = poll;
		this.lease = lease;
		this.deliveryRetention = deliveryRetention;
		this.paceDuringRuns = Math.max(0, paceDuringRuns);
	}

	boolean allowPrivateAddresses() {
		return this.allowPrivateAddresses;
	}

	/** For tests of the refusal, which share one running service with tests that deliver to loopback. */
	void allowPrivateAddresses(boolean allow) {
		this.allowPrivateAddresses = allow;
	}

	/** How long the secret before a rotation keeps signing, by default. */
	Duration rotationWindow() {
		return this.rotationWindow;
	}

	/** How often a node looks for due retries and other nodes' events when nothing wakes it. */
	Duration poll() {
		return this.poll;
	}

	/**
	 * How long a node's claim on an endpoint holds without renewal (renewed every third of it while it delivers):
	 * after a node dies, its endpoints wait this long for another node.
	 */
	Duration lease() {
		return this.lease;
	}

	/** How long delivered and given-up deliveries stay listed; pending ones stay until they are done. */
	Duration deliveryRetention() {
		return this.deliveryRetention;
	}

	/**
	 * Deliveries a second to each endpoint of a company while one of its sync runs applies ({@link BulkWork}); 0 sends
	 * at full speed whatever runs. 100 by default: at a few hundred microseconds of CPU a delivery, three endpoints take
	 * a few percent of a two-core node, and a 100,000-person initial sync keeps its speed (bench/RESULTS.md).
	 */
	int paceDuringRuns() {
		return this.paceDuringRuns;
	}

	/** For the test of the pace, which shares one running service with tests that deliver at full speed. */
	void paceDuringRuns(int pace) {
		this.paceDuringRuns = Math.max(0, pace);
	}

}
