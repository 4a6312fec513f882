package io.rollcall.platform;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * On SIGTERM, keeps serving for {@code rollcall.shutdown.drain} with readiness already down, before anything stops: a
 * load balancer checking {@code /actuator/health/readiness} takes the node out of its rotation in that time, so that no
 * request (a provider's webhook delivery, say) finds the port closed and has to be sent again. Then Spring's graceful
 * shutdown goes on: the queue workers and the jobs hand back what they hold, the requests under way finish, the pool
 * closes.
 * <p>
 * Spring Boot marks the application {@link ReadinessState#REFUSING_TRAFFIC} as its context starts closing, before the
 * {@link ContextClosedEvent}; the lifecycle beans are stopped after every listener of that event has returned.
 */
@Component
final class ShutdownDrain {

	private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

	private final Duration drain;

	private final ApplicationAvailability availability;

	ShutdownDrain(@Value("${rollcall.shutdown.drain}") Duration drain, ApplicationAvailability availability) {
		Assert.isTrue(drain != null && !drain.isNegative(), "rollcall.shutdown.drain cannot be negative");
		this.drain = drain;
		this.availability = availability;
	}

	@EventListener
	void on(ContextClosedEvent closed) {
		// Only the application's own context, only when it was serving (not a failed start).
		if (this.drain.isZero() || closed.getApplicationContext().getParent() != null
				|| this.availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			return;
		}
		log.info("Stopping: not ready any more; serving {} ms more while load balancers take this node out",
				this.drain.toMillis());
		try {
			Thread.sleep(this.drain);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
