package io.rollcall.platform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which addresses are the service's own network rather than the internet: loopback, private, link-local (a cloud's
 * metadata address), carrier-grade NAT, reserved. Outbound requests to targets a company registered are refused there,
 * so that nobody can use Rollcall to reach inside its network.
 */
public final class InternalAddresses {

	private InternalAddresses() {
	}

	/** The kind of internal address this is ("loopback", "private", ...), or null for a public one. */
	public static String kind(InetAddress address) {
		if (address.isAnyLocalAddress()) {
			return "wildcard";
		}
		if (address.isLoopbackAddress()) {
			return "loopback";
		}
		if (address.isLinkLocalAddress()) {
			return "link-local";
		}
		if (address.isSiteLocalAddress()) {
			return "private";
		}
		if (address.isMulticastAddress()) {
			return "multicast";
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			if ((bytes[0] & 0xFE) == 0xFC) {
				return "private (unique local)";
			}
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			if (mapped && (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF) {
				try {
					return kind(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
				}
				catch (UnknownHostException ex) {
					return "malformed";
				}
			}
			return null;
		}
		int first = bytes[0] & 0xFF;
		int second = bytes[1] & 0xFF;
		if (first == 0 || first >= 240 || (first == 192 && second == 0 && (bytes[2] & 0xFF) == 0)
				|| (first == 198 && (second == 18 || second == 19))) {
			return "reserved";
		}
		if (first == 100 && second >= 64 && second < 128) {
			return "private (carrier-grade NAT)";
		}
		return null;
	}

}
