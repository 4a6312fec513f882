package io.rollcall.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads files and runs syncs through the API, and waits for runs to settle. */
public final class Syncs {

	private static final Set<String> SETTLED = Set.of("succeeded", "failed", "previewed", "held", "discarded");

	private final RollcallClient client;

	private final int port;

	public Syncs(RollcallClient client, int port) {
		this.client = client;
		this.port = port;
	}

	public Response upload(TestCompany company, String csv) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/integrations/csv/uploads"))
					.header("Host", company.slug() + ".localhost")
					.header("Authorization", "Bearer " + company.apiKey())
					.header("Content-Type", "text/csv")
					.POST(HttpRequest.BodyPublishers.ofString(csv))
					.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Uploads the file, runs it (or previews it) and waits for the run to settle. */
	public JsonNode importCsv(TestCompany company, String csv, boolean dryRun, Map<String, Object> options) {
		Response upload = upload(company, csv);
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		Map<String, Object> body = new HashMap<>(options);
		body.put("uploadId", upload.json().path("id").asString());
		body.put("dryRun", dryRun);
		Response started = this.client.api(company, "POST", "/api/v1/integrations/csv/sync-runs", body);
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return await(company, started.json().path("id").asString());
	}

	public JsonNode importCsv(TestCompany company, String csv) {
		return importCsv(company, csv, false, Map.of());
	}

	public JsonNode await(TestCompany company, String runId) {
		return await(company, runId, Duration.ofSeconds(60));
	}

	/** For runs of tens of thousands of people. */
	public JsonNode await(TestCompany company, String runId, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			JsonNode run = this.client.api(company, "GET", "/api/v1/sync-runs/" + runId).json();
			if (SETTLED.contains(run.path("status").asString())) {
				return run;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new AssertionError("Run " + runId + " did not settle within " + timeout.toSeconds() + " s");
	}

	public JsonNode plan(TestCompany company, String runId) {
		return this.client.api(company, "GET", "/api/v1/sync-runs/" + runId + "/plan?limit=1000").json();
	}

	public static JsonMapper json() {
		return JsonMapper.builder().build();
	}

}
