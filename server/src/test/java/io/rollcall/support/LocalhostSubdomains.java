package io.rollcall.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves {@code *.localhost} to the loopback address in the test JVM, as browsers do (RFC 6761): a relying party
 * started by a test reaches a company's issuer, {@code http://{slug}.localhost:{port}}, by the name its ID tokens
 * carry. Every other name goes to the system's resolver. Installed through {@code META-INF/services}.
 */
public final class LocalhostSubdomains extends InetAddressResolverProvider {

	@Override
	public InetAddressResolver get(Configuration configuration) {
		InetAddressResolver system = configuration.builtinResolver();
		return new InetAddressResolver() {

			@Override
			public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
				String name = host.toLowerCase(Locale.ROOT);
				if (name.endsWith(".localhost") || name.endsWith(".localhost.")) {
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
