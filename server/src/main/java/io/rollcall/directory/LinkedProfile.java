package io.rollcall.directory;

import org.springframework.util.Assert;

/**
 * A source's link to a person, with the person's profile (as {@link People#loadProfiles} reads it).
 */
public record LinkedProfile(DirectoryBatch.Link link, Person person) {

	public LinkedProfile {
		Assert.notNull(link, "link cannot be null");
		Assert.notNull(person, "person cannot be null");
	}

}
