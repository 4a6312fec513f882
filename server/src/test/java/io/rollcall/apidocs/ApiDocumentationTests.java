package io.rollcall.apidocs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as a client's developer meets it: open without a key, stating its credentials on every
 * operation, free of internal arguments, and the same as the committed {@code server/api/openapi.json} that the
 * build lints and generates the test client from.
 */
class ApiDocumentationTests extends IntegrationTest {

	/** The committed document; the build validates it and generates the test client from it (server/pom.xml). */
	static final Path COMMITTED = Path.of("api/openapi.json");

	/** Where the live document is written when it differs, to compare or copy. */
	static final Path LIVE = Path.of("target/openapi.json");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@Test
	void openApiWhenReadThenSameAsCommittedDocument() throws Exception {
		JsonNode live = document();
		boolean refresh = Boolean.getBoolean("rollcall.openapi.refresh");
		if (refresh || !Files.exists(COMMITTED)) {
			Files.writeString(COMMITTED, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
		}
		JsonNode committed = JSON.readTree(Files.readString(COMMITTED, StandardCharsets.UTF_8));
		if (!live.equals(committed)) {
			Files.writeString(LIVE, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
		}
		assertThat(live).as("The API changed but server/api/openapi.json did not. Compare it with server/target/openapi.json "
				+ "(the live document), then copy that over it, or run: ./rollcall test -pl server -am -DskipITs "
				+ "-Dtest=ApiDocumentationTests -Dsurefire.failIfNoSpecifiedTests=false -Drollcall.openapi.refresh=true")
			.isEqualTo(committed);
	}

	private JsonNode document() {
		Response response = this.client.get("localhost", "/api/openapi", "application/json");
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

}
