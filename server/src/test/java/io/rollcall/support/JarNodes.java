package io.rollcall.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several packaged {@code rollcall.jar} nodes ({@link JarNode}) on one {@link TestPostgres}, as one cluster: the same
 * database and the same secrets key. Each node keeps its index, port and data directory over restarts; the test kills
 * (-9), stops (SIGTERM) and starts them again by index.
 */
public final class JarNodes implements AutoCloseable {

	private final List<JarNode> nodes = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	/**
	 * Starts {@code count} nodes, each once the one before is healthy; stops them all when one does not start.
	 *
	 * @param settings added to every node's environment (after the database's and the key)
	 */
	public static JarNodes start(String name, int count, String operatorToken, TestPostgres postgres,
			Map<String, String> settings) throws Exception {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		Map<String, String> environment = new HashMap<>(postgres.nodeSettings());
		environment.put("ROLLCALL_SECRETS_KEY", Base64.getEncoder().encodeToString(key));
		environment.putAll(settings);
		JarNodes cluster = new JarNodes();
		for (int i = 0; i < count; i++) {
			cluster.nodes.add(new JarNode(name + "-" + i, operatorToken, environment));
			cluster.processes.add(null);
		}
		try {
			// One after the other: the first migrates the database, and booting together takes longer on two cores.
			for (int i = 0; i < count; i++) {
				cluster.start(i);
				cluster.awaitHealthy(i);
			}
		}
		catch (Exception | AssertionError ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	public int size() {
		return this.nodes.size();
	}

	public JarNode node(int index) {
		return this.nodes.get(index);
	}

	/** The node's current process (the last one started). */
	public Process process(int index) {
		return this.processes.get(index);
	}

	public List<Process> processes() {
		return List.copyOf(this.processes);
	}

	/** The nodes' ports, in order. */
	public List<Integer> ports() {
		return this.nodes.stream().map(JarNode::port).toList();
	}

	/** Starts the node (again), without waiting. */
	public Process start(int index) throws Exception {
		Process process = this.nodes.get(index).start();
		this.processes.set(index, process);
		return process;
	}

	/** Waits until the node says it is healthy; the milliseconds it took. */
	public long awaitHealthy(int index) throws Exception {
		return this.nodes.get(index).awaitHealthy(this.processes.get(index));
	}

	/** SIGKILL: no shutdown hook, nothing handed back. */
	public void kill(int index) throws InterruptedException {
		Process process = this.processes.get(index);
		process.destroyForcibly();
		process.waitFor();
	}

	/**
	 * SIGTERM, as a platform stops a node, and waits for it to exit; the milliseconds it took.
	 *
	 * @return how long it took to exit
	 */
	public long stop(int index) throws InterruptedException {
		Process process = this.processes.get(index);
		long start = System.nanoTime();
		process.destroy();
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("node %d exited within 90 s of SIGTERM", index)
			.isTrue();
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	public boolean healthy(int index) {
		try {
			var health = this.nodes.get(index).get("localhost", "/actuator/health", null);
			return health.statusCode() == 200 && health.body().contains("\"UP\"");
		}
		catch (Exception ex) {
			return false;
		}
	}

	/** Stops every node, each whatever happened to the one before; the first failure is thrown at the end. */
	@Override
	public void close() throws Exception {
		ChildProcesses.closeAll(this.nodes.toArray(AutoCloseable[]::new));
	}

}
