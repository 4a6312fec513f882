package io.rollcall.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.rollcall.RollcallApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another Rollcall node in the same JVM, on the first node's database (as an external database: it starts no
 * PostgreSQL of its own) and data directory (so the same secrets key). It runs every worker a node runs, so tests
 * see what two nodes writing and reading at once do. Close it at the end of the test.
 */
public final class SecondNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private SecondNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts a node on the database behind {@code firstNodeDataSource}.
	 * @param arguments more command-line arguments, e.g. {@code --rollcall.scim.requests-per-second=20}
	 */
	public static SecondNode start(DataSource firstNodeDataSource, Path dataDir, int smtpPort, String... arguments) {
		HikariDataSource hikari;
		try {
			hikari = firstNodeDataSource.unwrap(HikariDataSource.class);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("The first node's data source is not a pool this test knows", ex);
		}
		// As arguments: they outrank application.yml, which default properties would not.
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--rollcall.data-dir=" + dataDir,
				"--rollcall.database.url=" + hikari.getJdbcUrl(), "--rollcall.database.user=" + hikari.getUsername(),
				"--rollcall.database.password=" + (hikari.getPassword() == null ? "" : hikari.getPassword()),
				"--rollcall.database.durable=false", "--rollcall.operator-token=" + IntegrationTest.OPERATOR_TOKEN,
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtpPort, "--rollcall.shutdown.drain=0s"));
		all.addAll(List.of(arguments));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RollcallApplication.class)
			.run(all.toArray(String[]::new));
		return new SecondNode(context);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public RollcallClient client() {
		return new RollcallClient(port());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
