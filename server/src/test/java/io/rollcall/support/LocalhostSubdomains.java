package io.rollcall.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Resolves the {@code *.localhost} names a test asks for to the loopback address in the test JVM, as browsers do
 * (RFC 6761): a relying party started by a test reaches a company's issuer, {@code http://{slug}.localhost:{port}},
 * by the name its ID tokens carry. Only the names asked for: other tests rely on {@code *.localhost} not resolving
 * (a webhook or notification sent to a company's host goes nowhere), so every other name goes to the system's
 * resolver. Installed through {@code META-INF/services}.
 */
public final class LocalhostSubdomains extends InetAddressResolverProvider {

	private static final Set<String> RESOLVED = ConcurrentHashMap.newKeySet();

	/** From now on, {@code host} (a name under {@code .localhost}) is the loopback address in this JVM. */
	public static void resolve(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (!name.endsWith(".localhost")) {
			throw new IllegalArgumentException("Only names under .localhost: " + host);
		}
		RESOLVED.add(name);
	}

	@Override
	public InetAddressResolver get(Configuration configuration) {
		InetAddressResolver system = configuration.builtinResolver();
		return new InetAddressResolver() {

			@Override
			public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
				if (RESOLVED.contains(host.toLowerCase(Locale.ROOT))) {
					return Stream.of(InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }));
				}
				return system.lookupByName(host, policy);
			}

			@Override
			public String lookupByAddress(byte[] address) throws UnknownHostException {
				return system.lookupByAddress(address);
			}

		};
	}

	@Override
	public String name() {
		return "localhost-subdomains";
	}

}
