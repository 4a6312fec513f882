package io.rollcall.jsondirectory;

import java.net.URI;

import io.rollcall.connector.ProviderException;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.RequestRejectedException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract's rules without Spring: how a person reads, which next links are followed, which endpoints are taken. */
class JsonDirectoryContractTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final URI ENDPOINT = URI.create("https://hr.acme.example/api/people");

	@Test
	void recordWhenPersonListedThenFieldsByNameManagerWhenTakenAndAbsentActiveIsActive() {
		SourceRecord record = JsonDirectorySource.record(JSON.readTree("""
				{"id": 1042, "email": " ann@acme.example ", "givenName": "Ann", "familyName": "Lee", "department": "",
				 "jobTitle": null, "managerId": "7", "pictureUrl": "https://x/y.jpg", "extra": "ignored"}"""), true);

		assertThat(record.externalId()).isEqualTo("1042");
		assertThat(record.attributes()).containsEntry("email", "ann@acme.example")
			.containsEntry("givenName", "Ann")
			.doesNotContainKeys("department", "jobTitle", "extra", "pictureUrl");
		assertThat(record.enabled()).isTrue();
		assertThat(record.managerRef()).isEqualTo("7");
		assertThat(
				JsonDirectorySource.record(JSON.readTree("{\"id\": \"a\", \"managerId\": \"7\"}"), false).managerRef())
			.isNull();
		assertThat(JsonDirectorySource.record(JSON.readTree("{\"id\": \"a\", \"active\": false}"), false).enabled())
			.isFalse();
	}

	@Test
	void followWhenNextIsRelativeOrOnTheSameOriginThenResolvedAgainstThePage() {
		URI page = URI.create("https://hr.acme.example/api/people?limit=200");

		assertThat(JsonDirectoryClient.follow(ENDPOINT, page, "?limit=200&cursor=abc"))
			.isEqualTo("https://hr.acme.example/api/people?limit=200&cursor=abc");
		assertThat(JsonDirectoryClient.follow(ENDPOINT, page, "/api/people?cursor=abc"))
			.isEqualTo("https://hr.acme.example/api/people?cursor=abc");
		assertThat(JsonDirectoryClient.follow(ENDPOINT, page, "https://HR.acme.example/api/people?cursor=abc"))
			.isEqualTo("https://HR.acme.example/api/people?cursor=abc");
	}

	@Test
	void followWhenNextIsOnAnotherServerOrSchemeThenRefusedSoTheTokenStaysHome() {
		URI page = URI.create("https://hr.acme.example/api/people?limit=200");

		for (String next : new String[] { "https://evil.example/people", "http://hr.acme.example/api/people",
				"https://hr.acme.example:8443/api/people" }) {
			assertThatThrownBy(() -> JsonDirectoryClient.follow(ENDPOINT, page, next)).as(next)
				.isInstanceOf(ProviderException.class)
				.hasMessageContaining("another server");
		}
	}

	@Test
	void peopleUrlWhenHttpsOrHttpOnThisMachineThenTakenElseRefused() {
		assertThat(JsonDirectoryIntegration.peopleUrl(" https://hr.acme.example/api/people?tenant=1 "))
			.isEqualTo("https://hr.acme.example/api/people?tenant=1");
		assertThat(JsonDirectoryIntegration.peopleUrl("http://127.0.0.1:9000/people"))
			.isEqualTo("http://127.0.0.1:9000/people");
		assertThat(JsonDirectoryIntegration.peopleUrl("http://localhost:9000/people"))
			.isEqualTo("http://localhost:9000/people");
		for (String url : new String[] { "http://hr.acme.example/people", "ftp://hr.acme.example/people",
				"https://user:pw@hr.acme.example/people", "https://hr.acme.example/people#x", "hr.acme.example", "" }) {
			assertThatThrownBy(() -> JsonDirectoryIntegration.peopleUrl(url)).as(url)
				.isInstanceOf(RequestRejectedException.class);
		}
	}

}
