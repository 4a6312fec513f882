package io.rollcall.sso;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.nimbusds.jwt.JWTClaimsSet;
import io.rollcall.support.Browser;
import io.rollcall.support.Cluster;
import io.rollcall.support.CodeFlow;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.StatementLog;
import io.rollcall.support.TestClock;
import io.rollcall.support.TestOidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Cluster.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database behind HAProxy, round robin and no stickiness, as a platform runs Rollcall: a sign-in
 * made on one node holds on the other, and so do the single sign-on flow and the OpenID Provider's authorize request
 * under way, whichever node each of their requests lands on; signing out or being deactivated on one node ends the
 * session on both. Each test shows, by the node HAProxy names on every answer, that its requests did change nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsAcrossNodesTests extends IntegrationTest {

	private static final String PASSWORD = "a long enough password";

	private static final String REDIRECT = "http://{slug}.learn.localhost/login/oauth2/code/rollcall";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TestClock clock;

	@Autowired
	private SignInSessions sessions;

	private Cluster cluster;

	private TestOidcProvider provider;

	@BeforeAll
	void startCluster() throws Exception {
		// The first node reads the absolute timeout's clock from the test clock, the second from the system's.
		this.clock.reset();
		this.provider = new TestOidcProvider();
		this.cluster = Cluster.start(this.port, startSecondNode(this.dataSource));
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.provider != null) {
			this.provider.close();
		}
	}

	@Test
	void consoleWhenPagesLandOnEachNodeThenSignedInOnBothAndSignOutOnOneEndsItOnBoth() throws Exception {
		TestCompany company = this.client.createCompany();
		CodeFlow.acceptInvitation(this.port, company, Mails.invitationLink(Mails.awaitTo(MAIL, company.ownerEmail())),
				PASSWORD);
		String base = "http://" + company.slug() + ".localhost:" + this.cluster.port();
		Map<String, Long> before = this.cluster.answersByNode();
		ChromeDriver browser = Browser.start();
		try {
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
			browser.get(base + "/login");
			browser.findElement(By.id("email")).sendKeys(company.ownerEmail());
			browser.findElement(By.id("password")).sendKeys(PASSWORD);
			browser.findElement(By.id("sign-in")).click();
			wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
			assertThat(sessionsOf(company.ownerId())).as("the sign-in's session, in the database").isEqualTo(1);

			// Each node in turn, twice: the page is the console, as the owner, on both.
			for (String node : List.of("node1", "node2", "node1", "node2")) {
				browser.get(base + Cluster.pinned("/console/people", node));
				assertThat(URI.create(browser.getCurrentUrl()).getPath()).as("signed in on " + node)
					.isEqualTo("/console/people");
				assertThat(nodeOfPage(browser)).isEqualTo(node);
				assertThat(browser.findElement(By.cssSelector("form.signout")).getText())
					.contains(company.ownerEmail());
			}
			Map<String, Long> after = this.cluster.answersByNode();
			for (String node : this.cluster.nodes()) {
				assertThat(after.get(node)).as("answers of " + node + " through HAProxy")
					.isGreaterThan(before.get(node));
			}

			// Signing out on node 2 (the form sent there), then node 1 has no session either.
			browser.get(base + Cluster.pinned("/console/people", "node2"));
			browser.executeScript("document.querySelector('form.signout').action = arguments[0]",
					Cluster.pinned("/logout", "node2"));
			browser.findElement(By.cssSelector("form.signout button")).click();
			wait.until(ExpectedConditions.urlContains("/login?signedOut"));
			assertThat(sessionsOf(company.ownerId())).as("deleted, not only forgotten by one node").isZero();
			for (String node : List.of("node1", "node2")) {
				browser.get(base + Cluster.pinned("/console/people", node));
				assertThat(URI.create(browser.getCurrentUrl()).getPath()).as("signed out on " + node)
					.isEqualTo("/login");
			}
		}
		finally {
			browser.quit();
		}
	}

	@Test
	void singleSignOnWhenStartAndCallbackLandOnDifferentNodesThenSignedInOnBoth() throws Exception {
		TestCompany company = this.client.createCompany();
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", UUID.randomUUID().toString(), "authority",
						this.provider.authority(), "clientId", "client-" + company.slug(), "clientSecret",
						"s3cret-value", "buttonLabel", "Sign in with Test Entra"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		String email = "ada-" + company.slug() + "@example.com";
		Response created = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", "Ada"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		this.provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", email, "name", "Ada"));
		RollcallClient browser = new RollcallClient(this.cluster.port());
		String host = company.slug() + ".localhost";

		Response login = browser.page(host, "/login");
		Response started = browser.form(host, "/sso/start", Map.of("_csrf", CodeFlow.csrf(login.body())));
		assertThat(started.header("Location")).endsWith("/oauth2/authorization/" + company.slug());
		Response toProvider = browser.page(host, pathAndQuery(started.header("Location")));
		assertThat(toProvider.status()).as(toProvider.body()).isEqualTo(302);
		HttpResponse<String> atProvider = this.plain.send(
				HttpRequest.newBuilder(URI.create(toProvider.header("Location"))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(atProvider.statusCode()).isEqualTo(302);
		String callback = pathAndQuery(atProvider.headers().firstValue("Location").orElseThrow());
		Response landed = browser.page(host, callback);
		assertThat(pathAndQuery(landed.header("Location"))).as("signed in, at the home page").isEqualTo("/");

		assertThat(servedBy(started)).as("the sign-in page's CSRF token is checked by the other node")
			.isNotEqualTo(servedBy(login));
		assertThat(servedBy(landed)).as("the callback reaches another node than the one that saved the request")
			.isNotEqualTo(servedBy(toProvider));
		Set<String> homes = homePagesServedBy(browser, host, email);
		assertThat(homes).as("signed in on each node")
			.containsExactlyInAnyOrderElementsOf(
					this.cluster.nodes());
	}

	@Test
	void codeFlowWhenAuthorizeSignInAndTokenLandOnDifferentNodesThenTheApplicationGetsThePersonsTokens()
			throws Exception {
		TestCompany company = this.client.createCompany();
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name",
				"Learning platform", "redirectUris", List.of(REDIRECT), "clientAuthentication", "none"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		String clientId = registered.json().path("clientId").asString();
		String email = CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, "Grace", "Hopper",
				PASSWORD);
		String personId = this.client.personByEmail(company, email).path("id").asString();
		CodeFlow flow = new CodeFlow(this.cluster.port(), company, clientId, REDIRECT.replace("{slug}",
				company.slug()));
		String host = company.slug() + ".localhost:" + this.cluster.port();

		Response authorize = flow.authorize("openid profile email");
		assertThat(authorize.status()).as(authorize.body()).isEqualTo(302);
		assertThat(URI.create(authorize.header("Location")).getPath()).isEqualTo("/login");
		Response login = flow.browser.page(host, "/login");
		// The page's stylesheet, as a browser fetches it: it takes its turn at the balancer.
		Response stylesheet = flow.browser.get(host, "/css/rollcall.css", "text/css");
		Response signedIn = flow.browser.form(host, "/login",
				Map.of("email", email, "password", PASSWORD, "_csrf", CodeFlow.csrf(login.body())));
		assertThat(signedIn.status()).isEqualTo(302);
		URI back = URI.create(signedIn.header("Location"));
		assertThat(back.getPath()).as("back to the authorize request").isEqualTo("/oauth2/authorize");
		Response withCode = flow.browser.page(host, back.getRawPath() + "?" + back.getRawQuery());
		assertThat(withCode.status()).as(withCode.body()).isEqualTo(302);
		URI redirect = URI.create(withCode.header("Location"));
		assertThat(redirect.toString()).startsWith(flow.redirectUri).doesNotContain("error=");
		Map<String, String> answer = CodeFlow.query(redirect);
		assertThat(answer).containsEntry("state", flow.state);
		HttpResponse<String> tokens = flow.redeem(answer.get("code"), null);
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);

		JWTClaimsSet id = flow.verify(JSON.readTree(tokens.body()).path("id_token").asString());
		assertThat(id.getIssuer()).as("the company's address through the balancer").isEqualTo(flow.issuer());
		assertThat(id.getSubject()).isEqualTo(personId);
		assertThat(id.getStringClaim("nonce")).isEqualTo(flow.nonce);
		// Every step on another node than the one before: the authorize request saved by one node is resumed by the
		// other at sign-in, the sign-in's session (its id changed by then) is read by the other at authorize, and the
		// code issued there is redeemed on the first.
		List<String> steps = List.of(servedBy(authorize), servedBy(login), servedBy(stylesheet), servedBy(signedIn),
				servedBy(withCode), servedBy(tokens.headers()));
		for (int i = 1; i < steps.size(); i++) {
			assertThat(steps.get(i)).as("step " + i + " of " + steps).isNotEqualTo(steps.get(i - 1));
		}
		assertThat(servedBy(signedIn)).as("sign-in resumes the authorize request of another node")
			.isNotEqualTo(servedBy(authorize));
	}

	@Test
	void deactivationWhenOnOneNodeThenThePersonsSessionIsEndedThroughTheOther() throws Exception {
		TestCompany company = this.client.createCompany();
		String email = CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, "Ada", "Lovelace",
				PASSWORD);
		UUID personId = UUID.fromString(this.client.personByEmail(company, email).path("id").asString());
		RollcallClient browser = new RollcallClient(this.cluster.port());
		String host = company.slug() + ".localhost";
		signIn(browser, host, email);
		Set<String> homes = homePagesServedBy(browser, host, email);
		assertThat(homes).as("signed in on each node").hasSize(this.cluster.nodes().size());
		assertThat(sessionsOf(personId)).isEqualTo(1);

		Response deactivated = new RollcallClient(this.cluster.port()).api(company, "POST",
				"/api/v1/people/" + personId + "/deactivate");
		assertThat(deactivated.status()).as(deactivated.body()).isEqualTo(200);
		assertThat(sessionsOf(personId)).as("ended in the transaction that deactivated them").isZero();

		Response next = browser.page(host, "/");
		assertThat(servedBy(next)).as("the session is used through the other node")
			.isNotEqualTo(servedBy(deactivated));
		assertThat(next.status()).isEqualTo(302);
		assertThat(URI.create(next.header("Location")).getPath()).isEqualTo("/login");
		Response again = browser.page(host, "/");
		assertThat(servedBy(again)).isNotEqualTo(servedBy(next));
		assertThat(URI.create(again.header("Location")).getPath()).isEqualTo("/login");
	}

	@Test
	void signInWhenASessionExistedThenItsIdChangesAndTheOldIdIsSignedInOnNoNode() throws Exception {
		TestCompany company = this.client.createCompany();
		String email = CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, "Edsger", "Dijkstra",
				PASSWORD);
		String host = company.slug() + ".localhost";

		HttpResponse<String> login = send(host, "GET", "/login", null, null);
		String before = sessionCookie(login);
		HttpResponse<String> signedIn = send(host, "POST", "/login", before, CodeFlow.form(
				Map.of("email", email, "password", PASSWORD, "_csrf", CodeFlow.csrf(login.body()))));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(servedBy(signedIn.headers())).as("the CSRF token of one node's page is taken by the other")
			.isNotEqualTo(servedBy(login.headers()));
		String after = sessionCookie(signedIn);
		assertThat(after).as("a new session id at sign-in (no fixation)").isNotEqualTo(before);

		List<String> signedInOn = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> page = send(host, "GET", "/", after, null);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains(email);
			signedInOn.add(servedBy(page.headers()));
		}
		List<String> oldIdOn = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> old = send(host, "GET", "/", before, null);
			assertThat(old.statusCode()).as("the id from before the sign-in").isEqualTo(302);
			assertThat(URI.create(old.headers().firstValue("Location").orElseThrow()).getPath()).isEqualTo("/login");
			oldIdOn.add(servedBy(old.headers()));
		}
		assertThat(new HashSet<>(signedInOn)).hasSize(this.cluster.nodes().size());
		assertThat(new HashSet<>(oldIdOn)).hasSize(this.cluster.nodes().size());
	}

	@Test
	void statelessPathsAndStaticFilesWhenCalledWithASessionCookieThenTheSessionTableIsNeitherReadNorWritten()
			throws Exception {
		TestCompany company = this.client.createCompany();
		String email = CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, "Alan", "Turing",
				PASSWORD);
		Response scim = this.client.api(company, "PUT", "/api/v1/integrations/scim",
				Map.of("enabled", true, "deleteMode", "deactivate"));
		assertThat(scim.status()).as(scim.body()).isEqualTo(200);
		Response token = this.client.api(company, "POST", "/api/v1/integrations/scim/tokens", Map.of("name", "idp"));
		assertThat(token.status()).as(token.body()).isEqualTo(201);
		String scimToken = token.json().path("secret").asString();
		// A browser signed in at the company, whose cookie goes with every request below.
		RollcallClient browser = new RollcallClient(this.cluster.port());
		String host = company.slug() + ".localhost";
		signIn(browser, host, email);
		// The first page after the sign-in starts the absolute timeout's clock in the session: one write more.
		assertThat(browser.page(host, "/").status()).isEqualTo(200);
		long since = System.currentTimeMillis();

		try (StatementLog statements = StatementLog.start()) {
			Response home = browser.page(host, "/");
			assertThat(home.status()).isEqualTo(200);
			// The control: a page of a signed-in person reads the session, writes its last access, and reads it once
			// more (Spring Session's second commit, after the response was sent, looks the requested id up again).
			assertThat(sessionStatements(statements)).as("a signed-in page").isNotEmpty().hasSizeLessThanOrEqualTo(3);
			statements.clear();

			List<Response> stateless = List.of(
					browser.send("GET", host, "/api/v1/people", "Bearer " + company.apiKey(), null),
					browser.send("GET", host, "/scim/v2/Users", "Bearer " + scimToken, null),
					browser.form(host, "/oauth2/token", Map.of("grant_type", "authorization_code", "code", "none",
							"client_id", "nobody", "redirect_uri", "http://nowhere.localhost/")),
					browser.send("POST", host, "/hooks/okta", "not-the-secret", "{}"),
					browser.send("POST", host, "/hooks/entra?validationToken=check", null, null),
					// Nor does the stylesheet every page loads.
					browser.get(host, "/css/rollcall.css", "text/css"));
			assertThat(stateless.stream().map(Response::status).toList()).containsExactly(200, 200, 401, 401, 200,
					200);
			assertThat(stateless.stream().map(Cluster::servedBy).distinct().count()).as("through both nodes")
				.isEqualTo(this.cluster.nodes().size());
			assertThat(sessionStatements(statements)).as("session statements of the stateless paths").isEmpty();
			assertThat(stateless).allSatisfy(response -> assertThat(response.header("Set-Cookie")).isNull());
		}
		assertThat(this.jdbc.sql("select count(*) from sso_session where creation_time >= :since")
			.param("since", since)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void expiredSessionsWhenTwoNodesRunThenOneTaskInTheClusterDeletesThem() {
		assertThat(this.jdbc.sql("select count(*) from scheduled_tasks where task_name = 'sign-in-session-cleanup'")
			.query(Long.class)
			.single()).as("one recurring task, whatever the number of nodes").isEqualTo(1);
		long now = System.currentTimeMillis();
		String expired = UUID.randomUUID().toString();
		String live = UUID.randomUUID().toString();
		insertSession(expired, now - 7_200_000, now - 1);
		insertSession(live, now, now + 3_600_000);

		this.sessions.forgetExpired();

		assertThat(this.jdbc.sql("select primary_id from sso_session where primary_id in (:ids)")
			.param("ids", List.of(expired, live))
			.query(String.class)
			.list()).containsExactly(live);
		assertThat(this.jdbc.sql("select count(*) from sso_session_attributes where session_primary_id = :id")
			.param("id", expired)
			.query(Long.class)
			.single()).isZero();
		this.jdbc.sql("delete from sso_session where primary_id = :id").param("id", live).update();
	}

	private void insertSession(String id, long lastAccess, long expiry) {
		this.jdbc.sql("""
				insert into sso_session (primary_id, session_id, creation_time, last_access_time,
				    max_inactive_interval, expiry_time)
				values (:id, :id, :at, :at, 3600, :expiry)
				""").param("id", id).param("at", lastAccess).param("expiry", expiry).update();
		this.jdbc.sql("""
				insert into sso_session_attributes (session_primary_id, attribute_name, attribute_bytes)
				values (:id, 'test', '\\x00'::bytea)
				""").param("id", id).update();
	}

	/** One request through the cluster with the session cookie given by hand ({@code null} for none). */
	private HttpResponse<String> send(String host, String method, String path, String session, String form)
			throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.cluster.port() + path))
			.header("Host", host)
			.header("Accept", "text/html");
		if (session != null) {
			request.header("Cookie", "ROLLCALL_SESSION=" + session);
		}
		if (form != null) {
			request.header("Content-Type", "application/x-www-form-urlencoded")
				.method(method, HttpRequest.BodyPublishers.ofString(form));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String sessionCookie(HttpResponse<String> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(cookie -> cookie.startsWith("ROLLCALL_SESSION="))
			.map(cookie -> cookie.substring("ROLLCALL_SESSION=".length(), cookie.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no session cookie in " + response.headers().map()));
	}

	/** The statements on the session tables, but the cleanup's, which may come due at any moment. */
	private static List<String> sessionStatements(StatementLog statements) {
		return statements.naming("sso_session").stream().filter(sql -> !sql.contains("expiry_time <")).toList();
	}

	private long sessionsOf(UUID personId) {
		return this.jdbc.sql("select count(*) from sso_session where principal_name = :name")
			.param("name", personId.toString())
			.query(Long.class)
			.single();
	}

	private static void signIn(RollcallClient browser, String host, String email) {
		Response login = browser.page(host, "/login");
		Response signedIn = browser.form(host, "/login",
				Map.of("email", email, "password", PASSWORD, "_csrf", CodeFlow.csrf(login.body())));
		assertThat(signedIn.status()).isEqualTo(302);
		assertThat(pathAndQuery(signedIn.header("Location"))).as("signed in").isEqualTo("/");
	}

	/** The node that served the page the browser shows, from the Server-Timing entry HAProxy adds. */
	private static String nodeOfPage(ChromeDriver browser) {
		Object node = ((JavascriptExecutor) browser).executeScript("""
				const page = performance.getEntriesByType('navigation')[0];
				const node = page && page.serverTiming.find(entry => entry.name === 'node');
				return node ? node.description : null;
				""");
		assertThat(node).as("the page's Server-Timing").isNotNull();
		return node.toString();
	}

	private static String pathAndQuery(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	/** The home page opened twice, signed in as {@code email} each time: the nodes that served it. */
	private Set<String> homePagesServedBy(RollcallClient browser, String host, String email) {
		Set<String> nodes = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			Response home = browser.page(host, "/");
			assertThat(home.status()).isEqualTo(200);
			assertThat(home.body()).contains(email);
			nodes.add(servedBy(home));
		}
		return nodes;
	}

}
