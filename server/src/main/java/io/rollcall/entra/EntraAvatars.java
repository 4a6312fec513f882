package io.rollcall.entra;

import io.rollcall.company.Company;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the photos synced from Entra ID as avatars. The URL holds the photo's hash, so it is unguessable without
 * the directory and can be cached for good: a new photo gets a new URL.
 */
@RestController
final class EntraAvatars {

	private final EntraPhotos photos;

	EntraAvatars(EntraPhotos photos) {
		this.photos = photos;
	}

	static String path(String userId, String sha256) {
		return "/avatars/entra/" + userId + "/" + sha256;
	}

	@GetMapping("/avatars/entra/{userId}/{sha256}")
	ResponseEntity<byte[]> avatar(Company company, @PathVariable String userId, @PathVariable String sha256) {
		return this.photos.load(company.id(), userId)
			.filter(photo -> photo.sha256().equals(sha256))
			.map(photo -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(photo.contentType()))
				.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable())
				.body(photo.content()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
