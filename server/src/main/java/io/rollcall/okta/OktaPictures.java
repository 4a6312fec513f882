package io.rollcall.okta;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rollcall.connector.ProviderPictures;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pictures named by a URL in people's Okta profiles, fetched with care: http(s) only, no redirects, no private,
 * loopback, link-local or otherwise internal addresses unless the company allows them, at most a few megabytes,
 * and only JPEG, PNG, GIF or WebP (by content type and by their first bytes). Kept in the database and served as
 * avatars by {@link io.rollcall.directory.Avatars}; a URL already fetched is not fetched again.
 */
@Component
class OktaPictures extends ProviderPictures {

	static final Set<String> TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

	private final HttpClient http;

	private final int maxBytes;

	OktaPictures(JdbcClient jdbc, @Value("${rollcall.okta.picture-max-bytes:2097152}") int maxBytes) {
		super(OktaSource.KIND, "okta_picture", jdbc);
		this.maxBytes = maxBytes;
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	record Stored(String sourceUrl, String sha256) {
	}

	/** Why a picture was not taken, in an admin's words. */
	static final class Refused extends Exception {

		Refused(String message) {
			super(message, null, false, false);
		}

	}

	Map<String, Stored> stored(UUID companyId, Collection<String> userIds) {
		return stored(companyId, userIds, "source_url, sha256",
				(rs, n) -> new Stored(rs.getString(2), rs.getString(3)));
	}

	/** Fetches the picture at {@code url} and keeps it for the user; returns its hash. */
	String fetchAndStore(UUID companyId, String userId, String url, boolean allowPrivate) throws Refused {
		URI uri = check(url, allowPrivate);
		byte[] content;
		String type;
		try {
			HttpResponse<InputStream> response = this.http.send(HttpRequest.newBuilder(uri)
				.timeout(Duration.ofSeconds(10))
				.header("Accept", "image/jpeg, image/png, image/gif, image/webp")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new Refused("the picture URL answered HTTP " + response.statusCode());
				}
				type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip()
					.toLowerCase(Locale.ROOT);
				if (!TYPES.contains(type)) {
					throw new Refused("the picture URL sent " + (type.isEmpty() ? "no content type" : type)
							+ ", not a JPEG, PNG, GIF or WebP image");
				}
				long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
				if (declared > this.maxBytes) {
					throw new Refused("the picture is larger than " + this.maxBytes / 1024 + " KiB");
				}
				content = body.readNBytes(this.maxBytes + 1);
				if (content.length > this.maxBytes) {
					throw new Refused("the picture is larger than " + this.maxBytes / 1024 + " KiB");
				}
			}
		}
		catch (IOException ex) {
			throw new Refused("the picture could not be downloaded (" + ex.getClass().getSimpleName() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Refused("interrupted while downloading the picture");
		}
		if (!looksLike(type, content)) {
			throw new Refused("the picture's content is not the " + type + " image it claims to be");
		}
		String sha = sha256(content);
		this.jdbc
			.sql("""
					insert into okta_picture (company_id, user_id, source_url, sha256, content_type, content)
					values (:company, :user, :url, :sha, :type, :content)
					on conflict (company_id, user_id) do update set source_url = excluded.source_url, sha256 = excluded.sha256,
					    content_type = excluded.content_type, content = excluded.content, updated_at = now()
					""")
			.param("company", companyId)
			.param("user", userId)
			.param("url", url)
			.param("sha", sha)
			.param("type", type)
			.param("content", content)
			.update();
		return sha;
	}

	void forget(UUID companyId, String userId) {
		this.jdbc.sql("delete from okta_picture where company_id = :company and user_id = :user")
			.param("company", companyId)
			.param("user", userId)
			.update();
	}

	/**
	 * The URL when it may be fetched: http(s), a host, and (unless allowed) every address the host resolves to is a
	 * public one. The check resolves the name itself; a name that resolves differently a moment later (DNS
	 * rebinding) is the residual risk of not pinning the address.
	 */
	static URI check(String url, boolean allowPrivate) throws Refused {
		URI uri;
		try {
			uri = URI.create(url.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new Refused("the picture URL is not a valid URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new Refused("the picture URL is not http(s)");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null) {
			throw new Refused("the picture URL has no host, or carries a user name");
		}
		if (allowPrivate) {
			return uri;
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			throw new Refused("the picture URL's host " + uri.getHost() + " is unknown");
		}
		for (InetAddress address : addresses) {
			if (internal(address)) {
				throw new Refused("the picture URL points at a private or local address (" + address.getHostAddress()
						+ "), which Rollcall does not fetch");
			}
		}
		return uri;
	}

	static boolean internal(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local; ::ffff:a.b.c.d mapped addresses are judged as the IPv4 address they carry.
			if ((bytes[0] & 0xFE) == 0xFC) {
				return true;
			}
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			if (mapped && (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF) {
				try {
					return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
				}
				catch (UnknownHostException ex) {
					return true;
				}
			}
			return false;
		}
		int first = bytes[0] & 0xFF;
		int second = bytes[1] & 0xFF;
		// 0/8, 100.64/10 (carrier-grade NAT), 192.0.0/24, 198.18/15 (benchmarks), 240/4 (reserved) besides the above.
		return first == 0 || (first == 100 && second >= 64 && second < 128)
				|| (first == 192 && second == 0 && (bytes[2] & 0xFF) == 0)
				|| (first == 198 && (second == 18 || second == 19)) || first >= 240;
	}

	/** The first bytes of each allowed format. */
	static boolean looksLike(String type, byte[] content) {
		if (content.length < 12) {
			return false;
		}
		return switch (type) {
			case "image/jpeg" -> (content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xD8;
			case "image/png" ->
				(content[0] & 0xFF) == 0x89 && content[1] == 'P' && content[2] == 'N' && content[3] == 'G';
			case "image/gif" -> content[0] == 'G' && content[1] == 'I' && content[2] == 'F';
			case "image/webp" -> content[0] == 'R' && content[1] == 'I' && content[2] == 'F' && content[3] == 'F'
					&& content[8] == 'W' && content[9] == 'E' && content[10] == 'B' && content[11] == 'P';
			default -> false;
		};
	}

}
