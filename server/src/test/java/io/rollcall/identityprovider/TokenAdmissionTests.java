package io.rollcall.identityprovider;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rollcall.platform.RequestAdmission;
import io.rollcall.platform.RequestTurns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint's turns on their own, with real threads (waiting in order is RequestTurns', shown by
 * ScimAdmissionTests): past the queue's limit a token request is answered at once, as OAuth clients read it.
 * Servlet request and response are Spring's test objects: what is tested is the turn-taking, not HTTP.
 */
@Tag("unit")
class TokenAdmissionTests {

	@Test
	void tokenRequestWhenTooManyAlreadyWaitThen503WithRetryAfterAndOAuthErrorAndNotHandled() throws Exception {
		RequestAdmission admission = TokenAdmission.filter(new RequestTurns(1, 0));
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread first = Thread.ofPlatform().start(() -> {
			try {
				admission.doFilter(token(), new MockHttpServletResponse(), (request, response) -> {
					inside.countDown();
					try {
						release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

		MockHttpServletResponse refused = new MockHttpServletResponse();
		boolean[] handled = { false };
		admission.doFilter(token(), refused, (request, response) -> handled[0] = true);
		assertThat(refused.getStatus()).isEqualTo(503);
		assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
		assertThat(refused.getHeader("Cache-Control")).isEqualTo("no-store");
		assertThat(refused.getContentType()).startsWith("application/json");
		assertThat(refused.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"").contains("busy");
		assertThat(handled[0]).as("the refused request never reached the endpoint").isFalse();

		release.countDown();
		first.join(5_000);
		MockHttpServletResponse after = new MockHttpServletResponse();
		admission.doFilter(token(), after, (request, response) -> handled[0] = true);
		assertThat(handled[0]).as("the turn is free again").isTrue();
		assertThat(after.getStatus()).isEqualTo(200);
		// Other paths of the authorization server do not take turns.
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/oauth2/jwks"))).isTrue();
	}

	private static MockHttpServletRequest token() {
		return new MockHttpServletRequest("POST", TokenAdmission.PATH);
	}

}
