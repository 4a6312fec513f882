package io.rollcall.directory;

import java.util.UUID;

/**
 * Which people to list.
 *
 * @param status only people of this status; null for all
 * @param teamId only members of this team, primary or secondary; null for all
 * @param text words to find in names, e-mail and job title; null for all
 * @param cursor where the previous page ended ({@link Page#nextCursor()}); null for the first page
 * @param limit page size, 1 to 200
 */
public record PersonQuery(PersonStatus status, UUID teamId, String text, String cursor, int limit) {
}
