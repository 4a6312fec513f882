package io.rollcall.company;

import java.util.Locale;
import java.util.Optional;

import io.rollcall.platform.RollcallProperties;

import org.springframework.stereotype.Component;

/**
 * Maps host names to companies and back: {@code acme.localhost} is company {@code acme} when the base domain is
 * {@code localhost}; the bare base domain (or any other name, such as 127.0.0.1) names no company.
 */
@Component
public class CompanyHosts {

	private final String baseDomain;

	private final String scheme;

	private final String publicPort;

	private final org.springframework.core.env.Environment environment;

	/** The port the web server listens on, once it has started; asking the environment costs a lot per request. */
	private volatile String listeningPort;

	CompanyHosts(RollcallProperties properties, org.springframework.core.env.Environment environment) {
		this.baseDomain = properties.baseDomain().toLowerCase(Locale.ROOT);
		this.scheme = properties.publicScheme();
		this.publicPort = properties.publicPort();
		this.environment = environment;
	}

	/** The slug a host names, if it is of the form {@code {slug}.{base-domain}} with one label before it. */
	public Optional<String> slugOf(String host) {
		if (host == null) {
			return Optional.empty();
		}
		String name = stripPort(host).toLowerCase(Locale.ROOT);
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		String suffix = "." + this.baseDomain;
		if (!name.endsWith(suffix)) {
			return Optional.empty();
		}
		String slug = name.substring(0, name.length() - suffix.length());
		return (slug.isEmpty() || slug.contains(".")) ? Optional.empty() : Optional.of(slug);
	}

	/** Where people of a company open Rollcall, e.g. {@code http://acme.localhost:8080}. */
	public String baseUrl(Company company) {
		String port = currentPort();
		boolean defaultPort = ("http".equals(this.scheme) && "80".equals(port))
				|| ("https".equals(this.scheme) && "443".equals(port));
		return this.scheme + "://" + company.slug() + "." + this.baseDomain + (defaultPort ? "" : ":" + port);
	}

	// Read late: with port 0 the real port is only known once the web server has started.
	private String currentPort() {
		if (this.publicPort != null && !this.publicPort.isBlank()) {
			return this.publicPort;
		}
		String port = this.listeningPort;
		return port != null ? port
				: this.environment.getProperty("local.server.port",
						this.environment.getProperty("server.port", "8080"));
	}

	@org.springframework.context.event.EventListener
	void webServerStarted(org.springframework.boot.web.server.context.WebServerInitializedEvent event) {
		this.listeningPort = String.valueOf(event.getWebServer().getPort());
	}

	private static String stripPort(String host) {
		if (host.startsWith("[")) {
			int end = host.indexOf(']');
			return end > 0 ? host.substring(0, end + 1) : host;
		}
		int colon = host.lastIndexOf(':');
		return colon >= 0 ? host.substring(0, colon) : host;
	}

}
