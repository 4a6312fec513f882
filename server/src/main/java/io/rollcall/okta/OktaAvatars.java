package io.rollcall.okta;

import io.rollcall.company.Company;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the pictures fetched from Okta profiles as avatars. The URL holds the picture's hash, so a new picture gets
 * a new URL and an old one can be cached for good.
 */
@RestController
final class OktaAvatars {

	private final OktaPictures pictures;

	OktaAvatars(OktaPictures pictures) {
		this.pictures = pictures;
	}

	static String path(String userId, String sha256) {
		return "/avatars/okta/" + userId + "/" + sha256;
	}

	@GetMapping("/avatars/okta/{userId}/{sha256}")
	ResponseEntity<byte[]> avatar(Company company, @PathVariable String userId, @PathVariable String sha256) {
		return this.pictures.load(company.id(), userId)
			.filter(picture -> picture.sha256().equals(sha256))
			.map(picture -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(picture.contentType()))
				.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable())
				.header("X-Content-Type-Options", "nosniff")
				.body(picture.content()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
