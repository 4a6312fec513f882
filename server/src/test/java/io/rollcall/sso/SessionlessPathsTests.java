package io.rollcall.sso;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Which paths never see the session cookie, and that only that cookie is hidden there. */
@Tag("unit")
class SessionlessPathsTests {

	private final SessionlessPaths filter = new SessionlessPaths("ROLLCALL_SESSION");

	@Test
	void sessionlessWhenCredentialsComeWithEveryRequestOrAFileThenTrue() {
		assertThat(SessionlessPaths.sessionless("/api/v1/people")).isTrue();
		assertThat(SessionlessPaths.sessionless("/scim/v2/Users")).isTrue();
		assertThat(SessionlessPaths.sessionless("/hooks/okta")).isTrue();
		assertThat(SessionlessPaths.sessionless("/actuator/health")).isTrue();
		assertThat(SessionlessPaths.sessionless("/oauth2/token")).isTrue();
		assertThat(SessionlessPaths.sessionless("/userinfo")).isTrue();
		assertThat(SessionlessPaths.sessionless("/css/rollcall.css")).isTrue();
		assertThat(SessionlessPaths.sessionless("/favicon.svg")).isTrue();
	}

	@Test
	void sessionlessWhenAPageOrAFlowThatHoldsStateThenFalse() {
		assertThat(SessionlessPaths.sessionless("/")).isFalse();
		assertThat(SessionlessPaths.sessionless("/login")).isFalse();
		assertThat(SessionlessPaths.sessionless("/console/people")).isFalse();
		assertThat(SessionlessPaths.sessionless("/oauth2/authorize")).isFalse();
		assertThat(SessionlessPaths.sessionless("/oauth2/authorization/acme")).isFalse();
		assertThat(SessionlessPaths.sessionless("/login/oauth2/code/acme")).isFalse();
		assertThat(SessionlessPaths.sessionless("/connect/logout")).isFalse();
		assertThat(SessionlessPaths.sessionless("/apiary")).isFalse();
	}

	@Test
	void filterWhenSessionlessPathThenOnlyTheSessionCookieHidden() throws Exception {
		HttpServletRequest seen = passThrough("/api/v1/people", new Cookie("ROLLCALL_SESSION", "abc"),
				new Cookie("other", "kept"));
		assertThat(seen.getCookies()).extracting(Cookie::getName).containsExactly("other");
		assertThat(passThrough("/scim/v2/Users", new Cookie("ROLLCALL_SESSION", "abc")).getCookies()).isNull();
	}

	@Test
	void filterWhenPageThenSessionCookieSeen() throws Exception {
		HttpServletRequest seen = passThrough("/console/people", new Cookie("ROLLCALL_SESSION", "abc"));
		assertThat(seen.getCookies()).extracting(Cookie::getName).containsExactly("ROLLCALL_SESSION");
	}

	private HttpServletRequest passThrough(String path, Cookie... cookies) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setCookies(cookies);
		AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
		this.filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> seen.set((HttpServletRequest) req));
		return seen.get();
	}

}
