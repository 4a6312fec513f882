package io.rollcall.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rollcall.connector.HookAdmission;

/**
 * Holds every webhook turn of the node until closed, as a node whose receivers are all busy: deliveries meanwhile
 * wait their longest wait and are refused.
 */
public final class BusyHooks implements AutoCloseable {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<Thread> holders = new ArrayList<>();

	private BusyHooks(HookAdmission admission) throws InterruptedException {
		CountDownLatch held = new CountDownLatch(admission.concurrency());
		for (int i = 0; i < admission.concurrency(); i++) {
			this.holders.add(Thread.ofVirtual().start(() -> {
				try {
					admission.turns().inTurn(() -> {
						held.countDown();
						try {
							this.release.await();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					});
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		if (!held.await(10, TimeUnit.SECONDS)) {
			close();
			throw new IllegalStateException("the webhook turns could not all be taken: a delivery is still inside");
		}
	}

	public static BusyHooks take(HookAdmission admission) throws InterruptedException {
		return new BusyHooks(admission);
	}

	@Override
	public void close() throws InterruptedException {
		this.release.countDown();
		for (Thread holder : this.holders) {
			holder.join(10_000);
		}
	}

}
