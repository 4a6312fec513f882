package io.rollcall.platform;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared turn-taking filter's own part: which requests its URL pattern names, how it refuses, and its
 * registration. Waiting in order is shown by ScimAdmissionTests, each protocol's refusal by its module's tests.
 */
@Tag("unit")
class RequestAdmissionTests {

	private static final RequestAdmission.Refusal NEVER = (request, response, maxWaiting) -> {
		throw new AssertionError("not refused");
	};

	@Test
	void shouldNotFilterWhenExactPatternThenOnlyThatPathTakesTurns() {
		RequestAdmission admission = new RequestAdmission("/oauth2/token", new RequestTurns(1, 0), NEVER);
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("POST", "/oauth2/token"))).isFalse();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("POST", "/oauth2/token/x"))).isTrue();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/oauth2/jwks"))).isTrue();
	}

	@Test
	void shouldNotFilterWhenPrefixPatternThenEveryPathBelowTakesTurns() {
		RequestAdmission admission = new RequestAdmission("/scim/*", new RequestTurns(1, 0), NEVER);
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/scim/v2/Users"))).isFalse();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/scimx/v2/Users"))).isTrue();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/console/people"))).isTrue();
	}

	@Test
	void shouldNotFilterWhenRequestNotNamedByTakesTurnsThenItGoesStraightThrough() {
		RequestAdmission admission = new RequestAdmission("/hooks/okta", new RequestTurns(1, 0), NEVER,
				request -> "POST".equals(request.getMethod()));
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("POST", "/hooks/okta"))).isFalse();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("GET", "/hooks/okta"))).isTrue();
		assertThat(admission.shouldNotFilter(new MockHttpServletRequest("POST", "/hooks/entra"))).isTrue();
	}

	@Test
	void doFilterWhenChainThrowsThenTheTurnIsGivenBack() throws Exception {
		RequestTurns turns = new RequestTurns(1, 0);
		RequestAdmission admission = new RequestAdmission("/hooks/okta", turns, NEVER);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> admission.doFilter(new MockHttpServletRequest("POST", "/hooks/okta"),
					new MockHttpServletResponse(), (request, response) -> {
						throw new IllegalStateException("the receiver failed");
					}))
			.hasMessageContaining("the receiver failed");
		boolean[] handled = { false };
		admission.doFilter(new MockHttpServletRequest("POST", "/hooks/okta"), new MockHttpServletResponse(),
				(request, response) -> handled[0] = true);
		assertThat(handled[0]).as("taken: the failed request's turn is free again").isTrue();
	}

	@Test
	void doFilterWhenNoTurnAndNoRoomToWaitThenRefusedWithTheLimit() throws Exception {
		RequestTurns turns = new RequestTurns(1, 0);
		int[] refusedAt = { -1 };
		RequestAdmission admission = new RequestAdmission("/scim/*", turns,
				(request, response, maxWaiting) -> refusedAt[0] = maxWaiting);
		boolean[] handled = { false };
		turns.inTurn(() -> admission.doFilter(new MockHttpServletRequest("GET", "/scim/v2/Users"),
				new MockHttpServletResponse(), (request, response) -> handled[0] = true));
		assertThat(handled[0]).isFalse();
		assertThat(refusedAt[0]).isZero();
	}

	@Test
	void registrationWhenTwoModulesRegisterThenEachHasItsOwnNameAndGauge() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		FilterRegistrationBean<RequestAdmission> token = new RequestAdmission("/oauth2/token", new RequestTurns(1, 0),
				NEVER)
			.registration("tokenAdmission", 21, "token.waiting", "Token requests waiting", meters);
		FilterRegistrationBean<RequestAdmission> scim = new RequestAdmission("/scim/*", new RequestTurns(1, 0), NEVER)
			.registration("scimAdmission", 21, "scim.waiting", "SCIM requests waiting", meters);
		// The container keeps only the first of two filters of the same name.
		assertThat(token.getFilterName()).isEqualTo("tokenAdmission");
		assertThat(scim.getFilterName()).isEqualTo("scimAdmission");
		assertThat(token.getUrlPatterns()).containsExactly("/oauth2/token");
		assertThat(scim.getUrlPatterns()).containsExactly("/scim/*");
		assertThat(meters.get("token.waiting").gauge().value()).isZero();
		assertThat(meters.get("scim.waiting").gauge().value()).isZero();
	}

}
