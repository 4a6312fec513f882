package io.rollcall.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import io.rollcall.platform.InternalAddresses;

/**
 * Where Rollcall may send webhooks: an http(s) URL whose host resolves only to public addresses, so an admin cannot
 * point deliveries at the service's own network (a cloud's metadata address, a database on 10.x). With private
 * addresses allowed by the operator, http and any address are accepted: that is for tests, the demo and receivers on
 * a company's own network. The check runs when an endpoint is saved and again before each batch, as DNS can change;
 * {@link WebhookSender} checks the addresses once more as it connects, so a name that turns private between the two
 * (DNS rebinding) is refused as well.
 */
final class WebhookAddresses {

	/** Why a URL is refused, in an admin's words. */
	static final class Refused extends Exception {

		Refused(String message) {
			super(message, null, false, false);
		}

	}

	private WebhookAddresses() {
	}

	static URI check(String url, boolean allowPrivate) throws Refused {
		URI uri;
		try {
			uri = new URI(url == null ? "" : url.strip());
		}
		catch (java.net.URISyntaxException ex) {
			throw new Refused("'" + url + "' is not a valid URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(scheme.equals("http") && allowPrivate)) {
			throw new Refused(allowPrivate ? "The URL must start with http:// or https://"
					: "The URL must start with https://: deliveries carry people's data and are not sent in clear text");
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new Refused("The URL has no host name");
		}
		if (uri.getRawUserInfo() != null) {
			throw new Refused(
					"The URL carries a user name or password; the signature authenticates deliveries instead");
		}
		if (uri.getRawFragment() != null) {
			throw new Refused("The URL has a #fragment, which is never sent; remove it");
		}
		if (allowPrivate) {
			return uri;
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			throw new Refused("The host " + uri.getHost() + " does not resolve to an address; check the name");
		}
		for (InetAddress address : addresses) {
			String kind = InternalAddresses.kind(address);
			if (kind != null) {
				throw new Refused(
						"The host " + uri.getHost() + " resolves to " + address.getHostAddress() + ", a " + kind
								+ " address; Rollcall sends webhooks only to public addresses");
			}
		}
		return uri;
	}

}
