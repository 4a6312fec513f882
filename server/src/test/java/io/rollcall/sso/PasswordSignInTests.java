package io.rollcall.sso;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/** Invitation acceptance and e-mail/password sign-in through the pages, as a browser posts them. */
class PasswordSignInTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final String PASSWORD = "correct horse battery";

	@Autowired
	TestClock clock;

	@Value("${rollcall.session.absolute-timeout}")
	Duration absoluteTimeout;

	private TestCompany company;

	private String host;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		this.host = this.company.slug() + ".localhost";
	}

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void acceptInvitationWhenPasswordSetThenPersonCanSignInAndIsMarkedAccepted() {
		String email = invitePerson("learner");

		Response signIn = signIn(this.client, email, PASSWORD);

		assertThat(signIn.status()).isEqualTo(302);
		assertThat(signIn.header("Location")).doesNotContain("error");
		// A new session id after sign-in (no fixation), kept from scripts and other sites.
		assertThat(signIn.header("Set-Cookie")).startsWith("ROLLCALL_SESSION=")
			.contains("HttpOnly")
			.contains("SameSite=Lax");
		assertThat(this.client.page(this.host, "/").body()).contains("Signed in as").contains(email);
		assertThat(person(email).path("invitationState").asString()).isEqualTo("accepted");
	}

	@Test
	void acceptInvitationWhenLinkUsedTwiceThenSecondTimeRefused() {
		String email = invitePerson("learner");
		String path = lastInvitationPath(email);

		Response again = this.client.page(this.host, path);

		assertThat(again.body()).contains("no longer works");
	}

	@Test
	void acceptInvitationWhenPasswordTooShortThenErrorAndLinkStillWorks() throws Exception {
		String email = "short@example.com";
		createAndInvite(email, "learner");
		String path = URI.create(Mails.invitationLink(Mails.awaitTo(MAIL, email))).getPath();

		Response refused = setPassword(path, "short", "short");

		assertThat(refused.status()).isEqualTo(200);
		assertThat(refused.body()).contains("at least 10 characters");
		assertThat(setPassword(path, PASSWORD, PASSWORD).header("Location")).endsWith("/login?welcome");
	}

	@Test
	void signInWhenRepeatedlyWrongThenLockedEvenForTheRightPassword() {
		String email = invitePerson("learner");
		RollcallClient attacker = new RollcallClient(this.port);
		for (int i = 0; i < 4; i++) {
			assertThat(signIn(attacker, email, "wrong password " + i).header("Location")).endsWith("/login?error");
		}

		assertThat(signIn(attacker, email, "wrong password 5").header("Location")).endsWith("/login?locked");
		assertThat(signIn(new RollcallClient(this.port), email, PASSWORD).header("Location")).endsWith("/login?locked");
	}

	@Test
	void signInWhenUnknownEmailThenSameAnswerAsWrongPassword() {
		assertThat(signIn(this.client, "nobody@example.com", PASSWORD).header("Location")).endsWith("/login?error");
	}

	@Test
	void consoleWhenLearnerThenForbiddenAndWhenAdminThenAllowed() {
		String learner = invitePerson("learner");
		RollcallClient learnerClient = new RollcallClient(this.port);
		signIn(learnerClient, learner, PASSWORD);
		String admin = invitePerson("admin");
		RollcallClient adminClient = new RollcallClient(this.port);
		signIn(adminClient, admin, PASSWORD);

		Response refused = learnerClient.page(this.host, "/console/people");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("Not allowed").doesNotContain("Exception");
		Response missing = learnerClient.page(this.host, "/no-such-page");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.body()).contains("Page not found").contains("/no-such-page");
		assertThat(adminClient.page(this.host, "/console/people").status()).isEqualTo(200);
	}

	@Test
	void sessionWhenUsedOnAnotherCompanysHostThenAnonymousThere() {
		String admin = invitePerson("admin");
		signIn(this.client, admin, PASSWORD);
		TestCompany other = this.client.createCompany();

		Response elsewhere = this.client.page(other.slug() + ".localhost", "/console/people");

		assertThat(elsewhere.status()).isEqualTo(302);
		assertThat(elsewhere.header("Location")).contains("/login");
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);
	}

	@Test
	void sessionWhenPersonDeactivatedThenSignedOutAtOnce() {
		String admin = invitePerson("admin");
		signIn(this.client, admin, PASSWORD);
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);

		this.client.api(this.company, "POST", "/api/v1/people/" + person(admin).path("id").asString() + "/deactivate");

		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(302);
		// The reason only with the right password: with a wrong one, a deactivated account is like an unknown e-mail.
		assertThat(signIn(new RollcallClient(this.port), admin, "not the password").header("Location"))
			.endsWith("/login?error");
		RollcallClient again = new RollcallClient(this.port);
		assertThat(signIn(again, admin, PASSWORD).header("Location")).endsWith("/login?deactivated");
		assertThat(again.page(this.host, "/login?deactivated").body()).contains("Your Rollcall account is deactivated");
		assertThat(again.page(this.host, "/console/people").status()).isEqualTo(302);
	}

	@Test
	void sessionWhenAbsoluteTimeoutPassedThenSignedOutHoweverActive() {
		String admin = invitePerson("admin");
		signIn(this.client, admin, PASSWORD);
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);

		// Busy all along (the idle timeout never strikes: requests keep coming), just short of the absolute timeout.
		this.clock.advance(this.absoluteTimeout.minusMinutes(1));
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(2));
		Response expired = this.client.page(this.host, "/console/people");

		assertThat(expired.status()).isEqualTo(302);
		assertThat(expired.header("Location")).contains("/login");
		// Gone for good, not just refused once: the session was ended.
		assertThat(this.client.page(this.host, "/").header("Location")).contains("/login");
		// Signing in again starts a new session with its own clock.
		signIn(this.client, admin, PASSWORD);
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);
		this.clock.advance(this.absoluteTimeout.minusMinutes(1));
		assertThat(this.client.page(this.host, "/console/people").status()).isEqualTo(200);
	}

	@Test
	void signInWhenCsrfTokenMissingThenRefused() {
		String email = invitePerson("learner");

		Response response = this.client.form(this.host, "/login", Map.of("email", email, "password", PASSWORD));

		assertThat(response.status()).isEqualTo(403);
	}

	/** Creates a person with the role, invites them and sets their password through the invitation page. */
	private String invitePerson(String role) {
		String email = role + "-" + System.nanoTime() + "@example.com";
		createAndInvite(email, role);
		Response accepted = setPassword(lastInvitationPath(email), PASSWORD, PASSWORD);
		assertThat(accepted.header("Location")).endsWith("/login?welcome");
		return email;
	}

	private void createAndInvite(String email, String role) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "role", role, "invite", true));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
	}

	private String lastInvitationPath(String email) {
		try {
			return URI.create(Mails.invitationLink(Mails.awaitTo(MAIL, email))).getPath();
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private Response setPassword(String path, String password, String confirmation) {
		String csrf = csrf(this.client.page(this.host, path).body());
		return this.client.form(this.host, path,
				Map.of("password", password, "confirmation", confirmation, "_csrf", csrf));
	}

	private Response signIn(RollcallClient browser, String email, String password) {
		String csrf = csrf(browser.page(this.host, "/login").body());
		return browser.form(this.host, "/login", Map.of("email", email, "password", password, "_csrf", csrf));
	}

	private tools.jackson.databind.JsonNode person(String email) {
		return this.client.api(this.company, "GET", "/api/v1/people?q=" + email).json().path("items").get(0);
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
