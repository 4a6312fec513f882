package io.rollcall.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP/1.1 keep-alive connection to the server, written by hand: load generators on a 2-core machine must cost
 * little CPU, or they measure themselves (the JDK client's selector thread and per-request objects did). Buffered in
 * both directions, Content-Length and chunked answers, reconnects after the server closes. Not thread-safe: one per
 * load-generating thread.
 */
final class KeepAliveConnection implements AutoCloseable {

	/** An answer: its status, body and {@code Location} header (null when none). */
	record Answer(int status, String body, String location) {
	}

	private final int port;

	private Socket socket;

	private InputStream in;

	private OutputStream out;

	KeepAliveConnection(int port) {
		this.port = port;
	}

	/** Request {@code n} of a closed loop, sent on the connection of the thread that took it. */
	@FunctionalInterface
	interface Step {

		void send(int n, KeepAliveConnection connection) throws IOException;

	}

	/**
	 * A closed loop: requests 0 to {@code total - 1}, each taken by the next of {@code connections} platform threads
	 * with a keep-alive connection of its own as soon as its previous answer is in; returns once all are answered.
	 */
	static void closedLoop(int port, int total, int connections, Step step) throws Exception {
		AtomicInteger next = new AtomicInteger();
		try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
			List<Future<?>> workers = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				workers.add(pool.submit(() -> {
					try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
						for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
							step.send(n, connection);
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		}
	}

	/** Sends one request and reads its answer; an I/O failure closes the connection (the next call reopens it). */
	Answer send(String method, String host, String path, String authorization, String body) throws IOException {
		return send(method, host, path, authorization, body, "application/json", null);
	}

	/**
	 * The same with the body's content type and a {@code Cookie} header of the caller's (null for none): the OpenID
	 * Provider's benchmark posts forms and carries a session.
	 */
	Answer send(String method, String host, String path, String authorization, String body, String contentType,
			String cookie) throws IOException {
		byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder(256).append(method)
			.append(' ')
			.append(path)
			.append(" HTTP/1.1\r\nHost: ")
			.append(host)
			.append("\r\nAccept: application/scim+json, application/json\r\n");
		if (authorization != null) {
			head.append("Authorization: ").append(authorization).append("\r\n");
		}
		if (body != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		if (cookie != null) {
			head.append("Cookie: ").append(cookie).append("\r\n");
		}
		head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
		try {
			if (this.socket == null) {
				this.socket = new Socket("127.0.0.1", this.port);
				this.socket.setTcpNoDelay(true);
				this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
				this.out = new BufferedOutputStream(this.socket.getOutputStream(), 16 * 1024);
			}
			this.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			this.out.write(content);
			this.out.flush();
			return read();
		}
		catch (IOException ex) {
			close();
			throw ex;
		}
	}

	private Answer read() throws IOException {
		String statusLine = line();
		if (statusLine.length() < 12) {
			throw new IOException("Not an HTTP answer: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		long length = -1;
		boolean chunked = false;
		boolean closes = false;
		String location = null;
		for (String header = line(); !header.isEmpty(); header = line()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).strip());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				closes = true;
			}
			else if (lower.startsWith("location:")) {
				location = header.substring(9).strip();
			}
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (chunked) {
			for (long size = Long.parseLong(line().split(";")[0].strip(), 16); size > 0; size = Long
				.parseLong(line().split(";")[0].strip(), 16)) {
				copy(size, body);
				line();
			}
			while (!line().isEmpty()) {
				// trailers
			}
		}
		else if (length > 0) {
			copy(length, body);
		}
		if (closes) {
			close();
		}
		return new Answer(status, body.toString(StandardCharsets.UTF_8), location);
	}

	private void copy(long length, ByteArrayOutputStream to) throws IOException {
		byte[] buffer = new byte[8192];
		while (length > 0) {
			int n = this.in.read(buffer, 0, (int) Math.min(buffer.length, length));
			if (n < 0) {
				throw new IOException("Connection closed mid-answer");
			}
			to.write(buffer, 0, n);
			length -= n;
		}
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b < 0) {
				throw new IOException("Connection closed mid-answer");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.socket = null;
	}

}
