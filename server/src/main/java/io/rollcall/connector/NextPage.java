package io.rollcall.connector;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A provider's next page, fetched while the current page's items are handled, so that the provider's answer time and
 * Rollcall's work overlap (Graph's and Okta's listings). A failed fetch is thrown where the page is taken, as the call
 * threw it: after the pages before it were handled, as if it had been fetched then.
 *
 * @param <T> the page as the client reads it
 */
public final class NextPage<T> {

	private static final Executor FETCHES = Executors.newVirtualThreadPerTaskExecutor();

	private final String provider;

	private final CompletableFuture<T> fetch;

	private NextPage(String provider, CompletableFuture<T> fetch) {
		this.provider = provider;
		this.fetch = fetch;
	}

	/** Starts fetching the page with {@code call}. */
	public static <T> NextPage<T> fetch(String provider, Supplier<T> call) {
		return new NextPage<>(provider, CompletableFuture.supplyAsync(call, FETCHES));
	}

	/** Gives up the fetch when the reading thread was interrupted (its run is being stopped). */
	public void cancelIfInterrupted() {
		if (Thread.currentThread().isInterrupted()) {
			this.fetch.cancel(true);
		}
	}

	/** The page, once fetched; or the fetch's failure. */
	public T take() {
		try {
			return this.fetch.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ProviderException("Reading a page from " + this.provider + " failed: " + ex.getCause(),
					ex.getCause());
		}
	}

}
