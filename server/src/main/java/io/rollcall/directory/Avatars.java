package io.rollcall.directory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rollcall.company.Company;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the pictures sources synced as avatars. The URL holds the picture's hash, so it is unguessable without the
 * directory and can be cached for good: a new picture gets a new URL.
 */
@RestController
public final class Avatars {

	private final Map<String, AvatarStore> stores;

	Avatars(List<AvatarStore> stores) {
		this.stores = stores.stream().collect(Collectors.toUnmodifiableMap(AvatarStore::source, Function.identity()));
	}

	/** The path of the avatar of {@code source}'s user {@code userId} with the picture {@code sha256}. */
	public static String path(String source, String userId, String sha256) {
		return "/avatars/" + source + "/" + userId + "/" + sha256;
	}

	@GetMapping("/avatars/{source}/{userId}/{sha256}")
	ResponseEntity<byte[]> avatar(Company company, @PathVariable String source, @PathVariable String userId,
			@PathVariable String sha256) {
		AvatarStore store = this.stores.get(source);
		if (store == null) {
			return ResponseEntity.notFound().build();
		}
		return store.load(company.id(), userId)
			.filter(avatar -> avatar.sha256().equals(sha256))
			.map(avatar -> ResponseEntity.ok()
				.contentType(mediaType(avatar.contentType()))
				.cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
				.header("X-Content-Type-Options", "nosniff")
				.body(avatar.content()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	/** Only an image type is served as such; anything else a source stored goes out as bytes. */
	private static MediaType mediaType(String stored) {
		try {
			MediaType type = MediaType.parseMediaType(stored);
			return "image".equals(type.getType()) ? type : MediaType.APPLICATION_OCTET_STREAM;
		}
		catch (InvalidMimeTypeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
	}

}
