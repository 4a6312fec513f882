package io.rollcall.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Node receiver of {@code webhooks/standardwebhooks-receiver.js}: verifies deliveries with the Standard Webhooks
 * reference library ({@code standardwebhooks} on npm), installed once into {@code target/} with the machine's npm.
 */
final class StandardWebhooksReceiver implements AutoCloseable {

	static final String PACKAGE = "standardwebhooks@1.1.1";

	private static final Path INSTALL = Path.of("target", "standardwebhooks-receiver").toAbsolutePath();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private StandardWebhooksReceiver(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static StandardWebhooksReceiver start() throws Exception {
		install();
		Path script = Path
			.of(StandardWebhooksReceiver.class.getResource("/webhooks/standardwebhooks-receiver.js").toURI());
		ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
		builder.environment().put("NODE_PATH", INSTALL.resolve("node_modules").toString());
		Process process = builder.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = out.readLine();
		if (line == null || !line.startsWith("listening ")) {
			process.destroyForcibly();
			throw new IllegalStateException("The Node receiver did not start: " + line);
		}
		Thread.ofVirtual().start(() -> out.lines().forEach(l -> System.out.println("[receiver] " + l)));
		return new StandardWebhooksReceiver(process, Integer.parseInt(line.substring("listening ".length()).strip()));
	}

	private static synchronized void install() throws IOException, InterruptedException {
		if (Files.exists(INSTALL.resolve("node_modules/standardwebhooks/package.json"))) {
			return;
		}
		Files.createDirectories(INSTALL);
		// Installed as a project of its own in its directory, not with --prefix: --prefix also moves npm's global
		// configuration to <prefix>/etc/npmrc, hiding the machine's (where a proxy's certificate authority may be set).
		Files.writeString(INSTALL.resolve("package.json"), "{\"private\": true}\n");
		Process npm;
		try {
			npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", PACKAGE)
				.directory(INSTALL.toFile())
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The webhook tests verify deliveries with the npm package " + PACKAGE
					+ " and need Node.js and npm: install them (apt-get install nodejs npm) and run the tests again",
					ex);
		}
		String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
			throw new IllegalStateException("npm could not install " + PACKAGE + ": " + output);
		}
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	/** The secrets, by name, that deliveries to {@code path} are verified with. */
	void accept(String path, Map<String, String> secrets) throws Exception {
		int status = post("/_config", Map.of(), JSON.writeValueAsString(Map.of("path", path, "secrets", secrets)));
		if (status != 204) {
			throw new IllegalStateException("The receiver refused its configuration: " + status);
		}
	}

	List<JsonNode> accepted(String path) throws Exception {
		return list(log(path).path("accepted"));
	}

	List<JsonNode> rejected(String path) throws Exception {
		return list(log(path).path("rejected"));
	}

	private JsonNode log(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url("/_log?path=" + path)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	/** Sends a request of the test's own making, as a forger would. */
	int post(String path, Map<String, String> headers, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static List<JsonNode> list(JsonNode array) {
		List<JsonNode> items = new java.util.ArrayList<>();
		array.forEach(items::add);
		return items;
	}

	@Override
	public void close() {
		this.process.destroy();
	}

}
