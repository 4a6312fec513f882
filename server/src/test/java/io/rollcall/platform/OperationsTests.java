package io.rollcall.platform;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class OperationsTests extends IntegrationTest {

	private static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;

	@Autowired
	private ServletContext servletContext;

	@Test
	void healthWhenRunningThenUpWithProbes() {
		Response health = this.client.send("GET", "localhost", "/actuator/health", null, null);
		Response readiness = this.client.send("GET", "localhost", "/actuator/health/readiness", null, null);

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().path("status").asString()).isEqualTo("UP");
		assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
	}

	/** The node's clock is compared with PostgreSQL's (the same machine's here): ready, and the offset scraped. */
	@Test
	void readinessWhenClockWithinToleranceThenClockCheckUpAndOffsetScraped() {
		Response readiness = this.client.send("GET", "localhost", "/actuator/health/readiness", null, null);
		Response metrics = this.client.get("localhost", "/actuator/prometheus", "text/plain", OPERATOR);

		assertThat(readiness.json().path("components").path("clockCheck").path("status").asString()).isEqualTo("UP");
		assertThat(
				readiness.json().path("components").path("clockCheck").path("details").path("toleranceMillis").asLong())
			.isEqualTo(5000);
		assertThat(metrics.body()).containsPattern("rollcall_clock_offset_seconds -?[0-9.E-]+");
	}

	@Test
	void prometheusWhenScrapedThenJvmHttpAndPoolMetrics() {
		this.client.send("GET", "localhost", "/actuator/health", null, null);

		Response metrics = this.client.get("localhost", "/actuator/prometheus", "text/plain", OPERATOR);

		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes")
			.contains("http_server_requests_seconds")
			.contains("hikaricp_connections_active")
			// Requests in flight are not timed twice (application.yml): only the timer of each request.
			.doesNotContain("http_server_requests_active");
	}

	/**
	 * Both turn-taking filters are in the servlet container, each for its path, and their queues are scraped under the
	 * names operators' dashboards know. Both are a {@link RequestAdmission}: named alike, one would be dropped.
	 */
	@Test
	void prometheusWhenScrapedThenScimAndTokenQueuesAndBothAdmissionFiltersRegistered() {
		Response metrics = this.client.get("localhost", "/actuator/prometheus", "text/plain", OPERATOR);

		assertThat(metrics.body()).contains("rollcall_scim_waiting ")
			.contains("rollcall_identity_provider_token_requests_waiting ");
		assertThat(this.servletContext.getFilterRegistration("scimAdmission").getUrlPatternMappings())
			.containsExactly("/scim/*");
		assertThat(this.servletContext.getFilterRegistration("tokenAdmission").getUrlPatternMappings())
			.containsExactly("/oauth2/token");
	}

	@Test
	void prometheusWhenNotTheOperatorThenRefused() {
		var company = this.client.createCompany();

		Response anonymous = this.client.get("localhost", "/actuator/prometheus", "text/plain");
		Response wrongToken = this.client.get("localhost", "/actuator/prometheus", "text/plain",
				"Bearer not-the-token");
		Response companyKey = this.client.get(company.slug() + ".localhost", "/actuator/prometheus", "text/plain",
				"Bearer " + company.apiKey());

		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.body()).doesNotContain("jvm_memory_used_bytes").contains("operator token");
		assertThat(wrongToken.status()).isEqualTo(401);
		assertThat(companyKey.status()).isIn(401, 403);
		assertThat(companyKey.body()).doesNotContain("jvm_memory_used_bytes");
	}

	@Test
	void prometheusWhenPeopleCreatedThenDirectoryRowsWrittenCounted() throws Exception {
		double before = rowsWritten("person");
		var company = this.client.createCompany();

		// PostgreSQL publishes a connection's counts once it has been idle a while (up to about ten seconds).
		double after = before;
		for (long end = System.nanoTime() + 30_000_000_000L; after <= before && System.nanoTime() < end;) {
			Thread.sleep(500);
			after = rowsWritten("person");
		}

		assertThat(company.ownerId()).isNotNull();
		assertThat(after).isGreaterThan(before);
	}

	private double rowsWritten(String table) {
		String metrics = this.client.get("localhost", "/actuator/prometheus", "text/plain", OPERATOR).body();
		java.util.regex.Matcher m = java.util.regex.Pattern
			.compile("rollcall_database_rows_written_total\\{[^}]*table=\"" + table + "\"[^}]*\\} ([0-9.E+]+)")
			.matcher(metrics);
		assertThat(m.find()).as("rollcall_database_rows_written_total for " + table).isTrue();
		return Double.parseDouble(m.group(1));
	}

	@Test
	void openApiWhenFetchedThenDescribesTheDirectory() {
		Response openApi = this.client.send("GET", "localhost", "/api/openapi", null, null);

		assertThat(openApi.status()).isEqualTo(200);
		assertThat(openApi.json().path("paths").has("/api/v1/people")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/teams/{id}")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/companies")).isTrue();
	}

	@Test
	void errorWhenUnknownApiPathThenJsonProblemNotStackTrace() {
		var company = this.client.createCompany();

		Response response = this.client.api(company, "GET", "/api/v1/nothing-here");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().path("detail").asString()).contains("/api/v1/nothing-here");
		assertThat(response.body()).doesNotContain("Exception");
	}

}
