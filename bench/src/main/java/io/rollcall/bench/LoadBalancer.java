package io.rollcall.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy in front of Rollcall nodes, as a platform runs them: round robin without stickiness, health checks
 * on {@code /actuator/health}, keep-alive to the nodes. The benchmark's own copy of the tests' harness
 * ({@code support.Cluster}): the benchmarks use nothing but the JDK and the packaged jars.
 */
final class LoadBalancer implements AutoCloseable {

	private static final List<Path> HAPROXY = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy"));

	private final Process process;

	private final int port;

	private LoadBalancer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** HAProxy on a free port in front of the nodes listening on {@code nodePorts}, once it accepts connections. */
	static LoadBalancer start(List<Integer> nodePorts) throws Exception {
		Path haproxy = HAPROXY.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"This benchmark needs Debian's haproxy: run 'apt-get install haproxy' (./rollcall bench nodes does it)"));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		StringBuilder servers = new StringBuilder();
		for (int n = 0; n < nodePorts.size(); n++) {
			servers.append("    server node%d 127.0.0.1:%d check inter 1s fall 2 rise 1\n".formatted(n + 1,
					nodePorts.get(n)));
		}
		Path dir = Files.createTempDirectory("rollcall-bench-haproxy-");
		Path config = dir.resolve("haproxy.cfg");
		Files.writeString(config, """
				global
				    maxconn 2000

				defaults
				    mode http
				    timeout connect 5s
				    timeout client 120s
				    timeout server 120s

				frontend rollcall
				    bind 127.0.0.1:%d
				    default_backend nodes

				backend nodes
				    balance roundrobin
				    option httpchk
				    http-check send meth GET uri /actuator/health ver HTTP/1.1 hdr Host localhost
				    http-check expect status 200
				%s""".formatted(port, servers));
		Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("haproxy.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try (Socket probe = new Socket("127.0.0.1", port)) {
				break;
			}
			catch (IOException ex) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"HAProxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
				}
				Thread.sleep(50);
			}
		}
		// The first health checks mark each node up (rise 1, every second).
		Thread.sleep(1_500);
		return new LoadBalancer(process, port);
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
