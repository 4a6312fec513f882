package io.rollcall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.rollcall.support.JarNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A damaged AOT cache never stops a node: {@code ./rollcall run} gives every start on a JDK 25+ its cache (issue 19),
 * with the JVM's own messages about it silenced, so the JVM must start without one it cannot map and the server must say
 * so in its log.
 */
class AheadOfTimeCacheIT {

	private static final String OPERATOR_TOKEN = "aot-cache-operator-token-0123456789abcdef";

	@Test
	void jarWhenGivenADamagedAotCacheThenStartsWithoutItAndSaysSo() throws Exception {
		assumeTrue(Runtime.version().feature() >= 25, "the AOT cache is a JDK 25 option");
		try (JarNode node = new JarNode("aot-cache", OPERATOR_TOKEN, Map.of())) {
			Path cache = node.dataDir().resolve("damaged.aot");
			byte[] noise = new byte[1 << 16];
			ThreadLocalRandom.current().nextBytes(noise);
			Files.write(cache, noise);
			// The options ./rollcall run starts the server with when it has a cache.
			Process process = node.start(Map.of("JAVA_TOOL_OPTIONS",
					"-XX:AOTCache=" + cache + " -Xlog:aot=off -Xlog:cds=off -Dspring.aot.enabled=true"));
			node.awaitHealthy(process);
			assertThat(Files.readString(node.log())).contains("The AOT cache " + cache + " could not be used");
			var created = node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
					"{\"slug\":\"cache\",\"name\":\"Cache\",\"ownerEmail\":\"owner@cache.test\"}");
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		}
	}

}
