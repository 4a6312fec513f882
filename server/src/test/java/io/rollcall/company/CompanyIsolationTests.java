package io.rollcall.company;

import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompanyIsolationTests extends IntegrationTest {

	@Test
	void apiWhenKeyOfAnotherCompanyThenUnauthorized() {
		TestCompany a = this.client.createCompany();
		TestCompany b = this.client.createCompany();

		Response response = this.client.send("GET", b.slug() + ".localhost", "/api/v1/people", "Bearer " + a.apiKey(),
				null);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).doesNotContain(b.ownerEmail());
	}

	@Test
	void apiWhenPersonOfAnotherCompanyThenNotFound() {
		TestCompany a = this.client.createCompany();
		TestCompany b = this.client.createCompany();

		Response response = this.client.api(a, "GET", "/api/v1/people/" + b.ownerId());

		assertThat(response.status()).isEqualTo(404);
		assertThat(this.client.api(a, "PATCH", "/api/v1/people/" + b.ownerId(), Map.of("jobTitle", "Spy")).status())
			.isEqualTo(404);
		assertThat(this.client.api(b, "GET", "/api/v1/people/" + b.ownerId()).json().path("jobTitle").isNull())
			.isTrue();
	}

	@Test
	void apiWhenUnknownCompanyHostThenNotFoundJson() {
		Response response = this.client.send("GET", "no-such-company.localhost", "/api/v1/people", null, null);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().path("detail").asString()).contains("no-such-company");
	}

	@Test
	void apiWhenNoKeyThenUnauthorizedWithHowTo() {
		TestCompany company = this.client.createCompany();

		Response response = this.client.send("GET", company.slug() + ".localhost", "/api/v1/people", null, null);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().path("detail").asString()).contains("Authorization: Bearer");
	}

	@Test
	void apiKeyWhenRevokedThenRefusedAtOnce() {
		TestCompany company = this.client.createCompany();
		Response created = this.client.api(company, "POST", "/api/v1/api-keys", Map.of("name", "ci bot"));
		assertThat(created.status()).isEqualTo(201);
		String secret = created.json().path("secret").asString();
		String id = created.json().path("key").path("id").asString();
		String host = company.slug() + ".localhost";
		assertThat(this.client.send("GET", host, "/api/v1/people", "Bearer " + secret, null).status()).isEqualTo(200);

		assertThat(this.client.api(company, "DELETE", "/api/v1/api-keys/" + id).status()).isEqualTo(200);

		assertThat(this.client.send("GET", host, "/api/v1/people", "Bearer " + secret, null).status()).isEqualTo(401);
		Response keys = this.client.api(company, "GET", "/api/v1/api-keys");
		assertThat(keys.body()).doesNotContain(secret);
		assertThat(keys.json()).anySatisfy(k -> {
			assertThat(k.path("name").asString()).isEqualTo("ci bot");
			assertThat(k.path("revokedAt").isNull()).isFalse();
		});
	}

	@Test
	void companySettingsWhenUpdatedThenAuditedAndInvalidZoneRefused() {
		TestCompany company = this.client.createCompany();

		Response updated = this.client.api(company, "PATCH", "/api/v1/company",
				Map.of("name", "Renamed", "defaultTimezone", "Europe/London", "defaultLanguage", "pt_br"));
		Response invalid = this.client.api(company, "PATCH", "/api/v1/company",
				Map.of("defaultTimezone", "Mars/Olympus"));

		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.json().path("defaultLanguage").asString()).isEqualTo("pt-BR");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.json().path("field").asString()).isEqualTo("defaultTimezone");
		assertThat(this.client.api(company, "GET", "/api/v1/company").json().path("defaultTimezone").asString())
			.isEqualTo("Europe/London");
		Response audit = this.client.api(company, "GET", "/api/v1/audit?subject=" + company.id());
		assertThat(audit.json().path("items").get(0).path("changes").path("name").path("to").asString())
			.isEqualTo("Renamed");
	}

}
