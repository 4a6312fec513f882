package io.rollcall.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SCIM mixed load sent by wrk with bench/wrk/scim-mixed.lua, the same script for every server: the generator issue
 * 19 measured with, run beside the Java one so that a generator's own cost on two shared cores would show (it did not:
 * bench/RESULTS.md, thirteenth session). The token goes by the environment, never on wrk's command line.
 */
final class WrkLoad {

	static final Path SCRIPT = Path.of("bench/wrk/scim-mixed.lua");

	private static final Pattern RESULT = Pattern.compile("^WRK_RESULT (.*)$", Pattern.MULTILINE);

	private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");

	/**
	 * One run's figures: requests answered, its length, p50 / p99 / max in ms, answers not 2xx, lookups (list answers)
	 * and those that found nobody, POSTs sent, connections that failed, requests beyond wrk's timeout.
	 */
	record Figures(long requests, double seconds, double p50, double p99, double max, long non2xx, long lookups,
			long nobody, long posts, long socketErrors, long timeouts) {

		double requestsPerSecond() {
			return this.requests / this.seconds;
		}

		long errors() {
			return this.non2xx + this.socketErrors + this.timeouts;
		}

	}

	private final int port;

	private final String host;

	private final String base;

	private final String authorization;

	/** Against {@code base}/Users on 127.0.0.1:{@code port}, with that Host and Authorization header. */
	WrkLoad(int port, String host, String base, String authorization) {
		this.port = port;
		this.host = host;
		this.base = base;
		this.authorization = authorization;
	}

	/**
	 * {@code connections} connections on 2 threads for {@code seconds}: {@code shares} (lookups, POSTs, PATCHes in
	 * percent) of the users {@code ids} (their userNames {@code userName.apply(n)}); new users named from
	 * {@code prefix}, which must differ from run to run.
	 */
	Figures run(List<String> ids, IntFunction<String> userName, int[] shares, int connections, long seconds,
			String prefix) throws IOException, InterruptedException {
		Path users = Files.createTempFile("rollcall-bench-wrk-", ".txt");
		try {
			List<String> lines = new ArrayList<>(ids.size());
			for (int n = 0; n < ids.size(); n++) {
				lines.add(ids.get(n) + " " + userName.apply(n));
			}
			Files.write(users, lines, StandardCharsets.UTF_8);
			ProcessBuilder builder = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
					"--timeout", "10s", "-s", SCRIPT.toString(), "http://127.0.0.1:" + this.port)
				.redirectErrorStream(true);
			builder.environment()
				.putAll(Map.of("SCIM_BASE", this.base, "SCIM_AUTH", this.authorization, "SCIM_HOST", this.host,
						"SCIM_USERS", users.toString(), "SCIM_PREFIX", prefix, "SCIM_MIX",
						shares[0] + "," + shares[1] + "," + shares[2]));
			Process wrk = builder.start();
			String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			Matcher result = RESULT.matcher(output);
			if (wrk.waitFor() != 0 || !result.find()) {
				throw new IllegalStateException("wrk gave no result:\n" + output);
			}
			Map<String, Double> fields = new java.util.HashMap<>();
			Matcher field = FIELD.matcher(result.group(1));
			while (field.find()) {
				fields.put(field.group(1), Double.parseDouble(field.group(2)));
			}
			return new Figures(fields.get("requests").longValue(), fields.get("seconds"), fields.get("p50"),
					fields.get("p99"), fields.get("max"), fields.get("non2xx").longValue(),
					fields.get("lookups").longValue(), fields.get("nobody").longValue(),
					fields.get("posts").longValue(), fields.get("socket").longValue(),
					fields.get("timeouts").longValue());
		}
		finally {
			Files.deleteIfExists(users);
		}
	}

}
