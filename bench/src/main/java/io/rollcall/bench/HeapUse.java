package io.rollcall.bench;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's heap use, read from the performance counters its JVM keeps in a shared file
 * ({@code /tmp/hsperfdata_<user>/<pid>}, what {@code jstat} reads): the used bytes of every space of every garbage
 * collector generation (G1's eden, survivors and old regions), the same figures its memory pools report.
 * <p>
 * Why not the server's {@code /actuator/prometheus}: scraping it four times a second cost 13 % of the server's Java
 * CPU during Entra ID's unchanged re-sync (every meter rendered, two gauges counting rows in PostgreSQL), so the
 * benchmarks measured themselves. Reading the file costs the server nothing; the JVM updates the counters as it
 * takes new regions and after each collection, so a sample is at most one region behind.
 * <p>
 * The file's layout is HotSpot's ({@code perfMemory.hpp}): a prologue (magic {@code 0xcafec0c0}, byte order, entry
 * offset and count), then entries each with its length, name offset, data type and data offset.
 */
final class HeapUse {

	private static final int MAGIC = 0xcafec0c0;

	private final MappedByteBuffer counters;

	/** Offsets of the "used" counters' longs in the file. */
	private final List<Integer> used;

	private HeapUse(MappedByteBuffer counters, List<Integer> used) {
		this.counters = counters;
		this.used = used;
	}

	/** The reader for the JVM with this pid, or empty when its counters cannot be read (-XX:-UsePerfData, not Linux). */
	static Optional<HeapUse> of(long pid) {
		Path file = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
				String.valueOf(pid));
		try (FileChannel channel = FileChannel.open(file)) {
			MappedByteBuffer counters = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
			counters.order(ByteOrder.BIG_ENDIAN);
			if (counters.getInt(0) != MAGIC) {
				return Optional.empty();
			}
			counters.order(counters.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
			int entry = counters.getInt(24);
			int entries = counters.getInt(28);
			List<Integer> used = new ArrayList<>();
			for (int i = 0; i < entries; i++) {
				int length = counters.getInt(entry);
				String name = name(counters, entry + counters.getInt(entry + 4));
				byte type = counters.get(entry + 12);
				if (type == 'J' && name.startsWith("sun.gc.generation.") && name.contains(".space.")
						&& name.endsWith(".used")) {
					used.add(entry + counters.getInt(entry + 16));
				}
				entry += length;
			}
			return used.isEmpty() ? Optional.empty() : Optional.of(new HeapUse(counters, used));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	long bytes() {
		long sum = 0;
		for (int offset : this.used) {
			sum += this.counters.getLong(offset);
		}
		return sum;
	}

	private static String name(MappedByteBuffer counters, int at) {
		int end = at;
		while (counters.get(end) != 0) {
			end++;
		}
		byte[] bytes = new byte[end - at];
		counters.get(at, bytes);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
