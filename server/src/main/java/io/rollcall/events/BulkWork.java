package io.rollcall.events;

import java.util.UUID;

/**
 * Work that changes people by the thousand, such as a directory sync applying its plan. While a company has some
 * under way, its webhooks go out at a pace ({@code rollcall.webhooks.pace-during-runs}) instead of at full speed: on
 * a busy node, deliveries and the run compete for the same cores, and the run, which the company is waiting for,
 * goes first. The events are all delivered; most of a large run's just after it ends. The module that runs such work
 * implements this (sync).
 */
public interface BulkWork {

	/** Whether the company has such work applying now. */
	boolean underway(UUID companyId);

}
