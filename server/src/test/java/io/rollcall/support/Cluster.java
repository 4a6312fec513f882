package io.rollcall.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollcall's nodes on one database behind HAProxy, Debian's load balancer, as a platform runs them: round robin with
 * no stickiness (each request goes to the next node, whatever cookie it carries), the Host header passed on as it is
 * (it names the company), health checks on {@code /actuator/health/readiness} (as the README asks of a platform's balancer). Every answer names the node that served it: the
 * header {@value #NODE_HEADER} for HTTP clients, and {@code Server-Timing: node;desc=node2} for a browser, whose page
 * can read it. A request whose query has {@code rollcall-node=node2} goes to that node: how a browser test makes a
 * page land where it wants while the requests around it are balanced. Nothing is downloaded: {@code haproxy} comes
 * from Debian's package, which {@code ./rollcall test} installs. Close it at the end of the test: HAProxy stops, and
 * so do the nodes it was given.
 */
public final class Cluster implements AutoCloseable {

	public static final String NODE_HEADER = "X-Rollcall-Node";

	/** The query parameter that sends a request to one node. */
	public static final String PIN = "rollcall-node";

	private static final List<Path> HAPROXY = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy"));

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process haproxy;

	private final Path log;

	private final int port;

	private final int statsPort;

	private final List<String> nodes;

	/** Stops the nodes it was given to own. */
	private final List<Runnable> started;

	private Cluster(Process haproxy, Path log, int port, int statsPort, List<String> nodes, List<Runnable> started) {
		this.haproxy = haproxy;
		this.log = log;
		this.port = port;
		this.statsPort = statsPort;
		this.nodes = nodes;
		this.started = started;
	}

	/**
	 * Puts HAProxy in front of the node listening on {@code firstNodePort} ({@code node1}) and the others ({@code node2},
	 * ...), and returns once it sees every node healthy.
	 */
	public static Cluster start(int firstNodePort, SecondNode... others) {
		List<Integer> ports = new ArrayList<>();
		ports.add(firstNodePort);
		Arrays.stream(others).forEach(node -> ports.add(node.port()));
		return start(freePort(), ports, Arrays.stream(others).<Runnable>map(node -> node::close).toList());
	}

	/**
	 * Puts HAProxy on {@code port} (from {@link #freePort()}, so that the nodes can be told their public address before
	 * it starts) in front of nodes the caller runs and stops ({@code node1} on the first port, ...), and returns once it
	 * sees every node healthy.
	 */
	public static Cluster of(int port, List<Integer> nodePorts) {
		return start(port, nodePorts, List.of());
	}

	private static Cluster start(int port, List<Integer> ports, List<Runnable> owned) {
		List<String> names = new ArrayList<>();
		for (int n = 1; n <= ports.size(); n++) {
			names.add("node" + n);
		}
		Path dir = TempDirs.create("rollcall-haproxy-");
		int statsPort = freePort();
		Path config = dir.resolve("haproxy.cfg");
		Path log = dir.resolve("haproxy.log");
		Process haproxy;
		try {
			Files.writeString(config, config(port, statsPort, names, ports));
			haproxy = ChildProcesses.track(new ProcessBuilder(haproxy().toString(), "-db", "-f", config.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start HAProxy", ex);
		}
		Cluster cluster = new Cluster(haproxy, log, port, statsPort, List.copyOf(names), owned);
		cluster.awaitHealthy(Duration.ofSeconds(30));
		return cluster;
	}

	/** The load balancer's port: every request a test sends here goes to one of the nodes. */
	public int port() {
		return this.port;
	}

	public List<String> nodes() {
		return this.nodes;
	}

	/** HAProxy's log: every request (client, node, timers, status, termination state, retries) and every check's verdict. */
	public Path log() {
		return this.log;
	}

	/** The node that served an answer, from the header HAProxy adds. */
	public static String servedBy(RollcallClient.Response response) {
		return servedBy(response.headers());
	}

	public static String servedBy(java.net.http.HttpHeaders headers) {
		return headers.firstValue(NODE_HEADER)
			.orElseThrow(() -> new AssertionError("An answer without " + NODE_HEADER + ": not through the cluster?"));
	}

	/** The path with the query parameter that sends it to {@code node}. */
	public static String pinned(String path, String node) {
		return path + (path.contains("?") ? "&" : "?") + PIN + "=" + node;
	}

	/** The answers each node has sent through HAProxy so far, from its statistics. */
	public Map<String, Long> answersByNode() {
		Map<String, Long> answers = new LinkedHashMap<>();
		List<String[]> rows = stats();
		List<String> header = Arrays.asList(rows.getFirst());
		for (String[] row : rows.subList(1, rows.size())) {
			if ("nodes".equals(row[0]) && this.nodes.contains(row[1])) {
				long total = 0;
				for (String column : List.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx",
						"hrsp_other")) {
					String value = row[header.indexOf(column)];
					total += value.isEmpty() ? 0 : Long.parseLong(value);
				}
				answers.put(row[1], total);
			}
		}
		return answers;
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.haproxy, Duration.ofSeconds(10));
		this.started.forEach(Runnable::run);
	}

	/** Returns once HAProxy sees every node healthy, else throws (and stops HAProxy). */
	public void awaitHealthy(Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		String seen = "nothing yet";
		while (System.nanoTime() < deadline) {
			if (!this.haproxy.isAlive()) {
				throw new IllegalStateException("HAProxy stopped: " + haproxyLog());
			}
			try {
				List<String[]> rows = stats();
				List<String> header = Arrays.asList(rows.getFirst());
				int status = header.indexOf("status");
				List<String> up = rows.stream()
					.filter(row -> "nodes".equals(row[0]) && this.nodes.contains(row[1]))
					.filter(row -> "UP".equals(row[status]))
					.map(row -> row[1])
					.toList();
				seen = up + " up";
				if (up.size() == this.nodes.size()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// Not listening yet.
				seen = ex.toString();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		close();
		throw new IllegalStateException("HAProxy did not see every node healthy within " + within + " (" + seen
				+ "): " + haproxyLog());
	}

	/** HAProxy's statistics as CSV rows, the first one its header (without its leading "# "). */
	private List<String[]> stats() {
		try {
			HttpResponse<String> answer = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.statsPort + "/stats;csv"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() != 200) {
				throw new IllegalStateException("HAProxy's statistics answered " + answer.statusCode());
			}
			return answer.body()
				.lines()
				.filter(line -> !line.isBlank())
				.map(line -> (line.startsWith("# ") ? line.substring(2) : line).split(",", -1))
				.toList();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String haproxyLog() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static String config(int port, int statsPort, List<String> names, List<Integer> ports) {
		StringBuilder servers = new StringBuilder();
		StringBuilder pins = new StringBuilder();
		for (int n = 0; n < names.size(); n++) {
			pins.append("    use-server %s if { urlp(%s) -m str %s }\n".formatted(names.get(n), PIN, names.get(n)));
			servers.append("    server %s 127.0.0.1:%d\n".formatted(names.get(n), ports.get(n)));
		}
		return """
				global
				    # Room for a sender's retries piling up: at 1,000 HAProxy stopped accepting, and deliveries waited
				    # unseen in the listen queue.
				    maxconn 4096
				    log stdout format iso local0 info

				defaults
				    mode http
				    log global
				    log-format "%%ci:%%cp %%b/%%s %%TR/%%Tw/%%Tc/%%Tr/%%Ta %%ST %%tsc retries=%%rc %%{+Q}r"
				    option forwardfor
				    option dontlognull
				    timeout connect 5s
				    timeout client 60s
				    timeout server 60s
				    # A busy node answers its check late, not wrongly: with the check's timeout left at inter (500 ms), a
				    # node starved of CPU for a second was taken out, and then the others, each taking more load.
				    timeout check 2s
				    # A request whose node refused the connection, or closed it without an answer (a keep-alive
				    # connection it was closing as the request came), goes to another node: a provider's webhook is
				    # safe to send twice.
				    retries 2
				    option redispatch 1
				    retry-on conn-failure empty-response
				    # At most 32 requests at once on a node (its pool has 20 connections); the rest wait here, where a
				    # request whose sender gave up is dropped (abortonclose), instead of in the node, where it held a
				    # thread waiting up to 30 s for a connection and starved the node's own queue workers.
				    timeout queue 2s
				    option abortonclose
				    # Readiness down (a stopping node) is seen within 1 s, before its drain ends; a restarted node gets
				    # its share over 10 s, while its JIT compiles the paths it serves.
				    default-server check inter 500ms fall 2 rise 2 slowstart 10s maxconn 32

				frontend rollcall
				    bind 127.0.0.1:%d
				    default_backend nodes

				backend nodes
				    balance roundrobin
				    option httpchk
				    http-check send meth GET uri /actuator/health/readiness ver HTTP/1.1 hdr Host localhost
				    http-check expect status 200
				    http-response set-header %s %%[srv_name]
				    http-response set-header Server-Timing "node;desc=%%[srv_name]"
				%s%s
				listen stats
				    bind 127.0.0.1:%d
				    stats enable
				    stats uri /stats
				"""
			.formatted(port, NODE_HEADER, pins, servers, statsPort);
	}

	private static Path haproxy() {
		return HAPROXY.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"The multi-node tests need Debian's haproxy at " + HAPROXY.getFirst()
							+ ": run 'apt-get install haproxy' (./rollcall test does it)"));
	}

	/** A free loopback port, for {@link #of}. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
