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

	/** A run that stopped moving for now: it ended, waits for approval, or failed an attempt and waits to retry. */
	private static final Set<String> SETTLED = Set.of("succeeded", "failed", "previewed", "held", "discarded",
			"retrying",
			"superseded");

	private final RollcallClient client;

	private final int port;

	public Syncs(RollcallClient client, int port) {
		this.client = client;
		this.port = port;
	}

	public Response upload(TestCompany company, String csv) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/integrations/csv/uploads"))
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
		return await(company, runId, SETTLED, Duration.ofSeconds(60));
	}

	/** For runs of tens of thousands of people. */
	public JsonNode await(TestCompany company, String runId, Duration within) {
		return await(company, runId, SETTLED, within);
	}

	/** Waits until the run is in one of {@code statuses}. */
	public JsonNode await(TestCompany company, String runId, Set<String> statuses, Duration within) {
		Instant deadline = Instant.now().plus(within);
		while (Instant.now().isBefore(deadline)) {
			JsonNode run = this.client.api(company, "GET", "/api/v1/sync-runs/" + runId).json();
			if (statuses.contains(run.path("status").asString())) {
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
		throw new AssertionError("Run " + runId + " was not " + statuses + " within " + within + ": "
				+ this.client.api(company, "GET", "/api/v1/sync-runs/" + runId).body());
	}

	/**
	 * Starts a full run of {@code provider} ("entra", "okta") whose listing the provider stops answering midway (the
	 * test has set that fault): the run waits to retry, its error saying so, with nobody created from the pages read
	 * before; once {@code providerBack} has run, the retry creates all {@code expected} people. The run as it ended.
	 */
	public JsonNode failedMidwayThenRetried(TestCompany company, String provider, SourcePeople people,
			Runnable providerBack, int expected, Duration within, String... error) {
		Response started = this.client.api(company, "POST", "/api/v1/integrations/" + provider + "/sync-runs",
				Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String runId = started.json().path("id").asString();
		JsonNode failing = awaitRetrying(company, runId, 1, Duration.ofSeconds(60));

		assertThat(failing.path("error").asString()).contains(error);
		assertThat(people.activeCount()).as("nobody created from the pages read before").isZero();
		providerBack.run();
		JsonNode run = await(company, runId, Set.of("succeeded", "failed"), within);
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(expected);
		assertThat(people.activeCount()).isEqualTo(expected);
		return run;
	}

	/**
	 * Waits until the run has failed at least {@code attempts} times and waits to retry; fails at once when it ends or
	 * is held instead.
	 */
	public JsonNode awaitRetrying(TestCompany company, String runId, int attempts, Duration within) {
		Instant deadline = Instant.now().plus(within);
		while (Instant.now().isBefore(deadline)) {
			JsonNode run = this.client.api(company, "GET", "/api/v1/sync-runs/" + runId).json();
			String status = run.path("status").asString();
			if (status.equals("retrying") && run.path("attempts").asInt() >= attempts) {
				return run;
			}
			assertThat(status).as(run.toString()).isIn("queued", "planning", "applying", "retrying");
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new AssertionError("Run " + runId + " did not fail " + attempts + " time(s) within " + within);
	}

	/** Waits until the integration shows a run failing for at least {@code attempts} attempts; its health. */
	public JsonNode awaitProblem(TestCompany company, String kind, int attempts) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			JsonNode health = this.client.api(company, "GET", "/api/v1/integrations/" + kind + "/health").json();
			if (health.path("problem").path("attempts").asInt() >= attempts) {
				return health;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new AssertionError("No " + kind + " run failing " + attempts + " time(s) shown within 60 s");
	}

	/**
	 * Gives up the company's runs of this source that wait to retry, so that a test's failing provider does not
	 * keep the shared service's run threads busy after the test.
	 */
	public void discardRetrying(TestCompany company, String kind) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(deadline)) {
			boolean busy = false;
			for (JsonNode run : this.client.api(company, "GET", "/api/v1/integrations/" + kind + "/sync-runs").json()) {
				String status = run.path("status").asString();
				if (status.equals("retrying")) {
					// Refused when its next attempt began in between: then it is looked at again.
					busy |= this.client
						.api(company, "POST", "/api/v1/sync-runs/" + run.path("id").asString() + "/approval",
								java.util.Map.of("decision", "discard"))
						.status() != 200;
				}
				// An attempt under way may fail and wait to retry again: look once more when it has settled.
				busy |= Set.of("queued", "planning", "applying").contains(status);
			}
			if (!busy) {
				return;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	public JsonNode plan(TestCompany company, String runId) {
		return this.client.api(company, "GET", "/api/v1/sync-runs/" + runId + "/plan?limit=1000").json();
	}

	public static JsonMapper json() {
		return JsonMapper.builder().build();
	}

}
