package io.rollcall.scim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.rollcall.platform.RequestAdmission;
import io.rollcall.platform.RequestTurns;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission filter on its own, with real threads: requests past the limit wait in arrival order, and one that
 * waits too long is refused as a SCIM error the provider retries. (Servlet request and response are Spring's test
 * objects: what is tested is the waiting, not HTTP.)
 */
@Tag("unit")
class ScimAdmissionTests {

	@Test
	void requestWhenEveryTurnIsTakenThenWaitsAndGoesOnWhenOneEnds() throws Exception {
		RequestAdmission admission = ScimAdmission.filter(new RequestTurns(1, 100));
		CountDownLatch release = new CountDownLatch(1);
		List<String> entered = new CopyOnWriteArrayList<>();
		Thread first = occupy(admission, release, entered);
		Thread second = send(admission, holding(new CountDownLatch(0), entered, "second"),
				new MockHttpServletResponse());
		within5s(() -> admission.waiting() == 1);
		Thread.sleep(200);
		assertThat(entered).as("the second request waits while the first has the only turn").containsExactly("first");
		release.countDown();
		second.join(5_000);
		assertThat(entered).containsExactly("first", "second");
		first.join(5_000);
	}

	@Test
	void requestsWhenWaitingThenServedInTheOrderTheyCame() throws Exception {
		RequestAdmission admission = ScimAdmission.filter(new RequestTurns(1, 100));
		CountDownLatch release = new CountDownLatch(1);
		List<String> entered = new CopyOnWriteArrayList<>();
		Thread first = occupy(admission, release, entered);
		Thread[] waiting = new Thread[5];
		for (int i = 0; i < waiting.length; i++) {
			waiting[i] = send(admission, holding(new CountDownLatch(0), entered, "waiting" + i),
					new MockHttpServletResponse());
			int queued = i + 1;
			within5s(() -> admission.waiting() == queued);
		}
		release.countDown();
		for (Thread thread : waiting) {
			thread.join(5_000);
		}
		first.join(5_000);
		assertThat(entered).containsExactly("first", "waiting0", "waiting1", "waiting2", "waiting3", "waiting4");
	}

	@Test
	void requestWhenTooManyAlreadyWaitThen503WithRetryAfterAndNotHandled() throws Exception {
		RequestAdmission admission = ScimAdmission.filter(new RequestTurns(1, 1));
		CountDownLatch release = new CountDownLatch(1);
		List<String> entered = new CopyOnWriteArrayList<>();
		Thread first = occupy(admission, release, entered);
		Thread second = send(admission, holding(new CountDownLatch(0), entered, "second"),
				new MockHttpServletResponse());
		within5s(() -> admission.waiting() == 1);
		MockHttpServletResponse refused = new MockHttpServletResponse();
		send(admission, holding(new CountDownLatch(0), entered, "third"), refused).join(5_000);
		assertThat(refused.getStatus()).isEqualTo(503);
		assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
		assertThat(refused.getContentType()).startsWith("application/scim+json");
		assertThat(refused.getContentAsString()).contains("urn:ietf:params:scim:api:messages:2.0:Error")
			.contains("\"status\":\"503\"")
			.contains("busy");
		assertThat(entered).as("the refused request never reached the endpoint").containsExactly("first");
		release.countDown();
		second.join(5_000);
		first.join(5_000);
		MockHttpServletResponse after = new MockHttpServletResponse();
		send(admission, holding(new CountDownLatch(0), entered, "after"), after).join(5_000);
		assertThat(entered).as("the waiting one went on, and the turns are free again")
			.containsExactly("first", "second",
					"after");
		assertThat(after.getStatus()).isEqualTo(200);
	}

	@Test
	void requestWhenNotScimThenNotCounted() throws Exception {
		RequestAdmission admission = ScimAdmission.filter(new RequestTurns(1, 100));
		CountDownLatch release = new CountDownLatch(1);
		List<String> entered = new CopyOnWriteArrayList<>();
		Thread first = occupy(admission, release, entered);
		MockHttpServletRequest console = new MockHttpServletRequest("GET", "/console/people");
		MockHttpServletResponse response = new MockHttpServletResponse();
		admission.doFilter(console, response, (req, res) -> entered.add("console"));
		assertThat(entered).containsExactly("first", "console");
		release.countDown();
		first.join(5_000);
	}

	private static void within5s(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met within 5 s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	/** A request that takes the turn and holds it until {@code release}; returns once it is in. */
	private static Thread occupy(RequestAdmission admission, CountDownLatch release, List<String> entered)
			throws InterruptedException {
		Thread first = send(admission, holding(release, entered, "first"), new MockHttpServletResponse());
		within5s(() -> entered.contains("first"));
		return first;
	}

	private static FilterChain holding(CountDownLatch release, List<String> entered, String name) {
		return (request, response) -> {
			entered.add(name);
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
	}

	private static Thread send(RequestAdmission admission, FilterChain chain, MockHttpServletResponse response) {
		return Thread.ofPlatform().start(() -> {
			try {
				admission.doFilter(new MockHttpServletRequest("GET", "/scim/v2/Users"), response, chain);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

}
