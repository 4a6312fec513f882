package io.rollcall.emulators.entra;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.imageio.ImageIO;

/**
 * Generated profile photos: a few real JPEGs drawn once, made unique per user and version by a JPEG comment
 * segment, so 20,000 photos cost no image encoding and no memory until asked for.
 */
final class Photos {

    static final int SIZE = 96;

    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf) };

    private static final byte[][] PALETTE = draw();

    private Photos() {
    }

    /** The JPEG of a generated photo: palette image chosen by the id, tagged with id and version. */
    static byte[] generated(String userId, int version) {
        byte[] base = PALETTE[Math.floorMod(userId.hashCode() + version, PALETTE.length)];
        byte[] comment = ("rollcall-emulator photo " + userId + " v" + version).getBytes(StandardCharsets.US_ASCII);
        int length = comment.length + 2;
        byte[] out = new byte[base.length + 4 + comment.length];
        // SOI, then a COM segment (FF FE, big-endian length incl. itself), then the rest of the image.
        out[0] = base[0];
        out[1] = base[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(comment, 0, out, 6, comment.length);
        System.arraycopy(base, 2, out, 6 + comment.length, base.length - 2);
        return out;
    }

    static String etag(byte[] jpeg) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jpeg);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[][] draw() {
        byte[][] images = new byte[COLORS.length][];
        for (int i = 0; i < COLORS.length; i++) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(COLORS[i]);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(Color.WHITE);
            g.fillOval(SIZE / 4, SIZE / 8, SIZE / 2, SIZE / 2);
            g.fillOval(SIZE / 8, SIZE * 5 / 8, SIZE * 3 / 4, SIZE / 2);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "jpg", out);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            images[i] = out.toByteArray();
        }
        return images;
    }
}
