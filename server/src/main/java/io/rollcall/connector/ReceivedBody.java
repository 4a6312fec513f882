package io.rollcall.connector;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer's body received in full, kept as the buffers the HTTP client filled rather than copied into one array: a
 * page of 999 Graph users is most of a megabyte, which as one array is a humongous allocation for G1 (half of a region
 * or more, allocated straight into the old generation, starting a concurrent cycle when enough of them pile up), and a
 * copy of every byte. Like {@link HttpResponse.BodyHandlers#ofByteArray()}, the answer is only handed over once all of
 * it has arrived, so a connection dropped midway is retried as before.
 */
public final class ReceivedBody {

	private final List<ByteBuffer> buffers;

	private ReceivedBody(List<ByteBuffer> buffers) {
		this.buffers = buffers;
	}

	/** A body of these buffers, as the HTTP client might deliver it. */
	static ReceivedBody of(List<ByteBuffer> buffers) {
		return new ReceivedBody(List.copyOf(buffers));
	}

	/** Receives each answer's body as a {@code ReceivedBody}. */
	public static HttpResponse.BodyHandler<ReceivedBody> handler() {
		return info -> new Receiver();
	}

	/** The body from its start, read from the buffers as they are. */
	public InputStream stream() {
		return new InputStream() {

			private int next;

			private ByteBuffer current = ByteBuffer.allocate(0);

			@Override
			public int read() {
				return ready() ? this.current.get() & 0xff : -1;
			}

			@Override
			public int read(byte[] into, int offset, int length) {
				if (length == 0) {
					return 0;
				}
				if (!ready()) {
					return -1;
				}
				int n = Math.min(length, this.current.remaining());
				this.current.get(into, offset, n);
				return n;
			}

			/** Whether there is a byte left, moving on to the next buffer when this one is read. */
			private boolean ready() {
				while (!this.current.hasRemaining()) {
					if (this.next == ReceivedBody.this.buffers.size()) {
						return false;
					}
					this.current = ReceivedBody.this.buffers.get(this.next++).duplicate();
				}
				return true;
			}

		};
	}

	/** The body as one array, for the short answers that are read whole (an error's JSON). */
	public byte[] bytes() {
		int length = 0;
		for (ByteBuffer buffer : this.buffers) {
			length += buffer.remaining();
		}
		byte[] bytes = new byte[length];
		int at = 0;
		for (ByteBuffer buffer : this.buffers) {
			int n = buffer.remaining();
			buffer.duplicate().get(bytes, at, n);
			at += n;
		}
		return bytes;
	}

	/** Keeps the buffers as delivered: the client hands them over and does not reuse them. */
	private static final class Receiver implements HttpResponse.BodySubscriber<ReceivedBody> {

		private final CompletableFuture<ReceivedBody> body = new CompletableFuture<>();

		private final List<ByteBuffer> buffers = new ArrayList<>();

		@Override
		public CompletionStage<ReceivedBody> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> items) {
			for (ByteBuffer item : items) {
				if (item.hasRemaining()) {
					this.buffers.add(item);
				}
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.buffers.clear();
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(new ReceivedBody(List.copyOf(this.buffers)));
		}

	}

}
