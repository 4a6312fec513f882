package io.rollcall.directory;

import java.util.Optional;
import java.util.UUID;

/** Where a source keeps the pictures of its people (Entra's photos, Okta's pictures), served by {@link Avatars}. */
public interface AvatarStore {

	/** The source, as it names the avatar URLs: {@code entra}, {@code okta}. */
	String source();

	/** The person's picture as last synced, or empty. */
	Optional<Avatar> load(UUID companyId, String userId);

	/** @param sha256 the content's hash, which names its URL */
	record Avatar(String contentType, byte[] content, String sha256) {
	}

}
